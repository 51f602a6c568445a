/* pelt.c - PELT with exact pruning (see pelt.h for why it is exact). */
#include "pelt.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nf_seg_result_free(struct nf_seg_result *r)
{
    free(r->cpts);
    memset(r, 0, sizeof *r);
}

void nf_seg_backtrack(const struct nf_segdata *sd, const double *F, const size_t *last,
                      double pen, size_t minseg, struct nf_seg_result *r)
{
    size_t n = sd->n, t, k = 0;
    r->cpts = NULL;
    r->ncpts = 0;
    if (n < minseg || n == 0) {
        /* Too short even for one segment: the whole series is one. */
        r->total = n ? nf_seg_cost(sd, 0, n) : 0;
        r->cost = r->total;
        return;
    }
    for (t = last[n]; t > 0; t = last[t])
        k++;
    r->cpts = nf_xmalloc((k + 1) * sizeof *r->cpts);
    r->ncpts = k;
    for (t = last[n]; t > 0; t = last[t])
        r->cpts[--k] = t;
    r->total = F[n];
    r->cost = F[n] - (double)r->ncpts * pen;
}

/* Size of the numbers the costs are computed from, for the rounding tolerance. */
static double magnitude(const struct nf_segdata *sd)
{
    double m = fabs(nf_seg_base(sd, 0, sd->n));
    size_t c;
    for (c = 0; c < sd->d; c++) {
        size_t off = c * (sd->n + 1) + sd->n;
        m += fabs(sd->s1[off]) + fabs(sd->s2[off]);
    }
    return m;
}

void nf_pelt(const struct nf_segdata *sd, double pen, size_t minseg, enum nf_pruning pruning,
             struct nf_seg_result *r)
{
    size_t n = sd->n, t, i, ncand = 0, keep;
    double *F, *bound, tol;
    size_t *last, *cand, *kill;

    memset(r, 0, sizeof *r);
    if (minseg < 1)
        minseg = 1;
    if (n < minseg || n == 0) {
        nf_seg_backtrack(sd, NULL, NULL, pen, minseg, r);
        return;
    }
    F = nf_xmalloc((n + 1) * sizeof *F);
    last = nf_xcalloc(n + 1, sizeof *last);
    cand = nf_xmalloc((n + 1) * sizeof *cand);
    kill = nf_xmalloc((n + 1) * sizeof *kill);
    bound = nf_xmalloc((n + 1) * sizeof *bound);
    tol = 1e-9 * (1 + magnitude(sd));

    F[0] = -pen;
    for (t = minseg; t < 2 * minseg && t <= n; t++) {
        /* R sets these to the cost alone; -pen + c + pen may differ in the last bit. */
        F[t] = pruning == NF_PRUNE_R ? nf_seg_cost(sd, 0, t) : F[0] + nf_seg_cost(sd, 0, t) + pen;
        last[t] = 0;
        r->evaluations++;
    }
    cand[ncand] = 0;
    kill[ncand++] = SIZE_MAX;
    for (t = 2 * minseg; t <= n; t++) {
        double best = INFINITY;
        size_t arg = 0;
        /* t - minseg becomes admissible now; drop candidates whose time has come. */
        cand[ncand] = t - minseg;
        kill[ncand++] = SIZE_MAX;
        for (i = keep = 0; i < ncand; i++) {
            if (kill[i] <= t)
                continue;
            cand[keep] = cand[i];
            kill[keep++] = kill[i];
        }
        ncand = keep;
        for (i = 0; i < ncand; i++) {
            size_t tau = cand[i];
            double base = nf_seg_base(sd, tau, t);
            double v = F[tau] + (base + nf_seg_extra(sd, tau, t)) + pen;
            bound[i] = pruning == NF_PRUNE_R ? v : F[tau] + base;
            if (v < best) {
                best = v;
                arg = tau;
            }
        }
        r->evaluations += ncand;
        F[t] = best;
        last[t] = arg;
        if (pruning == NF_PRUNE_R) {
            for (i = 0; i < ncand; i++)
                if (bound[i] > best + pen)
                    kill[i] = t + 1;
        } else {
            for (i = 0; i < ncand; i++)
                if (kill[i] == SIZE_MAX && bound[i] > best + tol)
                    kill[i] = t + minseg;
        }
    }
    nf_seg_backtrack(sd, F, last, pen, minseg, r);
    free(F);
    free(last);
    free(cand);
    free(kill);
    free(bound);
}
