/*
 * events.h - change points of several columns that describe one shift
 * become one event (nf-pelt --events).
 *
 * A shift moves several components at once, and each component's
 * segmentation places its change point within a window or two of the
 * others. Change points are sorted by row; a change point at most `gap`
 * rows after the previous one of the same event joins it (single
 * linkage, so an event spans at most gap rows between neighbours). The
 * event's row is that of its strongest change point; its score is the
 * sum over its change points of cost_reduction / penalty: how many times
 * over the evidence pays for the change points it needed.
 */
#ifndef NF_PELT_EVENTS_H
#define NF_PELT_EVENTS_H

#include <stddef.h>

struct nf_change {
    size_t row;             /* first row of the new segment */
    size_t group, cpt;      /* which segmentation and which of its change points */
    double cost_reduction, penalty;
};

struct nf_event {
    size_t first, count;    /* changes[first .. first+count) after nf_events_group's sort */
    size_t row;             /* row of the strongest change point */
    double score;
};

/*
 * Sorts changes[0..n) by row (ties by group) and groups them; returns the
 * number of events written to *events (malloc'd, the caller frees). Within
 * an event the changes are then ordered by decreasing strength.
 */
/*
 * 1 when a change is undone: the level after the next change (after[])
 * is closer to the level before this one (before[]) than half the size
 * of this change (mid[] - before[]), Euclidean over d columns in the
 * scaled units. A change undone within --lasting rows is an excursion
 * (a burst, a quiet weekend day, a scan), not a lasting shift.
 */
int nf_change_undone(const double *before, const double *mid, const double *after, size_t d);

size_t nf_events_group(struct nf_change *changes, size_t n, size_t gap, struct nf_event **events);

#endif
