/*
 * pace.c - replay timing. A record is due at start + (its time - the
 * first record's time) / speed; with --rate, no earlier than start +
 * n / rate. A record whose time is before the latest one is due at once
 * (it is late), so an unsorted input never makes the replayer wait
 * backwards.
 */
#include "pace.h"

#include <errno.h>
#include <time.h>

int64_t pace_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void pace_init(struct pace *p, double speed, double rate)
{
    p->speed = speed;
    p->rate = rate;
    p->started = p->has_first = 0;
    p->n = 0;
}

int64_t pace_due(struct pace *p, const struct nf_flow *f)
{
    int64_t due = 0;
    if (!p->started) {
        p->start_ns = pace_now();
        p->started = 1;
    }
    if (p->speed > 0 && f->has_time) {
        if (!p->has_first) {
            p->first_ms = f->first_ms;
            p->has_first = 1;
        }
        if (f->first_ms > p->first_ms) {
            double ns = (double)(f->first_ms - p->first_ms) * 1e6 / p->speed;
            due = p->start_ns + (ns > 9e18 ? (int64_t)9e18 : (int64_t)ns);
        }
    }
    if (p->rate > 0) {
        int64_t by_rate = p->start_ns + (int64_t)((double)p->n * 1e9 / p->rate);
        if (by_rate > due)
            due = by_rate;
    }
    p->n++;
    return due < p->start_ns ? p->start_ns : due;
}

int pace_sleep_until(int64_t due_ns)
{
    struct timespec ts;
    int rc;
    if (due_ns <= pace_now())
        return 0;
    ts.tv_sec = (time_t)(due_ns / 1000000000);
    ts.tv_nsec = (long)(due_ns % 1000000000);
    rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    return rc == EINTR ? -1 : 0;
}
