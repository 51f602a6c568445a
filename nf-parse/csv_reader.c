/*
 * csv_reader.c - libcsv driven one line at a time. libcsv does the
 * splitting and unquoting; this file adds line numbers and keeps the raw
 * bytes of the current row so that a rejected row can be copied out
 * byte for byte.
 */
#include "csv_reader.h"

#include "err.h"
#include "opt.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The first read buffer (it doubles for a longer line). 64 KB keeps it in
 * AddressSanitizer's primary allocator: at 1 MB each fuzz input paid an mmap,
 * page faults and an munmap (3,000 against 8,000 executions/s). */
#define READ_CHUNK (1u << 16)

struct reader {
    struct csv_parser p;
    /* fields of the current row, back to back with NULs */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *off, *len;
    const char **ptr;
    size_t nfields, fields_cap;
    int row_done;
    /* raw bytes of a row that spans lines */
    char *raw;
    size_t raw_len, raw_cap;
    uint64_t line;       /* lines fed so far */
    uint64_t row_line;   /* first line of the row being built */
    int in_row;          /* some line of the current row has been fed */
    csv_row_fn fn;
    void *arg;
    int stop;
    const struct csv_keep *keep;
};

/* Offset of a field nobody needs: delivered as "" without touching the arena. */
#define DROPPED ((size_t)-1)

static void on_field(void *s, size_t n, void *data)
{
    struct reader *r = data;
    size_t i = r->nfields++;
    if (i == r->fields_cap) {
        r->fields_cap = r->fields_cap ? 2 * r->fields_cap : 64;
        r->off = nf_xrealloc(r->off, r->fields_cap * sizeof r->off[0]);
        r->len = nf_xrealloc(r->len, r->fields_cap * sizeof r->len[0]);
        r->ptr = nf_xrealloc(r->ptr, r->fields_cap * sizeof r->ptr[0]);
    }
    if (r->keep && i < r->keep->n && !r->keep->col[i]) {
        r->off[i] = DROPPED;
        r->len[i] = 0;
        return;
    }
    if (r->arena_len + n + 1 > r->arena_cap) {
        while (r->arena_len + n + 1 > r->arena_cap)
            r->arena_cap = r->arena_cap ? 2 * r->arena_cap : 4096;
        r->arena = nf_xrealloc(r->arena, r->arena_cap);
    }
    if (n)
        memcpy(r->arena + r->arena_len, s, n);
    r->arena[r->arena_len + n] = '\0';
    r->off[i] = r->arena_len;
    r->len[i] = n;
    r->arena_len += n + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((struct reader *)data)->row_done = 1;
}

static void raw_append(struct reader *r, const char *s, size_t n)
{
    if (r->raw_len + n > r->raw_cap) {
        while (r->raw_len + n > r->raw_cap)
            r->raw_cap = r->raw_cap ? 2 * r->raw_cap : 4096;
        r->raw = nf_xrealloc(r->raw, r->raw_cap);
    }
    memcpy(r->raw + r->raw_len, s, n);
    r->raw_len += n;
}

/* Hands the finished row to the callback; raw is the row's bytes. */
static void deliver(struct reader *r, const char *raw, size_t raw_len)
{
    struct csv_row row;
    size_t i;
    for (i = 0; i < r->nfields; i++)
        r->ptr[i] = r->off[i] == DROPPED ? "" : r->arena + r->off[i];
    row.field = r->ptr;
    row.len = r->len;
    row.n = r->nfields;
    row.raw = raw;
    row.raw_len = raw_len;
    row.line = r->row_line;
    if (r->nfields > 0 && !r->stop && r->fn(r->arg, &row))
        r->stop = 1;
    r->nfields = 0;
    r->arena_len = 0;
    r->raw_len = 0;
    r->row_done = 0;
    r->in_row = 0;
}

/* One line including its '\n' (the last line of a file may lack it). */
static void feed_line(struct reader *r, const char *s, size_t n)
{
    r->line++;
    if (!r->in_row) {
        r->row_line = r->line;
        r->in_row = 1;
    }
    csv_parse(&r->p, s, n, on_field, on_row, r);
    if (r->row_done) {
        if (r->raw_len > 0) {
            raw_append(r, s, n);
            deliver(r, r->raw, r->raw_len);
        } else {
            deliver(r, s, n);
        }
    } else if (r->nfields > 0 || r->p.pstate != 0) {
        /* a quoted field goes on past this line (or the file ends mid-row) */
        raw_append(r, s, n);
    } else {
        /* blank line: nothing started */
        r->in_row = 0;
    }
}

void csv_read(FILE *f, const char *name, csv_row_fn fn, void *arg, const struct csv_keep *keep)
{
    struct reader r;
    char *buf;
    size_t cap = READ_CHUNK, have = 0, start, got;
    memset(&r, 0, sizeof r);
    if (csv_init(&r.p, CSV_APPEND_NULL) != 0)
        nf_die("out of memory (libcsv)");
    /* libcsv grows a field's buffer by this much at a time (default 128):
     * a field of megabytes would otherwise be copied thousands of times. */
    csv_set_blk_size(&r.p, 1 << 16);
    r.fn = fn;
    r.arg = arg;
    r.keep = keep;
    buf = nf_xmalloc(cap);
    /* SIGTERM/SIGINT: stop between reads; what was read is written (lib/opt.c) */
    while (!r.stop && !nf_stop_requested() && (got = fread(buf + have, 1, cap - have, f)) > 0) {
        char *nl;
        have += got;
        start = 0;
        while (!r.stop && !nf_stop_requested() && (nl = memchr(buf + start, '\n', have - start)) != NULL) {
            size_t end = (size_t)(nl - buf) + 1;
            feed_line(&r, buf + start, end - start);
            start = end;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (have == cap) {
            cap *= 2;
            buf = nf_xrealloc(buf, cap);
        }
    }
    if (ferror(f))
        nf_die("error reading %s: %s", name, strerror(errno));
    if (nf_stop_requested())
        r.stop = 1; /* a partial last line is not a record */
    if (!r.stop && have > 0)
        feed_line(&r, buf, have);
    if (!r.stop) {
        r.row_done = 0;
        csv_fini(&r.p, on_field, on_row, &r);
        if (r.row_done || r.nfields > 0)
            deliver(&r, r.raw_len ? r.raw : buf, r.raw_len ? r.raw_len : have);
    }
    csv_free(&r.p);
    free(buf);
    free(r.arena);
    free(r.off);
    free(r.len);
    free(r.ptr);
    free(r.raw);
}
