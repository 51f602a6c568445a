/* events.c - change points close in time become one event. */
#include "events.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>

int nf_change_undone(const double *before, const double *mid, const double *after, size_t d)
{
    double step = 0, back = 0;
    size_t k;
    for (k = 0; k < d; k++) {
        step += (mid[k] - before[k]) * (mid[k] - before[k]);
        back += (after[k] - before[k]) * (after[k] - before[k]);
    }
    return sqrt(back) < sqrt(step) / 2;
}

static int by_row(const void *a, const void *b)
{
    const struct nf_change *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->cpt > y->cpt) - (x->cpt < y->cpt);
}

static double strength(const struct nf_change *c)
{
    return c->penalty > 0 ? c->cost_reduction / c->penalty : c->cost_reduction;
}

static int by_strength(const void *a, const void *b)
{
    double x = strength(a), y = strength(b);
    if (x != y)
        return x > y ? -1 : 1;
    return by_row(a, b); /* deterministic order on ties */
}

size_t nf_events_group(struct nf_change *changes, size_t n, size_t gap, struct nf_event **events)
{
    size_t i, ne = 0;
    struct nf_event *ev;
    qsort(changes, n, sizeof *changes, by_row);
    ev = nf_xcalloc(n ? n : 1, sizeof *ev);
    for (i = 0; i < n; i++) {
        if (ne > 0 && changes[i].row - changes[i - 1].row <= gap) {
            ev[ne - 1].count++;
        } else {
            ev[ne].first = i;
            ev[ne].count = 1;
            ne++;
        }
    }
    for (i = 0; i < ne; i++) {
        struct nf_change *c = changes + ev[i].first;
        size_t k;
        qsort(c, ev[i].count, sizeof *c, by_strength);
        ev[i].row = c[0].row;
        ev[i].score = 0;
        for (k = 0; k < ev[i].count; k++)
            ev[i].score += strength(&c[k]);
    }
    *events = ev;
    return ne;
}
