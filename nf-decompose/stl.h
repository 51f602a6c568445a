/*
 * stl.h - Seasonal-Trend decomposition by Loess (Cleveland, Cleveland,
 * McRae & Terpenning 1990) with the parameters, defaults and wrapper
 * rules of R's stats::stl, on plain double arrays.
 */
#ifndef NF_STL_H
#define NF_STL_H

#include <stddef.h>

/* The parameters of R's stl(); 0 (or -1 where noted) = R's default. */
struct stl_opts {
    long period;      /* np (frequency); >= 2 */
    int periodic;     /* s.window = "periodic" */
    long s_window;    /* s.window when not periodic; required then (> 0) */
    int s_degree;     /* 0 or 1 (forced to 0 when periodic) */
    long t_window;    /* 0 = nextodd(ceiling(1.5 period / (1 - 1.5 / s.window))) */
    int t_degree;     /* 0 or 1 */
    long l_window;    /* 0 = nextodd(period) */
    int l_degree;     /* -1 = t_degree */
    long s_jump, t_jump, l_jump; /* 0 = ceiling(window / 10) */
    int robust;
    int inner, outer; /* -1 = robust ? 1 : 2, robust ? 15 : 0 */
    int true_median;  /* robustness scale from the true median (statsmodels), not R's psort */
};

/* Fills every default of o the way R's stl() does for a series of n points. */
void stl_resolve(struct stl_opts *o, size_t n);

/*
 * Decomposes y[0..n) with resolved options: trend, seasonal and remainder
 * (each length n) as R's stl() returns them, weights (may be NULL) the
 * final robustness weights. The caller checks n > 2 period (R's rule).
 */
void stl_decompose(const double *y, size_t n, const struct stl_opts *o, double *trend,
                   double *seasonal, double *remainder, double *weights);

/*
 * Trend only (no period): loess of y with window t_window, degree
 * t_degree, jump t_jump, and, when outer > 0, that many robustness passes
 * (bisquare weights of the residuals as in STL). seasonal is not made.
 */
void stl_trend_only(const double *y, size_t n, long t_window, int t_degree, long t_jump,
                    int outer, int true_median, double *trend, double *remainder,
                    double *weights);

/*
 * STL's robustness weights: B(|y - fit| / (6 median |y - fit|)) with
 * B(u) = (1 - u^2)^2 for u < 1, else 0 (and 1 below 0.001). scratch has
 * length n. The median is R's (see psort.h) or, with true_median, the
 * order-statistic median (as statsmodels and the paper).
 */
void stl_robustness_weights(const double *y, size_t n, const double *fit, double *rw,
                            double *scratch, int true_median);

/* R's nextodd(): round, then add one when even. */
long stl_nextodd(double x);

#endif
