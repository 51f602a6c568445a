/* table.c - loading a numeric NDJSON series for the whole-series stages. */
#include "table.h"
#include "scratch.h"

#include "ntime.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct keyset {
    char **names;
    size_t n, cap;
};

static long keyset_find(const struct keyset *k, const char *name)
{
    size_t i;
    for (i = 0; i < k->n; i++)
        if (strcmp(k->names[i], name) == 0)
            return (long)i;
    return -1;
}

static void keyset_add(struct keyset *k, const char *name)
{
    if (keyset_find(k, name) >= 0)
        return;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->names = nf_xrealloc(k->names, k->cap * sizeof *k->names);
    }
    k->names[k->n++] = nf_xstrdup(name);
}

static int matches_any(const char *name, char **patterns, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (fnmatch(patterns[i], name, 0) == 0)
            return 1;
    return 0;
}

/*
 * The time key is never a column. WINDOW_END is a time too: it is left out
 * of the default selection (naming it in --columns still selects it).
 */
static int selected(const char *name, const struct nf_table_opts *o, const char *time_key)
{
    if (strcmp(name, time_key) == 0)
        return 0;
    if (o->ncolumns > 0) {
        if (!matches_any(name, o->columns, o->ncolumns))
            return 0;
    } else if (strcmp(name, "WINDOW_END") == 0) {
        return 0;
    }
    return !matches_any(name, o->exclude, o->nexclude);
}

/* Reads the time key of one row: 1 = present and read, 0 = absent, -1 = unreadable. */
static int row_time(const cJSON *obj, const char *key, int64_t *ms)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        return 0;
    /* beyond 2^53 epoch ms are not exact in JSON numbers (nor a real time) */
    if (cJSON_IsNumber(item) && fabs(item->valuedouble) <= 9007199254740992.0) {
        *ms = (int64_t)llround(item->valuedouble);
        return 1;
    }
    if (cJSON_IsString(item) &&
        nf_time_parse(item->valuestring, strlen(item->valuestring), NULL, ms) == 0)
        return 1;
    return -1;
}

/*
 * Every numeric key met so far with its column (-1: not selected), so that
 * the glob patterns run once per key name instead of once per key per row.
 */
struct keymap {
    char **names;
    long *col;
    size_t n, cap;
};

/* Rows usually repeat the key order: *hint (the entry after the last one) is tried first. */
static long keymap_column(struct keymap *k, size_t *hint, const char *name, struct keyset *cols,
                          const struct nf_table_opts *o, const char *time_key)
{
    size_t i = *hint;
    if (i >= k->n || strcmp(k->names[i], name) != 0) {
        for (i = 0; i < k->n && strcmp(k->names[i], name) != 0; i++)
            ;
        if (i == k->n) {
            if (k->n == k->cap) {
                k->cap = k->cap ? k->cap * 2 : 64;
                k->names = nf_xrealloc(k->names, k->cap * sizeof *k->names);
                k->col = nf_xrealloc(k->col, k->cap * sizeof *k->col);
            }
            k->names[i] = nf_xstrdup(name);
            k->col[i] = -1;
            if (selected(name, o, time_key)) {
                keyset_add(cols, name);
                k->col[i] = keyset_find(cols, name);
            }
            k->n++;
        }
    }
    *hint = i + 1;
    return k->col[i];
}

static void keymap_free(struct keymap *k)
{
    size_t i;
    for (i = 0; i < k->n; i++)
        free(k->names[i]);
    free(k->names);
    free(k->col);
}

/*
 * The matrix while rows are read: rows_cap rows of stride values. stride
 * starts at the first row's column count and doubles when a later row
 * brings a new column, so a million rows are written once, in place,
 * instead of being gathered as (column, value) cells first.
 */
struct grid {
    double *x;
    size_t rows_cap, stride;
};

static void grid_fill_nan(double *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        v[i] = NAN;
}

/* Room for row r, every value NaN until read. */
static double *grid_row(struct grid *g, size_t r)
{
    if (r == g->rows_cap) {
        g->rows_cap = g->rows_cap ? 2 * g->rows_cap : 1024;
        g->x = nf_xrealloc(g->x, g->rows_cap * g->stride * sizeof *g->x);
    }
    grid_fill_nan(g->x + r * g->stride, g->stride);
    return g->x + r * g->stride;
}

/* Widens rows [0, nrows] (the last one being read) to hold column col. */
static double *grid_widen(struct grid *g, size_t nrows, size_t col)
{
    size_t old = g->stride, r;
    g->stride = old * 2 > col + 1 ? old * 2 : col + 1;
    g->x = nf_xrealloc(g->x, g->rows_cap * g->stride * sizeof *g->x);
    for (r = nrows + 1; r-- > 0;) { /* backwards: a row never overwrites one not yet moved */
        memmove(g->x + r * g->stride, g->x + r * old, old * sizeof *g->x);
        grid_fill_nan(g->x + r * g->stride + old, g->stride - old);
    }
    return g->x + nrows * g->stride;
}

/* Rows end stride apart with only ncols used: packs them ncols apart. */
static double *grid_pack(struct grid *g, size_t nrows, size_t ncols)
{
    size_t r;
    if (g->stride != ncols)
        for (r = 1; r < nrows; r++)
            memmove(g->x + r * ncols, g->x + r * g->stride, ncols * sizeof *g->x);
    return nf_xrealloc(g->x, (nrows * ncols + 1) * sizeof *g->x);
}

/* The first row's numeric members but the time key: a first guess at the row width. */
static size_t count_numbers(const cJSON *obj, const char *time_key)
{
    const cJSON *item;
    size_t n = 0;
    cJSON_ArrayForEach(item, obj)
        n += cJSON_IsNumber(item) && !(item->string && strcmp(item->string, time_key) == 0);
    return n ? n : 1;
}

static void grow_rows(struct nf_table *t, size_t *cap, int keep_pass)
{
    *cap = *cap ? *cap * 2 : 1024;
    t->time = nf_xrealloc(t->time, *cap * sizeof *t->time);
    t->lineno = nf_xrealloc(t->lineno, *cap * sizeof *t->lineno);
    if (keep_pass)
        t->pass_len = nf_xrealloc(t->pass_len, *cap * sizeof *t->pass_len);
}

/* One pass: each row's values go straight into the matrix. */
void nf_table_read(struct nf_table *t, struct nf_lines *l, const struct nf_table_opts *o,
                   struct nf_rejects *rej)
{
    size_t cap = 0, r, c, i;
    struct keyset cols = {0};
    cJSON *obj;
    int all_time = 1, keep_pass = !o->no_pass;
    struct keymap keys = {0};
    struct grid grid = {0};
    /* Every row's pass-through text goes into one buffer, NUL after each
     * row: one allocation instead of one per row, which showed in profiles
     * of million-row inputs. t->pass[] is pointed into it at the end. */
    struct nf_jw pass;

    memset(&pass, 0, sizeof pass);
    if (keep_pass) {
        pass.cap = 4096;
        pass.buf = nf_xmalloc(pass.cap);
    }

    memset(t, 0, sizeof *t);
    t->time_key = o->time_key ? o->time_key : "WINDOW_START";
    t->source = l->npaths > 0 && strcmp(l->paths[0], "-") != 0 ? l->paths[0] : "<stdin>";

    nf_scratch_begin(); /* each row's tree dies before the next is read */
    while ((obj = nf_rec_next(l, rej)) != NULL) {
        const cJSON *item;
        int64_t ms = 0;
        size_t hint = 0, pass_start = pass.len;
        double *row;
        int tr = row_time(obj, t->time_key, &ms);
        if (tr < 0) {
            char *raw = cJSON_PrintUnformatted(obj);
            nf_reject(rej, l->name, l->lineno, raw, raw ? strlen(raw) : 0,
                      "%s: not a time (epoch ms or text)", t->time_key);
            cJSON_free(raw);
            cJSON_Delete(obj);
            continue;
        }
        if (t->nrows == cap)
            grow_rows(t, &cap, keep_pass);
        if (grid.stride == 0)
            grid.stride = count_numbers(obj, t->time_key);
        if (tr == 0)
            all_time = 0;
        r = t->nrows++;
        t->time[r] = ms;
        t->lineno[r] = l->lineno;
        row = grid_row(&grid, r);
        pass.depth = 0;
        pass.first[0] = 1;
        cJSON_ArrayForEach(item, obj)
        {
            long at;
            if (!item->string)
                continue;
            at = cJSON_IsNumber(item)
                     ? keymap_column(&keys, &hint, item->string, &cols, o, t->time_key)
                     : -1;
            if (at < 0) {
                if (keep_pass)
                    nf_jw_item(&pass, item->string, item);
                continue;
            }
            if ((size_t)at >= grid.stride)
                row = grid_widen(&grid, r, (size_t)at);
            row[at] = item->valuedouble;
        }
        if (keep_pass) {
            t->pass_len[r] = pass.len - pass_start;
            nf_jw_bytes(&pass, "", 1); /* the row's NUL */
        }
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    if (keep_pass) {
        t->pass_text = pass.buf;
        t->pass = nf_xmalloc((t->nrows + 1) * sizeof *t->pass);
        for (r = 0, i = 0; r < t->nrows; r++) {
            t->pass[r] = t->pass_text + i;
            i += t->pass_len[r] + 1;
        }
    }
    keymap_free(&keys);
    t->has_time = all_time && t->nrows > 0;

    for (i = 0; i < o->ncolumns; i++) {
        int hit = 0;
        for (c = 0; c < cols.n && !hit; c++)
            hit = fnmatch(o->columns[i], cols.names[c], 0) == 0;
        if (!hit && t->nrows > 0 && !o->columns_checked)
            nf_usage_error("--columns: pattern '%s' matches no numeric column", o->columns[i]);
    }

    t->ncols = cols.n;
    t->colnames = cols.names;
    t->x = grid_pack(&grid, t->nrows, t->ncols);
}

void nf_table_free(struct nf_table *t)
{
    size_t i;
    for (i = 0; i < t->ncols; i++)
        free(t->colnames[i]);
    free(t->pass_text);
    free(t->colnames);
    free(t->x);
    free(t->time);
    free(t->pass);
    free(t->pass_len);
    free(t->lineno);
    memset(t, 0, sizeof *t);
}

size_t nf_table_first_disorder(const struct nf_table *t)
{
    size_t r;
    if (!t->has_time)
        return 0;
    for (r = 1; r < t->nrows; r++)
        if (t->time[r] < t->time[r - 1])
            return r;
    return 0;
}

char **nf_split_list(const char *text, size_t *n)
{
    char **list = NULL;
    const char *p = text;
    *n = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            list = nf_xrealloc(list, (*n + 2) * sizeof *list);
            list[*n] = nf_xmalloc(len + 1);
            memcpy(list[*n], p, len);
            list[*n][len] = '\0';
            (*n)++;
            list[*n] = NULL;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return list;
}

void nf_free_list(char **list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

int nf_table_row_time(const cJSON *obj, const char *key, int64_t *ms)
{
    return row_time(obj, key, ms);
}
