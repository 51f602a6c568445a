/* binseg.c - binary segmentation, the cheap start of --sigma ar1 (binseg.h). */
#include "binseg.h"

#include "err.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Cost of [s, t) with each column divided by its variance, plus the MBIC term. */
static double scaled_cost(const struct nf_segdata *sd, const double *var, size_t s, size_t t)
{
    double len = (double)(t - s), c = 0, sx, sxx;
    size_t k;
    for (k = 0; k < sd->d; k++) {
        nf_seg_sums(sd, k, s, t, &sx, &sxx);
        c += sd->kind->cost(sx, sxx, len) / var[k];
    }
    return c + nf_seg_extra(sd, s, t);
}

/*
 * The best split of [a, b) and the cost of its two parts. For the
 * quadratic (mean) cost the parts cost sum_k (Sxx_k - Sx1_k^2 / n1 -
 * Sx2_k^2 / n2) / var_k: the Sxx terms are the same for every split, so
 * the scan needs only the sums of x, and adds them back for the best.
 */
static size_t best_split(const struct nf_segdata *sd, const double *var, size_t a, size_t b,
                         size_t minseg, double *best_parts, uint64_t *evals)
{
    size_t tau, best_tau = 0, k;
    double best = INFINITY;
    if (sd->kind->quadratic && !sd->far) {
        double sxx_all = 0, sx, sxx;
        for (k = 0; k < sd->d; k++) {
            nf_seg_sums(sd, k, a, b, &sx, &sxx);
            sxx_all += sxx / var[k];
        }
        for (tau = a + minseg; tau + minseg <= b; tau++) {
            double n1 = (double)(tau - a), n2 = (double)(b - tau), v = 0;
            for (k = 0; k < sd->d; k++) {
                const double *s1 = sd->s1 + k * (sd->n + 1);
                double x1 = s1[tau] - s1[a], x2 = s1[b] - s1[tau];
                v -= (x1 * x1 / n1 + x2 * x2 / n2) / var[k];
            }
            v += nf_seg_extra(sd, a, tau) + nf_seg_extra(sd, tau, b);
            if (v < best) {
                best = v;
                best_tau = tau;
            }
        }
        *evals += 2 * (b - a - 2 * minseg + 1);
        *best_parts = best + sxx_all;
        return best_tau;
    }
    for (tau = a + minseg; tau + minseg <= b; tau++) {
        double parts = scaled_cost(sd, var, a, tau) + scaled_cost(sd, var, tau, b);
        *evals += 2;
        if (parts < best) {
            best = parts;
            best_tau = tau;
        }
    }
    *best_parts = best;
    return best_tau;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

void nf_binseg(const struct nf_segdata *sd, const double *var, double pen, size_t minseg,
               struct nf_seg_result *r)
{
    size_t *stack, nstack = 0, cap = 64, ncp = 0, cpcap = 16;
    memset(r, 0, sizeof *r);
    if (minseg < 1)
        minseg = 1;
    stack = nf_xmalloc(2 * cap * sizeof *stack);
    r->cpts = nf_xmalloc(cpcap * sizeof *r->cpts);
    stack[nstack++] = 0;
    stack[nstack++] = sd->n;
    while (nstack > 0) {
        size_t b = stack[--nstack], a = stack[--nstack], best_tau;
        double best;
        if (b - a < 2 * minseg)
            continue;
        best_tau = best_split(sd, var, a, b, minseg, &best, &r->evaluations);
        if (!(scaled_cost(sd, var, a, b) - best > pen))
            continue;
        if (ncp == cpcap) {
            cpcap *= 2;
            r->cpts = nf_xrealloc(r->cpts, cpcap * sizeof *r->cpts);
        }
        r->cpts[ncp++] = best_tau;
        if (nstack + 4 > 2 * cap) {
            cap *= 2;
            stack = nf_xrealloc(stack, 2 * cap * sizeof *stack);
        }
        stack[nstack++] = best_tau;
        stack[nstack++] = b;
        stack[nstack++] = a;
        stack[nstack++] = best_tau;
    }
    free(stack);
    qsort(r->cpts, ncp, sizeof *r->cpts, cmp_size);
    r->ncpts = ncp;
}
