/*
 * crops.c - CROPS. For two penalties b0 < b1 whose optimal segmentations
 * have m0 > m1 + 1 change points and costs Q0 < Q1, the lines Q + m*b
 * cross at b = (Q1 - Q0) / (m0 - m1); PELT at that penalty either returns
 * a segmentation with a change-point count strictly between (then both
 * halves are searched) or shows none exists there. Afterwards each
 * segmentation's interval is where its line is the lowest.
 */
#include "crops.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t add(struct nf_crops *c, const struct nf_segdata *sd, size_t minseg, double pen)
{
    struct nf_seg_result r;
    size_t i;
    nf_pelt(sd, pen, minseg, NF_PRUNE_EXACT, &r);
    c->runs++;
    for (i = 0; i < c->nsegs; i++)
        if (c->segs[i].res.ncpts == r.ncpts) {
            nf_seg_result_free(&r);
            return i;
        }
    c->segs = nf_xrealloc(c->segs, (c->nsegs + 1) * sizeof *c->segs);
    c->segs[c->nsegs].res = r;
    c->segs[c->nsegs].pen_lo = c->segs[c->nsegs].pen_hi = pen;
    return c->nsegs++;
}

static int by_ncpts_desc(const void *a, const void *b)
{
    const struct nf_crops_seg *x = a, *y = b;
    return x->res.ncpts < y->res.ncpts ? 1 : x->res.ncpts > y->res.ncpts ? -1 : 0;
}

void nf_crops_run(const struct nf_segdata *sd, size_t minseg, double pen_min, double pen_max,
                  struct nf_crops *c)
{
    size_t *stack, nstack = 0, cap = 16, i, j, keep;
    memset(c, 0, sizeof *c);
    stack = nf_xmalloc(cap * 2 * sizeof *stack);
    stack[0] = add(c, sd, minseg, pen_min);
    stack[1] = add(c, sd, minseg, pen_max);
    nstack = 1;
    while (nstack > 0) {
        size_t lo, hi, mid, na, nb;
        double pen;
        nstack--;
        lo = stack[2 * nstack];
        hi = stack[2 * nstack + 1];
        /* Counts copied: add() may move c->segs. */
        na = c->segs[lo].res.ncpts;
        nb = c->segs[hi].res.ncpts;
        if (na <= nb + 1)
            continue;
        pen = (c->segs[hi].res.cost - c->segs[lo].res.cost) / (double)(na - nb);
        if (!(pen > pen_min && pen < pen_max))
            continue;
        mid = add(c, sd, minseg, pen);
        if (c->segs[mid].res.ncpts >= na || c->segs[mid].res.ncpts <= nb)
            continue;
        if (nstack + 2 > cap) {
            cap *= 2;
            stack = nf_xrealloc(stack, cap * 2 * sizeof *stack);
        }
        stack[2 * nstack] = lo;
        stack[2 * nstack + 1] = mid;
        stack[2 * nstack + 2] = mid;
        stack[2 * nstack + 3] = hi;
        nstack += 2;
    }
    free(stack);

    /* Intervals on the lower envelope of the lines cost + m * pen. */
    qsort(c->segs, c->nsegs, sizeof *c->segs, by_ncpts_desc);
    for (i = 0; i < c->nsegs; i++) {
        double lo = pen_min, hi = pen_max;
        const struct nf_seg_result *ri = &c->segs[i].res;
        for (j = 0; j < c->nsegs; j++) {
            const struct nf_seg_result *rj = &c->segs[j].res;
            double x;
            if (j == i)
                continue;
            x = (rj->cost - ri->cost) / ((double)ri->ncpts - (double)rj->ncpts);
            if (rj->ncpts > ri->ncpts && x > lo)
                lo = x;
            if (rj->ncpts < ri->ncpts && x < hi)
                hi = x;
        }
        c->segs[i].pen_lo = lo;
        c->segs[i].pen_hi = hi;
    }
    for (i = keep = 0; i < c->nsegs; i++) {
        if (c->segs[i].pen_lo <= c->segs[i].pen_hi)
            c->segs[keep++] = c->segs[i];
        else
            nf_seg_result_free(&c->segs[i].res);
    }
    c->nsegs = keep;
}

void nf_crops_free(struct nf_crops *c)
{
    size_t i;
    for (i = 0; i < c->nsegs; i++)
        nf_seg_result_free(&c->segs[i].res);
    free(c->segs);
    memset(c, 0, sizeof *c);
}
