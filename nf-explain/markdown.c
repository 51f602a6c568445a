/*
 * markdown.c - the report document and aligned pipe tables (markdown.h).
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "markdown.h"

void nfx_md_init(struct nfx_md *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (!m->f)
        nf_die("out of memory");
}

void nfx_md_printf(struct nfx_md *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m->f, fmt, ap);
    va_end(ap);
}

void nfx_md_close(struct nfx_md *m)
{
    if (m->f) {
        fclose(m->f);
        m->f = NULL;
    }
}

void nfx_md_free(struct nfx_md *m)
{
    nfx_md_close(m);
    free(m->buf);
    m->buf = NULL;
}

/* Characters on screen: UTF-8 continuation bytes do not count. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void nfx_table_init(struct nfx_table *t, const char *header, const char *align)
{
    size_t n = 1;
    for (const char *p = header; *p; p++)
        n += *p == '|';
    if (n > sizeof t->align)
        nf_die("internal error: table with %zu columns", n);
    t->ncols = n;
    t->nrows = 0;
    t->cap = 8;
    t->cells = nf_xcalloc(t->cap * n, sizeof *t->cells);
    /* an align string shorter than the header leaves the rest left-aligned */
    for (size_t i = 0, short_align = 0; i < n && i < sizeof t->align; i++) {
        short_align |= align[i] == '\0';
        t->align[i] = !short_align && align[i] == 'r' ? 'r' : 'l';
    }
    char *copy = nf_xstrdup(header), *save = NULL, *tok = strtok_r(copy, "|", &save);
    for (size_t i = 0; i < n; i++) {
        t->cells[i] = nf_xstrdup(tok ? tok : "");
        tok = strtok_r(NULL, "|", &save);
    }
    free(copy);
}

void nfx_table_row(struct nfx_table *t, const char *const *cells)
{
    if (t->nrows + 2 > t->cap) {
        t->cap *= 2;
        t->cells = nf_xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
    }
    char **row = t->cells + (t->nrows + 1) * t->ncols;
    for (size_t i = 0; i < t->ncols; i++) {
        /* A '|' inside a cell would split it: escape it. */
        const char *c = cells[i] ? cells[i] : "";
        size_t bars = 0;
        for (const char *p = c; *p; p++)
            bars += *p == '|';
        char *out = nf_xmalloc(strlen(c) + bars + 1), *o = out;
        for (const char *p = c; *p; p++) {
            if (*p == '|')
                *o++ = '\\';
            *o++ = *p;
        }
        *o = '\0';
        row[i] = out;
    }
    t->nrows++;
}

void nfx_table_rowf(struct nfx_table *t, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        nf_die("out of memory");
    va_end(ap);
    const char *cells[16] = {0};
    char *p = text;
    for (size_t i = 0; i < t->ncols; i++) {
        char *bar = p ? strchr(p, '|') : NULL;
        if (bar)
            *bar = '\0';
        cells[i] = p ? p : "";
        p = bar ? bar + 1 : NULL;
    }
    nfx_table_row(t, cells);
    free(text);
}

static void pad(struct nfx_md *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', m->f);
}

void nfx_table_write(const struct nfx_table *t, struct nfx_md *m)
{
    size_t width[16] = {0};
    for (size_t r = 0; r <= t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = display_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t c = 0; c < t->ncols; c++)
        if (width[c] < 3)
            width[c] = 3;
    for (size_t r = 0; r <= t->nrows; r++) {
        fputc('|', m->f);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            size_t gap = width[c] - display_width(cell);
            fputc(' ', m->f);
            if (t->align[c] == 'r' && r > 0)
                pad(m, gap);
            fputs(cell, m->f);
            if (!(t->align[c] == 'r' && r > 0))
                pad(m, gap);
            fputs(" |", m->f);
        }
        fputc('\n', m->f);
        if (r == 0) {
            fputc('|', m->f);
            for (size_t c = 0; c < t->ncols; c++) {
                fputc(' ', m->f);
                for (size_t i = 0; i + 1 < width[c]; i++)
                    fputc('-', m->f);
                fputc(t->align[c] == 'r' ? ':' : '-', m->f);
                fputs(" |", m->f);
            }
            fputc('\n', m->f);
        }
    }
}

void nfx_table_free(struct nfx_table *t)
{
    for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
}
