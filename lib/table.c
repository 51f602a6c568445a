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

/* The caller knows name is new: every column name is met once, in the keymap. */
static size_t keyset_append(struct keyset *k, char *name)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->names = nf_xrealloc(k->names, k->cap * sizeof *k->names);
    }
    k->names[k->n] = name;
    return k->n++;
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
 * The record contract's identifiers and labels (docs/records.md "Which
 * columns a stage reads"): flow and window keys that name a flow, an
 * interface, a time or a place rather than measure traffic. Numbers, but
 * never a default column; they pass through so a scored row joins back.
 */
static const char *const identifier_keys[] = {
    "ID", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_SRC_PORT", "L4_DST_PORT", "PROTOCOL_NUM",
    "TCP_FLAGS", "FIRST_SWITCHED", "LAST_SWITCHED", "SRC_TOS", "DST_TOS", "INPUT_SNMP",
    "OUTPUT_SNMP", "SRC_AS", "DST_AS", "SRC_MASK", "DST_MASK", "NEXT_HOP", "DIRECTION",
    "EXPORTER_IP", "OBSERVATION_DOMAIN_ID", "SAMPLING_INTERVAL", "EXPORT_TIME",
    "WINDOW_START", "WINDOW_END", "SRC_NET", "DST_NET", "LABEL", "ARGUS_STATE", "ARGUS_DIR",
};

/* What nf-pca, nf-decompose and nf-pelt derive: statistics of a row, not measurements. */
static const char *const derived_keys[] = {
    "spe", "t2", "spe_limit", "t2_limit", "spe_flag", "t2_flag", "segment", "index",
    "*_trend", "*_seasonal", "*_segment",
};

int nf_is_identifier(const char *key)
{
    size_t i;
    for (i = 0; i < sizeof identifier_keys / sizeof *identifier_keys; i++)
        if (strcmp(identifier_keys[i], key) == 0)
            return 1;
    return 0;
}

int nf_is_derived(const char *key)
{
    size_t i;
    for (i = 0; i < sizeof derived_keys / sizeof *derived_keys; i++)
        if (fnmatch(derived_keys[i], key, 0) == 0)
            return 1;
    return 0;
}

/* Left out by the default rule, not by the user (time key and WINDOW_END always were). */
static int left_out_by_role(const char *name, const struct nf_table_opts *o, const char *time_key)
{
    if (o->ncolumns > 0 || o->roles == NF_ROLES_ALL)
        return 0;
    if (strcmp(name, time_key) == 0 || strcmp(name, "WINDOW_END") == 0)
        return 0;
    return nf_is_identifier(name) || nf_is_derived(name);
}

/*
 * The time key is never a column. WINDOW_END is a time too: it is left out
 * of the default selection (naming it in --columns still selects it), and
 * so are identifiers and derived keys when the stage asked for roles.
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
    } else if (left_out_by_role(name, o, time_key)) {
        return 0;
    }
    return !matches_any(name, o->exclude, o->nexclude);
}

static int numeric_member(const cJSON *obj, const char *key)
{
    return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static int has_numeric_suffix(const cJSON *obj, const char *suffix)
{
    const cJSON *item;
    size_t sl = strlen(suffix);
    cJSON_ArrayForEach(item, obj)
    {
        size_t len = item->string ? strlen(item->string) : 0;
        if (cJSON_IsNumber(item) && len > sl && strcmp(item->string + len - sl, suffix) == 0)
            return 1;
    }
    return 0;
}

/*
 * The default columns by what the first row says the input is (roles
 * SEASONAL and CHANGE): patterns put into *eff as if given by --columns.
 */
static void choose_by_kind(const cJSON *first, struct nf_table_opts *eff, struct nf_table *t,
                           const struct nf_lines *l)
{
    static char *adjusted[] = {"*_adjusted"}, *components[] = {"pc[0-9]*"};
    int pca = numeric_member(first, "spe") && numeric_member(first, "t2") &&
              numeric_member(first, "pc1");
    if (eff->roles == NF_ROLES_CHANGE && has_numeric_suffix(first, "_adjusted")) {
        eff->columns = adjusted;
        t->chosen_by = "nf-decompose output: its seasonally adjusted columns *_adjusted";
    } else if (eff->roles == NF_ROLES_CHANGE &&
               (has_numeric_suffix(first, "_trend") || has_numeric_suffix(first, "_remainder"))) {
        nf_die("%s:%llu: nf-decompose output without *_adjusted columns: a change-point stage "
               "reads the seasonally adjusted series by default; run nf-decompose with --keep "
               "adjusted (with trend, seasonal, remainder if wanted), or choose columns with "
               "--columns", l->name, (unsigned long long)l->lineno);
    } else if (pca) {
        eff->columns = components;
        t->chosen_by = "nf-pca output: its components pc<N>";
    } else {
        return;
    }
    eff->ncolumns = 1;
    eff->columns_checked = 1;
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
 * Names are found through an open-addressing hash table kept at most half
 * full, each slot holding the entry + 1 (0 empty) and the name's hash, so
 * that a probe compares names only when the hashes agree: one line with
 * 2 M distinct keys is read in linear time. Entries stay in order of first
 * appearance, and that order, not the hash, gives the column order.
 */
struct keyslot {
    uint32_t entry, hash;
};

struct keymap {
    char **names;
    long *col;          /* a selected name is owned by the columns, the others here */
    size_t n, cap;
    struct keyslot *slot; /* [nslots] */
    size_t nslots;        /* a power of two, 0 before the first key */
    const struct nf_lines *in; /* for the message at the limit */
    struct nf_table *t;        /* gets the keys left out by role */
};

/* Names of keys left out by role shown in nf_table_say_columns. */
#define LEFT_OUT_NAMES 12

static void note_left_out(struct nf_table *t, const char *name)
{
    size_t have = t->left_out ? strlen(t->left_out) : 0;
    if (t->nleft_out++ >= LEFT_OUT_NAMES)
        return;
    t->left_out = nf_xrealloc(t->left_out, have + strlen(name) + 3);
    sprintf(t->left_out + have, "%s%s", have ? ", " : "", name);
}

/* FNV-1a with a final mix (MurmurHash3's) so that the low bits used as the index vary. */
static uint32_t key_hash(const char *name)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t keymap_slot(const struct keymap *k, const char *name, uint32_t hash)
{
    size_t mask = k->nslots - 1, i = hash & mask;
    while (k->slot[i].entry != 0 &&
           (k->slot[i].hash != hash || strcmp(k->names[k->slot[i].entry - 1], name) != 0))
        i = (i + 1) & mask;
    return i;
}

static void keymap_rehash(struct keymap *k)
{
    struct keyslot *old = k->slot;
    size_t nold = k->nslots, i;
    k->nslots = nold ? 2 * nold : 256;
    k->slot = nf_xcalloc(k->nslots, sizeof *k->slot);
    for (i = 0; i < nold; i++)
        if (old[i].entry != 0) {
            size_t at = old[i].hash & (k->nslots - 1);
            while (k->slot[at].entry != 0)
                at = (at + 1) & (k->nslots - 1);
            k->slot[at] = old[i];
        }
    free(old);
}

static size_t keymap_add(struct keymap *k, size_t at, uint32_t hash, const char *name,
                         struct keyset *cols, const struct nf_table_opts *o, const char *time_key)
{
    size_t e = k->n;
    if (e == NF_TABLE_MAX_KEYS)
        nf_die("%s:%llu: more than %u distinct numeric keys: the limit of a table "
               "(docs/records.md)", k->in->name, (unsigned long long)k->in->lineno,
               (unsigned)NF_TABLE_MAX_KEYS);
    if (e == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->names = nf_xrealloc(k->names, k->cap * sizeof *k->names);
        k->col = nf_xrealloc(k->col, k->cap * sizeof *k->col);
    }
    k->names[e] = nf_xstrdup(name);
    k->col[e] = selected(name, o, time_key) ? (long)keyset_append(cols, k->names[e]) : -1;
    if (k->col[e] < 0 && left_out_by_role(name, o, time_key) &&
        !matches_any(name, o->exclude, o->nexclude)) /* the user's --exclude says it already */
        note_left_out(k->t, name);
    k->slot[at].entry = (uint32_t)(e + 1);
    k->slot[at].hash = hash;
    if (2 * ++k->n > k->nslots)
        keymap_rehash(k);
    return e;
}

/* Rows usually repeat the key order: *hint (the entry after the last one) is tried first. */
static long keymap_column(struct keymap *k, size_t *hint, const char *name, struct keyset *cols,
                          const struct nf_table_opts *o, const char *time_key)
{
    size_t e = *hint;
    if (e >= k->n || strcmp(k->names[e], name) != 0) {
        uint32_t hash = key_hash(name);
        size_t at;
        if (k->nslots == 0)
            keymap_rehash(k);
        at = keymap_slot(k, name, hash);
        e = k->slot[at].entry != 0 ? k->slot[at].entry - 1
                                   : keymap_add(k, at, hash, name, cols, o, time_key);
    }
    *hint = e + 1;
    return k->col[e];
}

static void keymap_free(struct keymap *k)
{
    size_t i;
    for (i = 0; i < k->n; i++)
        if (k->col[i] < 0)
            free(k->names[i]);
    free(k->names);
    free(k->col);
    free(k->slot);
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

/*
 * Rows reserved at first: 1024, or fewer for wide rows, so that one line of
 * millions of keys reserves a few rows of them, not 1024 (28 GB of address
 * space for 3.4 M columns, which the sanitizer build cannot map).
 */
#define GRID_FIRST_BYTES (8u << 20)

/* Room for row r, every value NaN until read. */
static double *grid_row(struct grid *g, size_t r)
{
    if (r == g->rows_cap) {
        size_t first = GRID_FIRST_BYTES / (g->stride * sizeof *g->x);
        g->rows_cap = g->rows_cap ? 2 * g->rows_cap : first < 1 ? 1 : first > 1024 ? 1024 : first;
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
    struct nf_table_opts eff = *o; /* o, or the columns the input's kind chose */

    memset(&pass, 0, sizeof pass);
    if (keep_pass) {
        pass.cap = 4096;
        pass.buf = nf_xmalloc(pass.cap);
    }

    memset(t, 0, sizeof *t);
    t->time_key = o->time_key ? o->time_key : "WINDOW_START";
    t->source = l->npaths > 0 && strcmp(l->paths[0], "-") != 0 ? l->paths[0] : "<stdin>";

    keys.in = l;
    keys.t = t;
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
        if (grid.stride == 0) {
            grid.stride = count_numbers(obj, t->time_key);
            if (o->ncolumns == 0 && (o->roles == NF_ROLES_SEASONAL || o->roles == NF_ROLES_CHANGE))
                choose_by_kind(obj, &eff, t, l);
        }
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
                     ? keymap_column(&keys, &hint, item->string, &cols, &eff, t->time_key)
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
    free(t->left_out);
    memset(t, 0, sizeof *t);
}

void nf_table_say_columns(const struct nf_table *t)
{
    size_t i, len = 0, shown = t->ncols < LEFT_OUT_NAMES ? t->ncols : LEFT_OUT_NAMES;
    char *list, *end;
    if (t->chosen_by && t->ncols > 0) {
        for (i = 0; i < shown; i++)
            len += strlen(t->colnames[i]) + 2;
        end = list = nf_xmalloc(len + 1);
        *end = '\0';
        for (i = 0; i < shown; i++)
            end += sprintf(end, "%s%s", i ? ", " : "", t->colnames[i]);
        if (shown < t->ncols)
            nf_warn("columns %s and %zu more (%s); --columns chooses others", list,
                    t->ncols - shown, t->chosen_by);
        else
            nf_warn("column%s %s (%s); --columns chooses others", t->ncols == 1 ? "" : "s", list,
                    t->chosen_by);
        free(list);
    }
    if (t->nleft_out > 0 && !t->chosen_by)
        nf_warn("left out as identifiers or derived statistics (passed through): %s%s; "
                "name them in --columns to use them", t->left_out,
                t->nleft_out > LEFT_OUT_NAMES ? ", ..." : "");
}

void nf_table_require_rows(const struct nf_table *t, const struct nf_rejects *rej)
{
    if (t->nrows == 0 && rej->count > 0)
        nf_die("%s: no usable record (all %llu skipped)", t->source,
               (unsigned long long)rej->count);
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

size_t nf_table_row_at_or_after(const struct nf_table *t, int64_t ms)
{
    size_t lo = 0, hi = t->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->time[mid] < ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
