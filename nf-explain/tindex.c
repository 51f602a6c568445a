/*
 * tindex.c - a sparse time index of a growing NDJSON file (tindex.h). A
 * line's time is read as the number after the first "KEY": in it, without
 * parsing the line: the files are nf-window's and nf-parse's own output.
 * One line whose time cannot be read so (another layout, a text time, a
 * bad line) makes every span the whole file, as without the index. The
 * reader still parses and checks every line it is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "tindex.h"

/* Lines between marks: a span is at most this many lines wider on each side. */
#define NFX_TMARK_LINES 1024

void nfx_tindex_init(struct nfx_tindex *x, const char *path, const char *key)
{
    memset(x, 0, sizeof *x);
    x->path = path;
    snprintf(x->key, sizeof x->key, "\"%s\":", key);
    x->max_time = INT64_MIN;
}

/* 0: *ms is the line's time; 1: a blank line or a null time (nothing a report reads); -1: unreadable. */
static int line_time(const struct nfx_tindex *x, const char *line, size_t n, int64_t *ms)
{
    const char *at = memmem(line, n, x->key, strlen(x->key));
    char *end;
    long long v;
    if (strspn(line, " \t\r\n") == n)
        return 1;
    if (!at)
        return -1;
    at += strlen(x->key);
    if (strncmp(at, "null", 4) == 0)
        return 1;
    errno = 0;
    v = strtoll(at, &end, 10);
    if (end == at || errno)
        return -1;
    *ms = v;
    return 0;
}

static void add_mark(struct nfx_tindex *x)
{
    if (x->nmarks == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 64;
        x->marks = nf_xrealloc(x->marks, x->cap * sizeof *x->marks);
    }
    x->marks[x->nmarks++] = (struct nfx_tmark){x->end, x->lines, x->max_time};
}

int nfx_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

FILE *nfx_open_at(const char *path, off_t at)
{
    FILE *f = fopen(path, "r");
    if (!f)
        nf_die("%s: %s", path, strerror(errno));
    if (fseeko(f, at, SEEK_SET) != 0)
        nf_die("%s: cannot seek to byte %lld: %s", path, (long long)at, strerror(errno));
    return f;
}

void nfx_tindex_update(struct nfx_tindex *x)
{
    FILE *f = nfx_open_at(x->path, x->end);
    ssize_t n;
    int64_t ms;
    while ((n = getline(&x->buf, &x->bufcap, f)) > 0 && x->buf[n - 1] == '\n') {
        if (x->lines % NFX_TMARK_LINES == 0)
            add_mark(x);
        int rc = line_time(x, x->buf, (size_t)n, &ms);
        if (rc == 0 && ms > x->max_time)
            x->max_time = ms;
        x->blind |= rc < 0;
        x->end += n;
        x->lines++;
    }
    if (ferror(f))
        nf_die("error reading %s: %s", x->path, strerror(errno));
    fclose(f);
}

/* Whether every line from mark m on is later than to: the latest before it is more than late past to. */
static int past(const struct nfx_tmark *m, int64_t to, int64_t late)
{
    return m->max_before > to && (uint64_t)m->max_before - (uint64_t)to > (uint64_t)late;
}

struct nfx_span nfx_tindex_span(const struct nfx_tindex *x, int64_t from, int64_t to, int64_t late)
{
    struct nfx_span s = {0, x->end, 0};
    size_t lo = 0, hi = x->nmarks, mid;
    if (x->blind) /* a line of unknown time could be anywhere */
        return (struct nfx_span){0, 0, 0};
    if (x->nmarks == 0 || x->end == 0)
        return s;
    /* the last mark before which every line is earlier than from */
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (x->marks[mid].max_before < from)
            lo = mid;
        else
            hi = mid;
    }
    s.start = x->marks[lo].offset;
    s.line = x->marks[lo].line;
    /* the first mark after which no line can be as early as to (the marks' times only grow) */
    lo = lo + 1, hi = x->nmarks;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (past(&x->marks[mid], to, late))
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo < x->nmarks)
        s.end = x->marks[lo].offset;
    return s;
}

void nfx_tindex_free(struct nfx_tindex *x)
{
    free(x->marks);
    free(x->buf);
    memset(x, 0, sizeof *x);
}
