/*
 * markdown.c - the report document and aligned pipe tables (markdown.h).
 */
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
    const char *p;
    size_t i, short_align;
    size_t n = 1;
    for (p = header; *p; p++)
        n += *p == '|';
    if (n > sizeof t->align)
        nf_die("internal error: table with %zu columns", n);
    t->ncols = n;
    t->nrows = 0;
    t->cap = 8;
    t->cells = nf_xcalloc(t->cap * n, sizeof *t->cells);
    /* an align string shorter than the header leaves the rest left-aligned */
    for (i = 0, short_align = 0; i < n && i < sizeof t->align; i++) {
        short_align |= align[i] == '\0';
        t->align[i] = !short_align && align[i] == 'r' ? 'r' : 'l';
    }
    char *copy = nf_xstrdup(header), *save = NULL, *tok = strtok_r(copy, "|", &save);
    for (i = 0; i < n; i++) {
        t->cells[i] = nf_xstrdup(tok ? tok : "");
        tok = strtok_r(NULL, "|", &save);
    }
    free(copy);
}

/* Whether the '|' at p is escaped: an odd number of backslashes before it. */
static int escaped_at(const char *start, const char *p)
{
    size_t n = 0;
    while (p > start && p[-1] == '\\')
        p--, n++;
    return n % 2 == 1;
}

/* The first '|' of s that is not escaped, or NULL. */
static char *cell_end(char *s)
{
    char *p;
    for (p = s; *p; p++)
        if (*p == '|' && !escaped_at(s, p))
            return p;
    return NULL;
}

void nfx_table_row(struct nfx_table *t, const char *const *cells)
{
    size_t i;
    const char *p;
    if (t->nrows + 2 > t->cap) {
        t->cap *= 2;
        t->cells = nf_xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
    }
    char **row = t->cells + (t->nrows + 1) * t->ncols;
    for (i = 0; i < t->ncols; i++) {
        /* A '|' inside a cell would split it: escape it. */
        const char *c = cells[i] ? cells[i] : "";
        char *out = nf_xmalloc(2 * strlen(c) + 1), *o = out;
        for (p = c; *p; p++) {
            if (*p == '|' && !escaped_at(c, p))
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
    size_t i;
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        nf_die("out of memory");
    va_end(ap);
    const char *cells[16] = {0};
    char *p = text;
    for (i = 0; i < t->ncols; i++) {
        char *bar = p ? cell_end(p) : NULL;
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
    size_t i;
    for (i = 0; i < n; i++)
        fputc(' ', m->f);
}

void nfx_table_write(const struct nfx_table *t, struct nfx_md *m)
{
    size_t r, c, i;
    size_t width[16] = {0};
    for (r = 0; r <= t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            size_t w = display_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (c = 0; c < t->ncols; c++)
        if (width[c] < 3)
            width[c] = 3;
    for (r = 0; r <= t->nrows; r++) {
        fputc('|', m->f);
        for (c = 0; c < t->ncols; c++) {
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
            for (c = 0; c < t->ncols; c++) {
                fputc(' ', m->f);
                for (i = 0; i + 1 < width[c]; i++)
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
    size_t i;
    for (i = 0; i < (t->nrows + 1) * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
}

/*
 * Text from the data in Markdown. Every escaped copy is kept on one list
 * and freed by nfx_md_text_free(), so callers can use it inside printf
 * arguments; text that needs no escaping is returned as it is.
 */
static char **escaped;
static size_t nescaped, cap_escaped;

static const char *keep(char *s)
{
    if (nescaped == cap_escaped) {
        cap_escaped = cap_escaped ? 2 * cap_escaped : 64;
        escaped = nf_xrealloc(escaped, cap_escaped * sizeof *escaped);
    }
    escaped[nescaped++] = s;
    return s;
}

void nfx_md_text_free(void)
{
    size_t i;
    for (i = 0; i < nescaped; i++)
        free(escaped[i]);
    free(escaped);
    escaped = NULL;
    nescaped = cap_escaped = 0;
}

/*
 * Length of the well-formed UTF-8 character at s that is printable text
 * (not a C1 control, U+0080-U+009F), or 0.
 */
static size_t utf8_char(const unsigned char *s)
{
    size_t n, i;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
        return 0;
    return n;
}

/*
 * Appends one character of s to out (at least 8 bytes of room): control
 * characters, DEL and bytes that are not UTF-8 text as a visible \xHH
 * (\n, \r, \t for those), Markdown's punctuation with a backslash when
 * punct is set. Returns the bytes of s consumed.
 */
static int alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Markdown punctuation that needs a backslash; '_' inside a word never marks emphasis. */
static int needs_escape(const unsigned char *s, const unsigned char *start)
{
    if (s[0] == '_')
        return !(s > start && alnum(s[-1]) && alnum(s[1]));
    return s[0] && strchr("\\`*[]<>&#!~", s[0]) != NULL;
}

static size_t put_char(const unsigned char *s, const unsigned char *start, char **out, int punct)
{
    size_t n = utf8_char(s);
    if (n == 0 || s[0] < 0x20 || s[0] == 0x7F) {
        const char *name = s[0] == '\n' ? "\\n" : s[0] == '\r' ? "\\r" : s[0] == '\t' ? "\\t" : NULL;
        if (name)
            *out += sprintf(*out, "%s", name);
        else
            *out += sprintf(*out, "\\x%02X", s[0]);
        return 1;
    }
    if (punct ? needs_escape(s, start) || s[0] == '|' : s[0] == '|')
        *(*out)++ = '\\';
    else if (!punct && s[0] == '\\' && s[1] == '|') {
        /* in a code span a backslash is literal: written out so it cannot escape the pipe's */
        *out += sprintf(*out, "\\x5C");
        return 1;
    }
    memcpy(*out, s, n);
    *out += n;
    return n;
}


const char *nfx_md_text(const char *s)
{
    const unsigned char *p;
    char *buf, *o;

    for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7F && *p != '|' && !needs_escape(p, (const unsigned char *)s);
         p++)
        ;
    if (!*p)
        return s;
    buf = nf_xmalloc(4 * strlen(s) + 1);
    o = buf;
    for (p = (const unsigned char *)s; *p;)
        p += put_char(p, (const unsigned char *)s, &o, 1);
    *o = '\0';
    return keep(buf);
}

const char *nfx_md_code(const char *s)
{
    const unsigned char *p;
    size_t run = 0, longest = 0, fence, i;
    char *buf, *o;
    int pad;

    for (p = (const unsigned char *)s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    fence = longest + 1;
    /* a span that starts or ends with a backtick, or is empty, is padded with a space */
    pad = !*s || s[0] == '`' || s[strlen(s) - 1] == '`';
    buf = nf_xmalloc(4 * strlen(s) + 2 * fence + 3);
    o = buf;
    for (i = 0; i < fence; i++)
        *o++ = '`';
    if (pad)
        *o++ = ' ';
    for (p = (const unsigned char *)s; *p;)
        p += put_char(p, (const unsigned char *)s, &o, 0);
    if (pad)
        *o++ = ' ';
    for (i = 0; i < fence; i++)
        *o++ = '`';
    *o = '\0';
    return keep(buf);
}

const char *nfx_md_label(const char *label, int capital)
{
    const char *t = nfx_md_text(label);
    char *s;

    if (!capital || !(t[0] >= 'a' && t[0] <= 'z'))
        return t;
    s = nf_xstrdup(t);
    s[0] = (char)(s[0] - 'a' + 'A');
    return keep(s);
}

const char *nfx_kept(const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        nf_die("out of memory");
    va_end(ap);
    return keep(text);
}

const char *nfx_md_keep(struct nfx_md *m)
{
    char *text;
    nfx_md_close(m);
    text = m->buf;
    m->buf = NULL;
    return keep(text);
}
