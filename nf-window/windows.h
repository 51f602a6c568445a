/*
 * windows.h - the open windows of a run and how they are written.
 *
 * Only windows that may still receive records are held: a window is
 * written ("closed") once the watermark passes its end, and everything
 * before the watermark's window counts as written from then on, whether
 * it held records or not, so memory depends on the open windows only.
 * Aggregate windows are written in canonical key order, with fill records
 * for empty windows between two non-empty ones (unless the gap exceeds
 * max_gap or fill is off); --flows windows hold the flows' encoded text
 * and the oldest possible window streams straight to the output.
 * --with-flows windows hold both: a window's fill records for the empty
 * windows before it, then its flows, then its aggregates. Every flow adds
 * to the aggregates of its own window (main.c refuses FLOWS 0 there), so a
 * window holding flows is never empty and the fill before it is known as
 * soon as it is the oldest possible window.
 */
#ifndef NFW_WINDOWS_H
#define NFW_WINDOWS_H

#include <stdint.h>
#include <stdio.h>

#include "jsonw.h"
#include "keytab.h"

struct window {
    int64_t start;
    struct keytab tab;  /* aggregates */
    FILE *mem;          /* flows: encoded records (open_memstream) */
    char *membuf;
    size_t memlen;
    int direct;         /* flows: records go straight to the output */
};

struct engine {
    int64_t width;          /* window length, ms */
    int flows, aggregates;  /* what the windows hold: --flows one, --with-flows both */
    int fill;               /* write fill records for empty windows */
    int64_t max_gap;        /* ms: longer runs of empty windows are not filled */
    int defer_messages;     /* keep gap messages for engine_print_messages */
    struct nf_jw *out;      /* aggregate and fill records, and --flows windows */
    struct nf_jw enc;       /* flows: encoder, aimed at one window's stream at a time */

    struct window **open;   /* open windows, by start */
    size_t nopen, capopen;
    struct window **pool;   /* closed windows kept for reuse */
    size_t npool, cappool;
    int64_t closed_until;   /* windows starting before this are written */

    int has_prev;           /* a non-empty aggregate window has been written */
    int64_t fill_from;      /* the first window after it not yet filled or reported as a gap */
    uint64_t gaps;          /* gaps longer than max_gap */
    char **messages;
    size_t nmessages;
    uint64_t windows_written, records_written;
};

void engine_init(struct engine *e, struct nf_jw *out, int64_t width, int flows, int aggregates);
void engine_free(struct engine *e);

/* 1 when a record for the window starting at start can no longer be written. */
static inline int engine_is_closed(const struct engine *e, int64_t start)
{
    return start < e->closed_until;
}

/* Adds to the aggregate of key in the window starting at start (which must be open or openable). */
void engine_add(struct engine *e, int64_t start, const struct agg_key *k, uint64_t hash,
                uint64_t flows, uint64_t packets, uint64_t bytes);

/* Flows: the encoder aimed at the window starting at start; write one record, then call engine_flow_done. */
struct nf_jw *engine_flow_writer(struct engine *e, int64_t start);

/* Writes every open window that ends at or before watermark (ms), in time order. */
void engine_advance(struct engine *e, int64_t watermark);
/* Writes every open window. */
void engine_finish(struct engine *e);

/*
 * Writes every open window, then starts over as if nothing had been
 * written: time went back further than any lateness can hold (the input
 * joins separate captures), and what follows is a new time-ordered run.
 */
void engine_restart(struct engine *e);

/*
 * Continues a series an earlier run wrote up to t (a window start): windows
 * before t count as written, and the empty windows from t on are filled.
 */
void engine_start_at(struct engine *e, int64_t t);

/*
 * Forgets what has been written (merge: the spool is read back in): no
 * window counts as closed and no previous window is known.
 */
void engine_reopen_all(struct engine *e);

/* Prints the deferred gap messages (merge mode) and drops them. */
void engine_print_messages(struct engine *e);

#endif
