/*
 * table.h - a whole numeric series in memory, for the stages that need all
 * rows at once (nf-pca, nf-decompose, nf-pelt, nf-explain).
 *
 * Rows are NDJSON objects. The time key (default WINDOW_START) is read as
 * epoch ms (a number, or a time text nf_time_parse accepts). Columns are the
 * numeric keys, chosen by --columns / --exclude glob patterns (fnmatch),
 * default every key that holds a number in some row, minus the time key and
 * WINDOW_END (a time, not a measurement), in order of first appearance.
 * A selected key that is missing, null or not a number in a row is NaN
 * there: each stage applies its documented rule. Pass-through is decided
 * per row: a selected key holding a number becomes a column value; any
 * other member (including a selected key holding text) passes through.
 * Everything that is not a selected column is kept per row as encoded
 * member text, for pass-through on output.
 */
#ifndef NF_TABLE_H
#define NF_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jsonw.h"
#include "rec.h"

struct nf_table_opts {
    const char *time_key;   /* NULL = "WINDOW_START" */
    char **columns;         /* glob patterns, or NULL/0 = all numeric */
    size_t ncolumns;
    char **exclude;         /* glob patterns */
    size_t nexclude;
    int columns_checked;    /* the caller reports unmatched columns itself (no usage error) */
    int no_pass;            /* pass-through text is not kept (pass, pass_len stay NULL) */
};

struct nf_table {
    size_t nrows, ncols;
    char **colnames;    /* [ncols] */
    double *x;          /* nrows x ncols, row-major; NaN = missing */
    int has_time;       /* the time key was present in every row */
    int64_t *time;      /* [nrows] epoch ms, valid when has_time */
    char **pass;        /* [nrows] encoded pass-through members (incl. time key) */
    size_t *pass_len;   /* [nrows] */
    char *pass_text;    /* every row's pass[] text, NUL-separated, in one block */
    const char *time_key;
    uint64_t *lineno;   /* [nrows] input line of each row, for messages */
    const char *source; /* name of the (first) input, for messages */
};

/*
 * Reads every record from l. Rows that are not JSON objects go to rej.
 * A row whose time key is present but unreadable goes to rej as well.
 * Dies when a --columns pattern matches nothing.
 */
void nf_table_read(struct nf_table *t, struct nf_lines *l, const struct nf_table_opts *o,
                   struct nf_rejects *rej);
void nf_table_free(struct nf_table *t);

static inline double nf_table_at(const struct nf_table *t, size_t row, size_t col)
{
    return t->x[row * t->ncols + col];
}

/*
 * Index of the first row whose time is earlier than the row before it, or
 * 0 when the rows are in time order (or there is no time key).
 */
size_t nf_table_first_disorder(const struct nf_table *t);

/*
 * The time key of one row as nf_table_read reads it, for stages that
 * stream rows instead (nf-pca --model): 1 = present and read into *ms,
 * 0 = absent, -1 = present but not a time.
 */
int nf_table_row_time(const cJSON *obj, const char *key, int64_t *ms);

/* Splits "a,b,c" into a NULL-terminated malloc'd vector; *n gets the count. */
char **nf_split_list(const char *text, size_t *n);
void nf_free_list(char **list, size_t n);

#endif
