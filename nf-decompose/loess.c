/*
 * loess.c - tricube-weighted local constant/linear fits on an integer grid,
 * with R stl.f's conventions (thresholds 0.001 h and 0.999 h, the
 * bandwidth widening when the window is longer than the series, the
 * degree-1 correction skipped when the positions barely spread), so
 * that results agree with R to rounding.
 */
#include "loess.h"

#include <math.h>

int loess_fit_at(const double *y, long n, long len, int deg, double xs, double *ys,
                 long nleft, long nright, double *w, const double *rw)
{
    double range = (double)n - 1.0;
    double h = fmax(xs - (double)nleft, (double)nright - xs);
    double h9, h1, a, b, c, sum;
    long j;

    /* A window longer than the series widens the bandwidth by half the excess. */
    if (len > n)
        h += (double)((len - n) / 2);
    h9 = 0.999 * h;
    h1 = 0.001 * h;
    a = 0.0;
    for (j = nleft; j <= nright; j++) {
        double r = fabs((double)j - xs);
        double *wj = &w[j - 1];
        if (r <= h9) {
            if (r <= h1) {
                *wj = 1.0;
            } else {
                double u = r / h;
                double t = 1.0 - u * u * u;
                *wj = t * t * t;
            }
            if (rw)
                *wj = rw[j - 1] * *wj;
            a += *wj;
        } else {
            *wj = 0.0;
        }
    }
    if (a <= 0.0)
        return 0;
    for (j = nleft; j <= nright; j++)
        w[j - 1] /= a;
    if (h > 0.0 && deg > 0) {
        /* Local line: weights times 1 + b (j - a), a the weighted mean position. */
        a = 0.0;
        for (j = nleft; j <= nright; j++)
            a += w[j - 1] * (double)j;
        b = xs - a;
        c = 0.0;
        for (j = nleft; j <= nright; j++) {
            double d = (double)j - a;
            c += w[j - 1] * d * d;
        }
        if (sqrt(c) > 0.001 * range) {
            b /= c;
            for (j = nleft; j <= nright; j++)
                w[j - 1] *= b * ((double)j - a) + 1.0;
        }
    }
    sum = 0.0;
    for (j = nleft; j <= nright; j++)
        sum += w[j - 1] * y[j - 1];
    *ys = sum;
    return 1;
}

void loess_smooth(const double *y, long n, long len, int deg, long jump,
                  const double *rw, double *ys, double *w)
{
    long step, nleft = 1, nright = n, nsh, i, j, k;

    if (n < 2) {
        ys[0] = y[0];
        return;
    }
    step = jump < n - 1 ? jump : n - 1;
    if (step < 1)
        step = 1;
    nsh = (len + 1) / 2;
    if (len >= n) {
        nleft = 1;
        nright = n;
        for (i = 1; i <= n; i += step)
            if (!loess_fit_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, w, rw))
                ys[i - 1] = y[i - 1];
    } else if (step == 1) {
        /* The window slides one point at a time once past the first half-window. */
        nleft = 1;
        nright = len;
        for (i = 1; i <= n; i++) {
            if (i > nsh && nright != n) {
                nleft++;
                nright++;
            }
            if (!loess_fit_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, w, rw))
                ys[i - 1] = y[i - 1];
        }
    } else {
        for (i = 1; i <= n; i += step) {
            if (i < nsh) {
                nleft = 1;
                nright = len;
            } else if (i >= n - nsh + 1) {
                nleft = n - len + 1;
                nright = n;
            } else {
                nleft = i - nsh + 1;
                nright = len + i - nsh;
            }
            if (!loess_fit_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, w, rw))
                ys[i - 1] = y[i - 1];
        }
    }
    if (step == 1)
        return;
    for (i = 1; i <= n - step; i += step) {
        double delta = (ys[i + step - 1] - ys[i - 1]) / (double)step;
        for (j = i + 1; j <= i + step - 1; j++)
            ys[j - 1] = ys[i - 1] + delta * (double)(j - i);
    }
    k = ((n - 1) / step) * step + 1;
    if (k != n) {
        /* The last point gets its own fit, with the last window used above. */
        if (!loess_fit_at(y, n, len, deg, (double)n, &ys[n - 1], nleft, nright, w, rw))
            ys[n - 1] = y[n - 1];
        if (k != n - 1) {
            double delta = (ys[n - 1] - ys[k - 1]) / (double)(n - k);
            for (j = k + 1; j <= n - 1; j++)
                ys[j - 1] = ys[k - 1] + delta * (double)(j - k);
        }
    }
}
