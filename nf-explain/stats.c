/*
 * stats.c - means, SDs, effect sizes and baseline ranks (stats.h), on top
 * of GSL's descriptive statistics and sort.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "err.h"
#include "stats.h"

size_t nfx_mean_sd(const double *x, size_t n, size_t stride, double *mean, double *sd)
{
    size_t i;
    double *v = nf_xmalloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (i = 0; i < n; i++)
        if (isfinite(x[i * stride]))
            v[m++] = x[i * stride];
    *mean = m ? gsl_stats_mean(v, 1, m) : NAN;
    *sd = m > 1 ? gsl_stats_sd_m(v, 1, m, *mean) : (m == 1 ? 0 : NAN);
    free(v);
    return m;
}

double nfx_pooled_sd(double sd1, size_t n1, double sd2, size_t n2)
{
    if (n1 + n2 < 3 || n1 == 0 || n2 == 0)
        return NAN;
    double ss = (double)(n1 - 1) * sd1 * sd1 + (double)(n2 - 1) * sd2 * sd2;
    return sqrt(ss / (double)(n1 + n2 - 2));
}

double nfx_effect_size(double mean1, double mean2, double pooled)
{
    double diff = mean2 - mean1;
    if (!isfinite(diff) || !isfinite(pooled))
        return NAN;
    if (pooled == 0)
        return diff == 0 ? 0 : (diff > 0 ? INFINITY : -INFINITY);
    return diff / pooled;
}

void nfx_dist_init(struct nfx_dist *d, const double *x, size_t nrows, size_t stride,
                   const unsigned char *use)
{
    size_t i;
    d->v = nf_xmalloc((nrows ? nrows : 1) * sizeof *d->v);
    d->n = 0;
    for (i = 0; i < nrows; i++)
        if ((!use || use[i]) && isfinite(x[i * stride]))
            d->v[d->n++] = x[i * stride];
    gsl_sort(d->v, 1, d->n);
    d->mean = d->n ? gsl_stats_mean(d->v, 1, d->n) : NAN;
    d->sd = d->n > 1 ? gsl_stats_sd_m(d->v, 1, d->n, d->mean) : NAN;
    d->median = d->n ? gsl_stats_median_from_sorted_data(d->v, 1, d->n) : NAN;
}

void nfx_dist_free(struct nfx_dist *d)
{
    free(d->v);
    d->v = NULL;
    d->n = 0;
}

/* First index whose value is >= x (strict = 0) or > x (strict = 1). */
static size_t lower_bound(const double *v, size_t n, double x, int strict)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strict ? v[mid] <= x : v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void nfx_dist_rank(const struct nfx_dist *d, double x, size_t *below, size_t *equal)
{
    size_t lo = lower_bound(d->v, d->n, x, 0);
    size_t hi = lower_bound(d->v, d->n, x, 1);
    *below = lo;
    *equal = hi - lo;
}

double nfx_dist_percentile(const struct nfx_dist *d, double x)
{
    size_t below, equal;
    if (d->n == 0 || !isfinite(x))
        return NAN;
    nfx_dist_rank(d, x, &below, &equal);
    return 100.0 * ((double)below + (double)equal / 2) / (double)d->n;
}

double nfx_dist_z(const struct nfx_dist *d, double x)
{
    if (d->n < 2 || !(d->sd > 0) || !isfinite(x))
        return NAN;
    return (x - d->mean) / d->sd;
}
