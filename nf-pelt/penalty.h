/*
 * penalty.h - the penalty per change point, as R changepoint's
 * penalty_decision computes it, and the noise scale (--sigma).
 *
 * With k = parameters that change at a change point (cost kind's params
 * times the number of columns segmented together) and n rows:
 *   MBIC  (k+2) log n, plus log(length) on every segment's cost (cost.h)
 *   BIC   (k+1) log n   (SIC is the same)
 *   AIC   2 (k+1)
 *   HQ    2 (k+1) log log n   (Hannan-Quinn)
 *   a number: that value (R's "Manual")
 */
#ifndef NF_PELT_PENALTY_H
#define NF_PELT_PENALTY_H

#include <stddef.h>

enum nf_pen_kind { NF_PEN_MBIC, NF_PEN_BIC, NF_PEN_AIC, NF_PEN_HQ, NF_PEN_MANUAL };

struct nf_penalty {
    enum nf_pen_kind kind;
    double value; /* NF_PEN_MANUAL only */
};

/* Parses "MBIC", "BIC", "SIC", "AIC", "HQ", "Hannan-Quinn" (any case) or a number >= 0. */
int nf_penalty_parse(const char *text, struct nf_penalty *p);
/* The penalty per change point for k changing parameters and n rows. */
double nf_penalty_value(const struct nf_penalty *p, int k, size_t n);
const char *nf_penalty_name(const struct nf_penalty *p);

/*
 * Robust noise scale of x[0..n) (stride apart), for --sigma auto:
 * block = 1 is the MAD of first differences / (sqrt 2 * 0.6745), the
 * i.i.d. noise estimate; block = B > 1 applies the same to the means of
 * consecutive blocks of B rows and multiplies by sqrt(B), which estimates
 * the long-run standard deviation (noise inflated by autocorrelation) and
 * equals the plain estimate on i.i.d. noise. Falls back to the standard
 * deviation of the differences when the MAD is 0, and to 1 when that is 0
 * too (a constant series) or there are too few rows (fewer than 3 blocks).
 */
double nf_sigma_estimate(const double *x, size_t n, size_t stride, size_t block);

#endif
