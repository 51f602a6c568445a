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

/*
 * Distinct numeric keys a table reads (selected as columns or not), over
 * all rows: one line with more is refused (exit 1, file:line). 4 M keys of
 * a few bytes each are a line of about 50 MB and 1.5 GB of parsed JSON.
 */
#define NF_TABLE_MAX_KEYS (1u << 22)

/*
 * What a stage reads by default (no --columns), docs/records.md "Which
 * columns a stage reads". NF_ROLES_ALL is every numeric key but the time
 * key and WINDOW_END (the old rule, for readers that look keys up
 * themselves). The others leave out identifiers and labels
 * (nf_is_identifier) and derived statistics (nf_is_derived), which pass
 * through untouched, and read by what the first row says the input is:
 *   FEATURES  every numeric measurement (nf-pca);
 *   SEASONAL  after nf-pca (spe, t2 and pc1..) its components pc<N>,
 *             else as FEATURES (nf-decompose);
 *   CHANGE    after nf-decompose its *_adjusted columns (an error when it
 *             kept only trend/seasonal/remainder), after nf-pca its
 *             components, else as FEATURES (nf-pelt).
 */
enum nf_table_roles { NF_ROLES_ALL, NF_ROLES_FEATURES, NF_ROLES_SEASONAL, NF_ROLES_CHANGE };

struct nf_table_opts {
    const char *time_key;   /* NULL = "WINDOW_START" */
    char **columns;         /* glob patterns, or NULL/0 = all numeric */
    size_t ncolumns;
    char **exclude;         /* glob patterns */
    size_t nexclude;
    int columns_checked;    /* the caller reports unmatched columns itself (no usage error) */
    int no_pass;            /* pass-through text is not kept (pass, pass_len stay NULL) */
    enum nf_table_roles roles; /* the default columns when ncolumns is 0 */
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
    const char *chosen_by; /* why these columns, when the input's kind chose them; else NULL */
    size_t nleft_out;   /* numeric identifiers and derived keys left out by default */
    char *left_out;     /* their names, ", "-separated (the first few), or NULL */
};

/* Identifier or label keys of the record contract (docs/records.md): never a default column. */
int nf_is_identifier(const char *key);
/* Statistics a stage derived (spe, t2, limits, trends, seasonals, segments): never a default column. */
int nf_is_derived(const char *key);

/*
 * When the input's kind chose the columns or identifiers were left out,
 * says so on stderr: "columns pc1, pc2 (nf-pca output: its components);
 * --columns chooses others", "left out as identifiers: ID, L4_SRC_PORT".
 */
void nf_table_say_columns(const struct nf_table *t);

/*
 * Input that had records but gave no usable row (every line skipped) is
 * an error, exit 1: "FILE: no usable record (all 12 skipped)". Empty
 * input is not (exit 0, no output).
 */
void nf_table_require_rows(const struct nf_table *t, const struct nf_rejects *rej);

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

/* The first row whose time is at or after ms (nrows when none); rows in time order. */
size_t nf_table_row_at_or_after(const struct nf_table *t, int64_t ms);

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
