/*
 * csv_reader.h - rows of a CSV file through libcsv, with what the bad-line
 * policy needs: the line number where each row starts and the row's raw
 * bytes (for --rejects). Lines are fed to libcsv one at a time, so a row is
 * always whole lines (a quoted field may still span several).
 */
#ifndef NF_CSV_READER_H
#define NF_CSV_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct csv_row {
    const char *const *field; /* NUL-terminated, surrounding blanks removed by libcsv */
    const size_t *len;
    size_t n;                 /* fields in this row */
    const char *raw;          /* the row's bytes as read, including its line end */
    size_t raw_len;
    uint64_t line;            /* line number of the row's first line (1-based) */
};

/* Called once per row; return nonzero to stop reading this input. */
typedef int (*csv_row_fn)(void *arg, const struct csv_row *row);

/*
 * Which fields a reader needs, set by the caller (typically once it has
 * seen the header): fields i < n with col[i] == 0 are delivered empty,
 * which saves copying columns nobody reads. n == 0 keeps everything.
 */
struct csv_keep {
    unsigned char *col;
    size_t n;
};

/*
 * Reads every row of f and hands it to fn. Blank lines are not rows.
 * name is for messages; keep may be NULL. Dies on a read error.
 */
void csv_read(FILE *f, const char *name, csv_row_fn fn, void *arg, const struct csv_keep *keep);

#endif
