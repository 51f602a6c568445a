/* ar1.c - the AR(1) long-run noise scale of --sigma ar1 and its fixed point (ar1.h). */
#include "ar1.h"

#include "binseg.h"
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
        long double sum = 0;
        double mean;
        for (i = from; i < to; i++)
            sum += x[i * stride];
        mean = (double)(sum / (long double)(to - from));
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

/* Segmentations seen so far, copies (for finding a repeat). */
struct history {
    struct nf_seg_result r[NF_AR1_MAX_RUNS];
    int n;
};

static int history_has(const struct history *h, const struct nf_seg_result *res)
{
    int i;
    for (i = 0; i < h->n; i++)
        if (same_cpts(&h->r[i], res))
            return 1;
    return 0;
}

static void copy_result(struct nf_seg_result *dst, const struct nf_seg_result *src)
{
    *dst = *src;
    dst->cpts = nf_xmalloc((src->ncpts + 1) * sizeof *dst->cpts);
    if (src->ncpts)
        memcpy(dst->cpts, src->cpts, src->ncpts * sizeof *dst->cpts);
}

static void history_add(struct history *h, const struct nf_seg_result *src)
{
    copy_result(&h->r[h->n++], src);
}

static void history_free(struct history *h)
{
    int i;
    for (i = 0; i < h->n; i++)
        free(h->r[i].cpts);
    h->n = 0;
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

/*
 * The fixed point of binary segmentation's map, from the standard
 * deviation: cheap (O(n log n) a run), and usually where PELT's fixed
 * point is too, so that one PELT run confirms it. *from gets a copy of the
 * segmentation the final sigma was computed from (ncpts = SIZE_MAX: none,
 * sigma is still the standard deviation).
 */
static void binseg_start(const struct nf_ar1_problem *p, double *sigma, double *rho,
                         struct nf_seg_result *from)
{
    struct nf_segdata raw;
    struct nf_seg_result bs;
    struct history seen = {0};
    double *var = nf_xmalloc(p->d * sizeof *var);
    size_t k;
    nf_segdata_init(&raw, p->kind, p->mbic, p->x, p->n, p->stride, p->cols, p->d, NULL, 1);
    memset(from, 0, sizeof *from);
    from->ncpts = SIZE_MAX;
    while (seen.n < NF_AR1_MAX_RUNS) {
        for (k = 0; k < p->d; k++)
            var[k] = sigma[k] * sigma[k];
        nf_binseg(&raw, var, p->pen, p->minseg, &bs);
        if (history_has(&seen, &bs) || !next_sigma(p, &bs, sigma, rho)) {
            nf_seg_result_free(&bs);
            break;
        }
        history_add(&seen, &bs);
        nf_seg_result_free(from);
        *from = bs;
    }
    history_free(&seen);
    nf_segdata_free(&raw);
    free(var);
}

/*
 * Quantile p of v[0..n) as R's quantile() type 7 (v is reordered): the
 * order statistics around (n - 1) p by selection, not a full sort.
 */
static double quantile7(double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p, lo_v, hi_v = INFINITY;
    size_t lo = (size_t)floor(h), i, at_most = 0;
    lo_v = gsl_stats_select(v, 1, n, lo);
    if (lo + 1 >= n)
        return lo_v;
    /* the next order statistic: lo_v again if it is repeated, else the least value above it */
    for (i = 0; i < n; i++) {
        if (v[i] <= lo_v)
            at_most++;
        else if (v[i] < hi_v)
            hi_v = v[i];
    }
    if (at_most > lo + 1)
        hi_v = lo_v;
    return lo_v + (h - (double)lo) * (hi_v - lo_v);
}

double nf_ar1_start(const double *x, size_t n, size_t stride)
{
    double *v, iqr, s;
    size_t i;
    if (n < 2)
        return 1;
    v = nf_xmalloc(n * sizeof *v);
    for (i = 0; i < n; i++)
        v[i] = x[i * stride];
    iqr = quantile7(v, n, 0.75) - quantile7(v, n, 0.25);
    free(v);
    s = iqr / NF_AR1_IQR_SD;
    if (!(s > 0) || !isfinite(s))
        s = gsl_stats_sd(x, stride, n);
    return s > 0 && isfinite(s) ? s : 1;
}

int nf_ar1_solve(const struct nf_ar1_problem *p, double *sigma, double *rho, double *start,
                 struct nf_segdata *sd, struct nf_seg_result *res)
{
    struct nf_seg_result from;
    struct history seen = {0};
    int runs = 0;
    size_t k;
    for (k = 0; k < p->d; k++) {
        sigma[k] = nf_ar1_start(p->x + p->cols[k], p->n, p->stride);
        if (start)
            start[k] = sigma[k];
        if (rho)
            rho[k] = 0;
    }
    binseg_start(p, sigma, rho, &from);
    for (;;) {
        nf_segdata_init(sd, p->kind, p->mbic, p->x, p->n, p->stride, p->cols, p->d, sigma, p->centre);
        if (p->brute_force)
            nf_op(sd, p->pen, p->minseg, res);
        else
            nf_pelt(sd, p->pen, p->minseg, p->pruning, res);
        runs++;
        /* sigma came from this very segmentation: the fixed point; or a cycle; or enough */
        if (same_cpts(&from, res) || history_has(&seen, res) || runs == NF_AR1_MAX_RUNS)
            break;
        history_add(&seen, res);
        nf_seg_result_free(&from);
        copy_result(&from, res);
        if (!next_sigma(p, res, sigma, rho))
            break; /* the same scale gives the same segmentation */
        nf_segdata_free(sd);
        nf_seg_result_free(res);
    }
    nf_seg_result_free(&from);
    history_free(&seen);
    return runs;
}
