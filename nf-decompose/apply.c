/*
 * apply.c - nf-decompose --model, the streaming path: one row in, one row
 * out, flushed when the output is a pipe. The season of a row is found by
 * the row's own time (its position in the cycle since the model's
 * origin), never by counting rows, so a replay at any speed, or a feed
 * with gaps, gets the same numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "jsonw.h"
#include "rec.h"
#include "scratch.h"
#include "table.h"

static int output_is_stream(void)
{
    struct stat st;
    return fstat(fileno(stdout), &st) != 0 || !S_ISREG(st.st_mode);
}

static long model_column(const struct nf_season_model *m, const char *key)
{
    size_t i;
    for (i = 0; i < m->ncols; i++)
        if (strcmp(m->cols[i].name, key) == 0)
            return (long)i;
    return -1;
}

/* The row's model column values into x[ncols] (NaN when absent); the other members into pass. */
static void split_row(const struct nf_season_model *m, const cJSON *obj, double *x,
                      struct nf_jw *pass)
{
    const cJSON *item;
    size_t i;
    for (i = 0; i < m->ncols; i++)
        x[i] = NAN;
    pass->len = 0;
    pass->depth = 0;
    pass->first[0] = 1;
    cJSON_ArrayForEach(item, obj)
    {
        long at = item->string ? model_column(m, item->string) : -1;
        if (at >= 0 && cJSON_IsNumber(item))
            x[at] = item->valuedouble;
        else if (at < 0 && item->string)
            nf_jw_item(pass, item->string, item);
    }
}

static void reject_row(struct nf_rejects *rej, const struct nf_lines *lines, const cJSON *obj,
                       const char *fmt, const char *what)
{
    char *raw = cJSON_PrintUnformatted(obj);
    nf_reject(rej, lines->name, lines->lineno, raw, raw ? strlen(raw) : 0, fmt, what);
    cJSON_free(raw);
}

void nf_season_apply(const struct nf_season_model *m, const char *time_key, int keep_seasonal, int keep_adjusted, char **paths,
                     int npaths, struct nf_rejects *rej)
{
    struct nf_lines lines;
    struct nf_jw out, pass;
    double *x = nf_xmalloc((m->ncols + 1) * sizeof *x);
    char **seasonal_key = nf_xcalloc(m->ncols + 1, sizeof *seasonal_key);
    char **adjusted_key = nf_xcalloc(m->ncols + 1, sizeof *adjusted_key);
    size_t i;
    cJSON *obj;

    for (i = 0; i < m->ncols; i++) {
        size_t n = strlen(m->cols[i].name) + sizeof "_seasonal";
        seasonal_key[i] = nf_xmalloc(n);
        adjusted_key[i] = nf_xmalloc(n);
        snprintf(seasonal_key[i], n, "%s_seasonal", m->cols[i].name);
        snprintf(adjusted_key[i], n, "%s_adjusted", m->cols[i].name);
    }
    nf_jw_init(&out, stdout);
    out.flush_each = output_is_stream();
    nf_jw_init(&pass, NULL);
    nf_lines_init(&lines, paths, npaths);
    nf_scratch_begin(); /* each row's tree dies before the next is read */
    while ((obj = nf_rec_next(&lines, rej)) != NULL) {
        int64_t ms = 0;
        long pos;
        if (nf_table_row_time(obj, time_key, &ms) <= 0) {
            reject_row(rej, &lines, obj, "%s: missing or not a time (epoch ms or text); "
                       "the saved season is looked up by time", time_key);
            cJSON_Delete(obj);
            continue;
        }
        split_row(m, obj, x, &pass);
        for (i = 0; i < m->ncols && isfinite(x[i]); i++)
            ;
        if (i < m->ncols) {
            reject_row(rej, &lines, obj, "%s: missing, null or not a finite number",
                       m->cols[i].name);
            cJSON_Delete(obj);
            continue;
        }
        pos = nf_season_position(m, ms);
        nf_jw_begin(&out);
        nf_jw_members(&out, pass.buf, pass.len);
        for (i = 0; i < m->ncols; i++) {
            double s = m->cols[i].profile[pos];
            if (keep_seasonal)
                nf_jw_double(&out, seasonal_key[i], s);
            if (keep_adjusted)
                nf_jw_double(&out, adjusted_key[i], x[i] - s);
        }
        nf_jw_end(&out);
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    nf_lines_free(&lines);
    nf_jw_free(&out);
    free(pass.buf);
    for (i = 0; i < m->ncols; i++) {
        free(seasonal_key[i]);
        free(adjusted_key[i]);
    }
    free(seasonal_key);
    free(adjusted_key);
    free(x);
}
