/*
 * tindex.h - where the lines of a growing file lie by time, for
 * nf-explain --follow: the records and flows files of a live run grow for
 * as long as it runs, and a report needs the few windows around its change
 * point, not the whole file.
 */
#ifndef NFX_TINDEX_H
#define NFX_TINDEX_H
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* A part of a file: bytes [start, end), its first line numbered line + 1; end 0: the whole file. */
struct nfx_span {
    off_t start, end;
    uint64_t line;
};

struct nfx_tmark {
    off_t offset;       /* where line `line` starts */
    uint64_t line;
    int64_t max_before; /* the latest time of the lines before it */
};

struct nfx_tindex {
    const char *path;
    char key[64];                /* "\"WINDOW_START\":" */
    off_t end;                   /* indexed: the complete lines up to here */
    uint64_t lines;
    int64_t max_time;            /* the latest time of the lines indexed */
    int blind;                   /* a line's time could not be read: spans are the whole file */
    struct nfx_tmark *marks;     /* one each NFX_TMARK_LINES lines */
    size_t nmarks, cap;
    char *buf;
    size_t bufcap;
};

void nfx_tindex_init(struct nfx_tindex *x, const char *path, const char *key);
/* Indexes the complete lines appended since the last call. */
void nfx_tindex_update(struct nfx_tindex *x);
/*
 * The indexed part that holds every line with a time in [from, to], when
 * a line is never more than `late` ms earlier than a line before it (the
 * file is in time order up to that).
 */
struct nfx_span nfx_tindex_span(const struct nfx_tindex *x, int64_t from, int64_t to, int64_t late);
void nfx_tindex_free(struct nfx_tindex *x);
/* path opened for reading at byte `at` (a growing file read on from where it was left); dies on error. */
FILE *nfx_open_at(const char *path, off_t at);
/* Whether path is a regular file (one that can be read again; a pipe is read once). */
int nfx_is_regular(const char *path);

#endif
