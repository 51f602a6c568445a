/*
 * pace.h - when each record is due on the wall clock: the records' own
 * clock (FIRST_SWITCHED) sped up --speed times from the first record on,
 * and at most --rate records per second. Times are CLOCK_MONOTONIC
 * nanoseconds.
 */
#ifndef NF_REPLAY_PACE_H
#define NF_REPLAY_PACE_H

#include <stdint.h>

#include "flow.h"

struct pace {
    double speed;        /* 0: no pacing by the records' clock */
    double rate;         /* records per second at most; 0: no cap */
    int64_t start_ns;    /* wall time of the first record */
    int64_t first_ms;    /* its record time */
    int started, has_first;
    uint64_t n;          /* records paced so far */
};

void pace_init(struct pace *p, double speed, double rate);
/* Monotonic ns now. */
int64_t pace_now(void);
/* When f is due (ns); the first record is due at once. */
int64_t pace_due(struct pace *p, const struct nf_flow *f);
/*
 * Sleeps until due (returns at once when it has passed). Returns early,
 * with -1, when a signal arrives (the caller checks its stop flag).
 */
int pace_sleep_until(int64_t due_ns);

#endif
