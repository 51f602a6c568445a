/*
 * op.c - Optimal Partitioning, the O(n^2) dynamic programme PELT is
 * checked against: every admissible last change point at every time.
 * Kept deliberately plain; the unit tests and the benchmark use it.
 */
#include "pelt.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nf_op(const struct nf_segdata *sd, double pen, size_t minseg, struct nf_seg_result *r)
{
    size_t n = sd->n, t, tau;
    double *F;
    size_t *last;

    memset(r, 0, sizeof *r);
    if (minseg < 1)
        minseg = 1;
    if (n < minseg || n == 0) {
        nf_seg_backtrack(sd, NULL, NULL, pen, minseg, r);
        return;
    }
    F = nf_xmalloc((n + 1) * sizeof *F);
    last = nf_xcalloc(n + 1, sizeof *last);
    F[0] = -pen;
    for (t = minseg; t <= n; t++) {
        /* tau = 0 (no change yet), or any tau leaving minseg rows on both sides. */
        double best = F[0] + (nf_seg_base(sd, 0, t) + nf_seg_extra(sd, 0, t)) + pen;
        size_t arg = 0;
        r->evaluations++;
        for (tau = minseg; tau + minseg <= t; tau++) {
            double v = F[tau] + (nf_seg_base(sd, tau, t) + nf_seg_extra(sd, tau, t)) + pen;
            r->evaluations++;
            if (v < best) {
                best = v;
                arg = tau;
            }
        }
        F[t] = best;
        last[t] = arg;
    }
    nf_seg_backtrack(sd, F, last, pen, minseg, r);
    free(F);
    free(last);
}
