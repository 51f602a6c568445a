/*
 * markdown.h - Markdown output: a growing document and pipe tables whose
 * columns are padded to equal width (counting UTF-8 characters), so the
 * source reads as well as the rendering.
 */
#ifndef NFX_MARKDOWN_H
#define NFX_MARKDOWN_H
#include <stddef.h>
#include <stdio.h>

struct nfx_md {
    char *buf;
    size_t len;
    FILE *f; /* open_memstream on buf */
};
void nfx_md_init(struct nfx_md *m);
void nfx_md_printf(struct nfx_md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Closes the stream; m->buf / m->len then hold the text (caller frees via nfx_md_free). */
void nfx_md_close(struct nfx_md *m);
void nfx_md_free(struct nfx_md *m);

struct nfx_table {
    size_t ncols, nrows, cap;
    char **cells;     /* (nrows + 1) x ncols, row 0 is the header */
    char align[16];   /* 'l' or 'r' per column */
};
/* Columns from "Feature|Value|Percentile" and alignments "lrr". */
void nfx_table_init(struct nfx_table *t, const char *header, const char *align);
/* Appends a row of ncols cells (copied). */
void nfx_table_row(struct nfx_table *t, const char *const *cells);
/* Convenience: cells separated by '|' in one printf-formatted text (an escaped \| stays in its cell). */
void nfx_table_rowf(struct nfx_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nfx_table_write(const struct nfx_table *t, struct nfx_md *m);
void nfx_table_free(struct nfx_table *t);

/*
 * Text from the data (column names, labels of unknown columns, addresses,
 * keys) for Markdown. nfx_md_text: for prose and table cells, Markdown's
 * punctuation \ ` * _ [ ] < > & # ! ~ | backslash-escaped (so no HTML, link,
 * emphasis or table cell comes from the data; '_' inside a word is kept). nfx_md_code: a code span
 * with a fence longer than any run of backticks inside. Both write control
 * characters, DEL, C1 controls and bytes that are not UTF-8 as visible
 * \n, \r, \t or \xHH, so no newline or terminal escape reaches the file
 * or the terminal raw. The result lives until nfx_md_text_free().
 */
const char *nfx_md_text(const char *s);
const char *nfx_md_code(const char *s);
/* nfx_md_text of a label, its first letter upper-cased when capital. */
const char *nfx_md_label(const char *label, int capital);
void nfx_md_text_free(void);
/* A formatted text of any length, kept like the escaped ones (no fixed buffer to cut it). */
const char *nfx_kept(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Closes m and keeps its text like nfx_kept (m needs no nfx_md_free). */
const char *nfx_md_keep(struct nfx_md *m);

#endif
