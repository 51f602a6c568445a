/*
 * stl.c - the STL passes of R's stl.f (stlstp, stlss, stlfts, stlma,
 * stlrwt, stl) and the wrapper rules of R's stl(): window defaults,
 * "periodic", and the cycle means that make a periodic seasonal exact.
 * The order of arithmetic follows stl.f so that results agree with R to
 * rounding (tests/ checks 1e-6 of the series range, typically ~1e-15).
 */
#include "stl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "err.h"
#include "loess.h"
#include "psort.h"

long stl_nextodd(double x)
{
    /* R's round() is IEC 60559 round-half-even; inputs here are whole numbers. */
    long v = (long)nearbyint(x);
    if (v % 2 == 0)
        v++;
    return v;
}

static long ceil_div10(long w)
{
    return (long)ceil((double)w / 10.0);
}

void stl_resolve(struct stl_opts *o, size_t n)
{
    if (o->periodic) {
        o->s_window = 10 * (long)n + 1;
        o->s_degree = 0;
    }
    if (o->t_window <= 0)
        o->t_window =
            stl_nextodd(ceil(1.5 * (double)o->period / (1.0 - 1.5 / (double)o->s_window)));
    if (o->l_window <= 0)
        o->l_window = stl_nextodd((double)o->period);
    if (o->l_degree < 0)
        o->l_degree = o->t_degree;
    if (o->s_jump <= 0)
        o->s_jump = ceil_div10(o->s_window);
    if (o->t_jump <= 0)
        o->t_jump = ceil_div10(o->t_window);
    if (o->l_jump <= 0)
        o->l_jump = ceil_div10(o->l_window);
    if (o->inner < 0)
        o->inner = o->robust ? 1 : 2;
    if (o->outer < 0)
        o->outer = o->robust ? 15 : 0;
}

/* Running mean of len over x[0..n): ave[0..n-len]. */
static void moving_average(const double *x, long n, long len, double *ave)
{
    long newn = n - len + 1, i, j, k, m;
    double flen = (double)len, v = 0.0;

    for (i = 0; i < len; i++)
        v += x[i];
    ave[0] = v / flen;
    k = len;
    m = 0;
    for (j = 1; j < newn; j++) {
        v = v - x[m] + x[k];
        k++;
        m++;
        ave[j] = v / flen;
    }
}

/* The low-pass filter: moving averages of np, np and 3; x has n, out n - 2 np + 2. */
static void low_pass(const double *x, long n, long np, double *out, double *work)
{
    moving_average(x, n, np, out);
    moving_average(out, n - np + 1, np, work);
    moving_average(work, n - 2 * np + 2, 3, out);
}

struct stl_work {
    double *w1, *w2, *w3, *w4, *w5; /* n + 2 np each */
};

/*
 * Cycle-subseries smoothing: each of the np subseries of y is smoothed
 * and extended by one point at each end, so season has n + 2 np values.
 */
static void cycle_subseries(const double *y, long n, long np, long ns, int isdeg, long nsjump,
                            const double *rw, double *season, double *sub, double *fit,
                            double *subrw, double *scratch)
{
    long j, i, k, m;
    for (j = 1; j <= np; j++) {
        k = (n - j) / np + 1;
        for (i = 1; i <= k; i++)
            sub[i - 1] = y[(i - 1) * np + j - 1];
        if (rw)
            for (i = 1; i <= k; i++)
                subrw[i - 1] = rw[(i - 1) * np + j - 1];
        loess_smooth(sub, k, ns, isdeg, nsjump, rw ? subrw : NULL, fit + 1, scratch);
        if (!loess_fit_at(sub, k, ns, isdeg, 0.0, &fit[0], 1, ns < k ? ns : k, scratch,
                          rw ? subrw : NULL))
            fit[0] = fit[1];
        if (!loess_fit_at(sub, k, ns, isdeg, (double)(k + 1), &fit[k + 1],
                          k - ns + 1 > 1 ? k - ns + 1 : 1, k, scratch, rw ? subrw : NULL))
            fit[k + 1] = fit[k];
        for (m = 1; m <= k + 2; m++)
            season[(m - 1) * np + j - 1] = fit[m - 1];
    }
}

/* The inner loop (stlstp): ni passes of seasonal smoothing, low-pass, trend. */
static void inner_loop(const double *y, long n, long np, long ns, long nt, long nl,
                       const struct stl_opts *o, const double *rw, double *season,
                       double *trend, struct stl_work *wk)
{
    long i;
    int it;
    for (it = 0; it < o->inner; it++) {
        for (i = 0; i < n; i++)
            wk->w1[i] = y[i] - trend[i];
        cycle_subseries(wk->w1, n, np, ns, o->s_degree, o->s_jump, rw, wk->w2, wk->w3, wk->w4,
                        wk->w5, season);
        low_pass(wk->w2, n + 2 * np, np, wk->w3, wk->w1);
        loess_smooth(wk->w3, n, nl, o->l_degree, o->l_jump, NULL, wk->w1, wk->w5);
        for (i = 0; i < n; i++)
            season[i] = wk->w2[np + i] - wk->w1[i];
        for (i = 0; i < n; i++)
            wk->w1[i] = y[i] - season[i];
        loess_smooth(wk->w1, n, nt, o->t_degree, o->t_jump, rw, trend, wk->w3);
    }
}

void stl_robustness_weights(const double *y, size_t n, const double *fit, double *rw,
                            double *scratch, int true_median)
{
    /* stl.f's order: positions n/2 + 1 and n/2 (1-based), the same one for odd n. */
    long mid[2];
    size_t i;
    double cmad, c9, c1;

    mid[0] = (long)(n / 2) + 1;
    mid[1] = (long)n - mid[0] + 1;
    /* NaN (only after overflow) would run the partial sort off its sentinels: order it last. */
    for (i = 0; i < n; i++) {
        scratch[i] = fabs(y[i] - fit[i]);
        if (isnan(scratch[i]))
            scratch[i] = INFINITY;
    }
    if (true_median) {
        double lo = gsl_stats_select(scratch, 1, n, (size_t)mid[1] - 1);
        double hi = gsl_stats_select(scratch, 1, n, (size_t)mid[0] - 1);
        cmad = 3.0 * (hi + lo);
    } else {
        /* "6 * median" as R computes it: see psort.h for why not a plain selection. */
        stl_psort(scratch, (long)n, mid, 2);
        cmad = 3.0 * (scratch[mid[0] - 1] + scratch[mid[1] - 1]);
    }
    c9 = 0.999 * cmad;
    c1 = 0.001 * cmad;
    for (i = 0; i < n; i++) {
        double r = fabs(y[i] - fit[i]);
        if (r <= c1) {
            rw[i] = 1.0;
        } else if (r <= c9) {
            double u = r / cmad;
            double t = 1.0 - u * u;
            rw[i] = t * t;
        } else {
            rw[i] = 0.0;
        }
    }
}

/* R's mean(): long double sum, then one refinement pass. */
static double r_mean(const double *x, size_t stride, size_t count)
{
    long double s = 0.0L, t = 0.0L;
    size_t i;
    for (i = 0; i < count; i++)
        s += x[i * stride];
    s /= (long double)count;
    if (isfinite((double)s)) {
        for (i = 0; i < count; i++)
            t += x[i * stride] - s;
        s += t / (long double)count;
    }
    return (double)s;
}

static long odd_at_least_3(long w)
{
    if (w < 3)
        w = 3;
    if (w % 2 == 0)
        w++;
    return w;
}

void stl_decompose(const double *y, size_t n_, const struct stl_opts *o, double *trend,
                   double *seasonal, double *remainder, double *weights)
{
    long n = (long)n_;
    long np = o->period < 2 ? 2 : o->period;
    long ns = odd_at_least_3(o->s_window);
    long nt = odd_at_least_3(o->t_window);
    long nl = odd_at_least_3(o->l_window);
    size_t wlen = (size_t)(n + 2 * np);
    double *mem = nf_xmalloc(6 * wlen * sizeof *mem);
    struct stl_work wk = {mem, mem + wlen, mem + 2 * wlen, mem + 3 * wlen, mem + 4 * wlen};
    double *rw = mem + 5 * wlen;
    int k;
    long i;

    for (i = 0; i < n; i++)
        trend[i] = 0.0;
    /* Robustness passes start from the previous trend, as stl.f does. */
    for (k = 0;; k++) {
        inner_loop(y, n, np, ns, nt, nl, o, k > 0 ? rw : NULL, seasonal, trend, &wk);
        if (k + 1 > o->outer)
            break;
        for (i = 0; i < n; i++)
            wk.w1[i] = trend[i] + seasonal[i];
        stl_robustness_weights(y, n_, wk.w1, rw, wk.w2, o->true_median);
    }
    if (weights)
        for (i = 0; i < n; i++)
            weights[i] = o->outer > 0 ? rw[i] : 1.0;
    if (o->periodic) {
        /* R: seasonal <- tapply(seasonal, cycle(x), mean)[cycle(x)] */
        long j;
        for (j = 0; j < o->period && j < n; j++) {
            size_t count = (size_t)((n - 1 - j) / o->period + 1);
            double m = r_mean(seasonal + j, (size_t)o->period, count);
            for (i = j; i < n; i += o->period)
                seasonal[i] = m;
        }
    }
    for (i = 0; i < n; i++)
        remainder[i] = y[i] - seasonal[i] - trend[i];
    free(mem);
}

void stl_trend_only(const double *y, size_t n_, long t_window, int t_degree, long t_jump,
                    int outer, int true_median, double *trend, double *remainder,
                    double *weights)
{
    long n = (long)n_, i;
    long nt = odd_at_least_3(t_window);
    double *scratch = nf_xmalloc((n_ + 1) * sizeof *scratch);
    double *rw = nf_xmalloc((n_ + 1) * sizeof *rw);
    int k;

    loess_smooth(y, n, nt, t_degree, t_jump, NULL, trend, scratch);
    for (k = 0; k < outer; k++) {
        stl_robustness_weights(y, n_, trend, rw, scratch, true_median);
        loess_smooth(y, n, nt, t_degree, t_jump, rw, trend, scratch);
    }
    if (weights)
        for (i = 0; i < n; i++)
            weights[i] = outer > 0 ? rw[i] : 1.0;
    for (i = 0; i < n; i++)
        remainder[i] = y[i] - trend[i];
    free(scratch);
    free(rw);
}
