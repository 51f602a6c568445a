/* ar1.c - the AR(1) long-run noise scale of --sigma ar1 and its fixed point (ar1.h). */
#include "ar1.h"

#include "err.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double nf_ar1_scale(const double *x, size_t n, size_t stride, const size_t *cpts, size_t ncpts,
                    double *rho)
{
    double *r, g0, r1 = 0, rc;
    size_t i, k, from, to;
    if (rho)
        *rho = 0;
    if (n < 2)
        return 0;
    r = nf_xmalloc(n * sizeof *r);
    for (k = 0, from = 0; k <= ncpts; k++, from = to) {
        to = k < ncpts ? cpts[k] : n;
        double mean = gsl_stats_mean(x + from * stride, stride, to - from);
        for (i = from; i < to; i++)
            r[i] = x[i * stride] - mean;
    }
    g0 = gsl_stats_variance_with_fixed_mean(r, 1, n, 0.0);
    if (g0 > 0)
        r1 = gsl_stats_lag1_autocorrelation(r, 1, n);
    free(r);
    if (!(g0 > 0) || !isfinite(g0) || !isfinite(r1))
        return 0;
    if (rho)
        *rho = r1;
    rc = r1 < 0 ? 0 : r1 > NF_AR1_RHO_MAX ? NF_AR1_RHO_MAX : r1;
    return sqrt(g0 * (1 + rc) / (1 - rc));
}

static int same_cpts(const struct nf_seg_result *a, const struct nf_seg_result *b)
{
    return a->ncpts == b->ncpts &&
           (a->ncpts == 0 || memcmp(a->cpts, b->cpts, a->ncpts * sizeof *a->cpts) == 0);
}

static void keep_copy(struct nf_seg_result *dst, const struct nf_seg_result *src)
{
    *dst = *src;
    dst->cpts = nf_xmalloc((src->ncpts + 1) * sizeof *dst->cpts);
    if (src->ncpts)
        memcpy(dst->cpts, src->cpts, src->ncpts * sizeof *dst->cpts);
}

/* The next scale of every column from res; 0 when no column's scale changed. */
static int next_sigma(const struct nf_ar1_problem *p, const struct nf_seg_result *res,
                      double *sigma, double *rho)
{
    size_t k;
    int changed = 0;
    for (k = 0; k < p->d; k++) {
        double r, s = nf_ar1_scale(p->x + p->cols[k], p->n, p->stride, res->cpts, res->ncpts, &r);
        if (!(s > 0) || !isfinite(s))
            continue; /* a perfect fit says nothing about the noise: keep the scale */
        if (rho)
            rho[k] = r;
        changed |= s != sigma[k];
        sigma[k] = s;
    }
    return changed;
}

int nf_ar1_solve(const struct nf_ar1_problem *p, double *sigma, double *rho,
                 struct nf_segdata *sd, struct nf_seg_result *res)
{
    struct nf_seg_result seen[NF_AR1_MAX_RUNS];
    int runs = 0, nseen = 0, i, repeated;
    size_t k;
    for (k = 0; k < p->d; k++) {
        double s = p->n > 1 ? gsl_stats_sd(p->x + p->cols[k], p->stride, p->n) : 0;
        sigma[k] = s > 0 && isfinite(s) ? s : 1;
        if (rho)
            rho[k] = 0;
    }
    for (;;) {
        nf_segdata_init(sd, p->kind, p->mbic, p->x, p->n, p->stride, p->cols, p->d, sigma, p->centre);
        if (p->brute_force)
            nf_op(sd, p->pen, p->minseg, res);
        else
            nf_pelt(sd, p->pen, p->minseg, p->pruning, res);
        runs++;
        for (i = repeated = 0; i < nseen && !repeated; i++)
            repeated = same_cpts(&seen[i], res);
        if (repeated || runs == NF_AR1_MAX_RUNS)
            break;
        keep_copy(&seen[nseen++], res);
        if (!next_sigma(p, res, sigma, rho))
            break; /* the same scale gives the same segmentation */
        nf_segdata_free(sd);
        nf_seg_result_free(res);
    }
    for (i = 0; i < nseen; i++)
        free(seen[i].cpts);
    return runs;
}
