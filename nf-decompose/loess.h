/*
 * loess.h - the local regression smoother STL is built from (Cleveland et
 * al. 1990, section 2; R's stl.f routines stlest and stless).
 *
 * Positions are the integers 1..n and the neighbourhood of a fit is a
 * window of `len` consecutive points with tricube weights; a fit is made
 * every `jump` points and the values between are linear interpolations.
 * Indices in these functions are 1-based, as in the paper and in stl.f,
 * so that the arithmetic on positions is the same as R's.
 */
#ifndef NF_LOESS_H
#define NF_LOESS_H

/*
 * One local fit of degree deg (0 or 1) at position xs from the points
 * nleft..nright of y[0..n), with window length len. rw (robustness
 * weights, length n) may be NULL. w is scratch of length n. Returns 1 and
 * stores the fit in *ys, or 0 when every weight is zero (no fit).
 */
int loess_fit_at(const double *y, long n, long len, int deg, double xs, double *ys,
                 long nleft, long nright, double *w, const double *rw);

/*
 * Smooths y[0..n) into ys[0..n): fits at 1, 1+jump, 1+2 jump, ... and at n,
 * linear interpolation in between; a point without a fit keeps y.
 * w is scratch of length n; rw may be NULL.
 */
void loess_smooth(const double *y, long n, long len, int deg, long jump,
                  const double *rw, double *ys, double *w);

#endif
