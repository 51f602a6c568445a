/*
 * stats.h - the statistics behind every claim: segment means and SDs,
 * pooled SD and standardised effect size, and a baseline distribution
 * (sorted values) for percentiles, medians and z-scores.
 */
#ifndef NFX_STATS_H
#define NFX_STATS_H
#include <stddef.h>

/* Mean and sample SD (n - 1) of the finite values in x[0..n). Returns how many. */
size_t nfx_mean_sd(const double *x, size_t n, size_t stride, double *mean, double *sd);
/* sqrt(((n1-1) s1^2 + (n2-1) s2^2) / (n1 + n2 - 2)); NaN when n1 + n2 < 3. */
double nfx_pooled_sd(double sd1, size_t n1, double sd2, size_t n2);
/*
 * Cohen's d = (mean2 - mean1) / pooled SD. A pooled SD of 0 gives +/-inf
 * when the means differ (a clean step) and 0 when they do not.
 */
double nfx_effect_size(double mean1, double mean2, double pooled);

/* A baseline column: its finite values sorted, with summary figures. */
struct nfx_dist {
    double *v;
    size_t n;
    double mean, sd, median;
};
/* Builds from x[i * stride] for the rows where use[i] (NULL = all) is set. */
void nfx_dist_init(struct nfx_dist *d, const double *x, size_t nrows, size_t stride,
                   const unsigned char *use);
void nfx_dist_free(struct nfx_dist *d);
/* Counts of baseline values strictly below and equal to x. */
void nfx_dist_rank(const struct nfx_dist *d, double x, size_t *below, size_t *equal);
/* Mid-rank percentile 100 * (below + equal / 2) / n; NaN when empty. */
double nfx_dist_percentile(const struct nfx_dist *d, double x);
/* (x - mean) / sd; NaN when sd is 0 or there are fewer than 2 values. */
double nfx_dist_z(const struct nfx_dist *d, double x);

#endif
