/*
 * csv_series.c - an already-aggregated series, "timestamp,value[,...]"
 * (the NAB files, or any CSV whose first column is a time). Each row
 * becomes {"WINDOW_START": ms, "<column>": number, ...}: the time key is
 * --time-key, the other keys are the header's names. An empty cell is
 * written as null; any other text that is not a number rejects the row.
 */
#include "parse.h"

#include "csv_fields.h"
#include "csv_reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct series {
    struct parse_ctx *ctx;
    const char *name;
    char **names;     /* header names of columns 1.. */
    size_t ncols;     /* header fields, time column included */
    struct time_cache cache;
};

/*
 * The first row names the columns, unless its first field is already a
 * time: then there is no header and the columns are value (or value1,
 * value2, ... when there are several).
 */
static int take_header(struct series *p, const struct csv_row *row)
{
    int64_t ms;
    size_t i;
    p->ncols = row->n;
    p->names = nf_xcalloc(row->n, sizeof p->names[0]);
    if (nf_time_parse(row->field[0], row->len[0], &p->ctx->tz, &ms) == 0 && row->len[0] >= 8) {
        for (i = 1; i < row->n; i++) {
            char name[32];
            if (row->n == 2)
                snprintf(name, sizeof name, "value");
            else
                snprintf(name, sizeof name, "value%zu", i);
            p->names[i] = nf_xstrdup(name);
        }
        return 0;
    }
    for (i = 1; i < row->n; i++) {
        if (row->len[i] == 0)
            nf_die("%s:%llu: series header: column %zu has no name", p->name,
                   (unsigned long long)row->line, i + 1);
        p->names[i] = nf_xstrdup(row->field[i]);
    }
    return 1;
}

/* A whole-text number (strtod, so 1e6, -3.5, 251643.0); 0 or -1. */
static int number(const char *s, size_t n, double *v)
{
    char *end;
    if (n == 0)
        return -1;
    *v = strtod(s, &end);
    return end == s + n && isfinite(*v) ? 0 : -1;
}

static void take_row(struct series *p, const struct csv_row *row)
{
    struct nf_jw *w = &p->ctx->out;
    int64_t ms;
    double v;
    size_t i;
    if (row->n != p->ncols) {
        nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,
                  "expected %zu fields as in the header, found %zu", p->ncols, row->n);
        return;
    }
    if (fld_time(&p->cache, row->field[0], row->len[0], &p->ctx->tz, &ms) != 0) {
        nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,
                  "%s: not a time ('%.80s')", p->ctx->time_key, row->field[0]);
        return;
    }
    for (i = 1; i < row->n; i++) {
        if (row->len[i] > 0 && number(row->field[i], row->len[i], &v) != 0) {
            nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,
                      "%s: not a number ('%.80s')", p->names[i], row->field[i]);
            return;
        }
    }
    nf_jw_begin(w);
    nf_jw_i64(w, p->ctx->time_key, ms);
    for (i = 1; i < row->n; i++) {
        if (row->len[i] == 0) {
            nf_jw_null(w, p->names[i]);
        } else {
            number(row->field[i], row->len[i], &v);
            nf_jw_double(w, p->names[i], v);
        }
    }
    nf_jw_end(w);
    p->ctx->written++;
}

static int on_row(void *arg, const struct csv_row *row)
{
    struct series *p = arg;
    if (!p->names && take_header(p, row))
        return 0;
    take_row(p, row);
    return 0;
}

void parse_series_csv(struct parse_ctx *ctx, FILE *f, const char *name)
{
    struct series p;
    size_t i;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.name = name;
    csv_read(f, name, on_row, &p, NULL);
    if (p.names) {
        for (i = 0; i < p.ncols; i++)
            free(p.names[i]);
        free(p.names);
    }
}
