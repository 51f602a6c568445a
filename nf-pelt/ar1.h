/*
 * ar1.h - --sigma ar1, nf-pelt's default noise scale: the long-run
 * standard deviation of the residuals of the segmentation it gives,
 * under an AR(1) model of the noise.
 *
 * The mean cost assumes independent noise of scale sigma. Real series
 * (economic, physical, traffic) have noise that wanders: an AR(1) noise of
 * marginal variance g0 and lag-1 autocorrelation rho moves the mean of a
 * stretch of m rows with variance g0 (1 + rho) / (1 - rho) / m, not g0 / m,
 * so the scale at which a segment mean is to be judged is
 *   sigma^2 = g0 (1 + rho) / (1 - rho),
 * the AR(1) long-run variance. Residuals about the segment means estimate
 * g0 and rho without the shifts inflating them, but the segmentation needs
 * sigma first. nf-pelt starts from a robust scale of the values, the
 * interquartile range / 1.349 (the standard deviation of Normal data, like
 * R changepoint's z-scoring it counts the shifts as noise and so errs
 * towards too few change points, but one extreme value does not blow it
 * up and hide every real change), and iterates sigma <- scale(residuals of
 * the segmentation at sigma) until a segmentation comes back: first with
 * binary segmentation (binseg.h: cheap), then with PELT from the scale
 * binary segmentation settled at, until PELT returns the segmentation the
 * scale was computed from (sigma is then exactly the scale of the
 * residuals of PELT's own answer) or one it returned before; at most
 * NF_AR1_MAX_RUNS runs of each. Usually one PELT run confirms binary
 * segmentation's scale. The answer is exactly PELT's for the final sigma.
 */
#ifndef NF_PELT_AR1_H
#define NF_PELT_AR1_H

#include <stddef.h>

#include "cost.h"
#include "pelt.h"

/*
 * rho is clipped to [0, NF_AR1_RHO_MAX]: negative autocorrelation would
 * make sigma smaller than the plain noise scale (more change points), and
 * rho near 1 (a random walk) would make it unbounded; at 0.99 sigma is
 * sqrt(199) = 14 times the residual scale, and no change point of a series
 * of a few thousand rows pays that.
 */
#define NF_AR1_RHO_MAX 0.99
#define NF_AR1_MAX_RUNS 20

/* IQR of a standard Normal: 2 * 0.6744897501960817 */
#define NF_AR1_IQR_SD 1.3489795003921634

/*
 * Where the iteration starts: IQR / 1.349 of x[0], x[stride], ... (n
 * rows; quartiles as R's quantile(), type 7); the standard deviation when
 * the IQR is 0 (over half the values equal), 1 when that is 0 too.
 */
double nf_ar1_start(const double *x, size_t n, size_t stride);

/*
 * The AR(1) long-run scale of column x[0], x[stride], ... (n rows) about
 * the means of the segments that cpts[0..ncpts) (ascending first rows of
 * new segments) cut it into: g0 = mean squared residual, rho = lag-1
 * autocorrelation of the residuals (sum r_t r_(t+1) / sum r_t^2 over the
 * whole series), sqrt(g0 (1 + rho') / (1 - rho')) with rho' the clipped
 * rho. *rho (when not NULL) gets the unclipped rho. Returns 0 when the
 * residuals are all 0 (every segment constant) or n < 2.
 */
double nf_ar1_scale(const double *x, size_t n, size_t stride, const size_t *cpts, size_t ncpts,
                    double *rho);

/* One segmentation problem whose scale --sigma ar1 estimates. */
struct nf_ar1_problem {
    const double *x;        /* rows of stride values */
    size_t n, stride;
    const size_t *cols;     /* the d columns segmented together */
    size_t d;
    const struct nf_cost_kind *kind;
    int mbic;               /* MBIC segment term (nf_segdata_init) */
    double pen;
    size_t minseg;
    enum nf_pruning pruning;
    int brute_force;        /* nf_op instead of nf_pelt */
    int centre;             /* nf_segdata_init's centre */
};

/*
 * The fixed point above: sigma[d] gets each column's final scale (the
 * start's when the residuals are all 0 from the first run on),
 * *sd and *res the segmentation at that scale (the caller frees both), and
 * rho[d] (when not NULL) the residuals' unclipped autocorrelations that
 * gave sigma, start[d] (when not NULL) the starting scales. Returns the number of PELT (or OP) runs.
 */
int nf_ar1_solve(const struct nf_ar1_problem *p, double *sigma, double *rho, double *start,
                 struct nf_segdata *sd, struct nf_seg_result *res);

#endif
