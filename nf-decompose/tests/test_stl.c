/* test_stl.c - R's defaults, the robustness weights and the median they use. */
#include <stdlib.h>

#include "../../lib/tests/tap.h"
#include "psort.h"
#include "stl.h"

static void defaults_as_r(void)
{
    struct stl_opts o = {.period = 288, .s_window = 7, .t_degree = 1, .l_degree = -1,
                         .inner = -1, .outer = -1};
    stl_resolve(&o, 4032);
    TAP_OK(o.t_window == 551 && o.l_window == 289 && o.l_degree == 1,
           "period 288, s.window 7: t.window 551, l.window 289, l.degree 1 (got %ld %ld %d)",
           o.t_window, o.l_window, o.l_degree);
    TAP_OK(o.s_jump == 1 && o.t_jump == 56 && o.l_jump == 29 && o.inner == 2 && o.outer == 0,
           "jumps 1/56/29, inner 2, outer 0 (got %ld %ld %ld %d %d)", o.s_jump, o.t_jump,
           o.l_jump, o.inner, o.outer);

    struct stl_opts p = {.period = 288, .periodic = 1, .s_degree = 1, .t_degree = 1,
                         .l_degree = -1, .inner = -1, .outer = -1, .robust = 1};
    stl_resolve(&p, 4032);
    TAP_OK(p.s_window == 40321 && p.s_degree == 0 && p.s_jump == 4033,
           "periodic: s.window 10 n + 1, s.degree 0, s.jump ceiling(s.window / 10)");
    TAP_OK(p.t_window == 433 && p.t_jump == 44, "periodic: t.window 433, t.jump 44 (got %ld %ld)",
           p.t_window, p.t_jump);
    TAP_OK(p.inner == 1 && p.outer == 15, "robust: inner 1, outer 15");
    TAP_OK(stl_nextodd(12) == 13 && stl_nextodd(13) == 13, "nextodd");
}

static void robustness_weights(void)
{
    double y[6] = {0, 1, 2, 3, 4, 100}, fit[6] = {0}, rw[6], scratch[6];
    double u;
    stl_robustness_weights(y, 5, fit, rw, scratch, 0);
    /* |r| = 0..4: median 2, 6 * median = 12 */
    u = 3.0 / 12.0;
    TAP_NEAR(rw[3], (1 - u * u) * (1 - u * u), 1e-15, "odd n: bisquare of |r| / (6 median)");
    TAP_NEAR(rw[0], 1.0, 0.0, "zero residual weighs 1");
    stl_robustness_weights(y, 6, fit, rw, scratch, 1);
    /* exact median of 0,1,2,3,4,100 = 2.5, 6 * 2.5 = 15 */
    u = 4.0 / 15.0;
    TAP_NEAR(rw[4], (1 - u * u) * (1 - u * u), 1e-15, "even n, exact median: 6 * 2.5 = 15");
    TAP_NEAR(rw[5], 0.0, 0.0, "a residual beyond 6 medians weighs 0");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void psort_selects(void)
{
    long sizes[] = {2, 3, 11, 12, 101, 1000, 1001};
    unsigned seed = 7;
    size_t s;
    int bad_odd = 0, bad_asc = 0;
    for (s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        long n = sizes[s], i;
        double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
        double *c = malloc((size_t)n * sizeof *c);
        for (i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = b[i] = c[i] = (double)((seed >> 8) % 97); /* many ties */
        }
        qsort(b, (size_t)n, sizeof *b, cmp_double);
        long desc[2] = {n / 2 + 1, n - (n / 2 + 1) + 1}, asc[2] = {n / 2, n / 2 + 1};
        stl_psort(a, n, desc, 2);
        if (n % 2 == 1 && a[desc[0] - 1] != b[desc[0] - 1])
            bad_odd++;
        stl_psort(c, n, asc, 2);
        if (c[asc[0] - 1] != b[asc[0] - 1] || c[asc[1] - 1] != b[asc[1] - 1])
            bad_asc++;
        free(a);
        free(b);
        free(c);
    }
    TAP_OK(bad_odd == 0, "psort: odd n puts the true median in the middle");
    TAP_OK(bad_asc == 0, "psort: ascending positions get the true order statistics");
}

static void constant_series(void)
{
    enum { N = 100 };
    double y[N], trend[N], seasonal[N], remainder[N];
    struct stl_opts o = {.period = 12, .s_window = 7, .t_degree = 1, .l_degree = -1,
                         .inner = -1, .outer = -1, .robust = 1};
    int i, bad = 0;
    for (i = 0; i < N; i++)
        y[i] = 42.5;
    stl_resolve(&o, N);
    stl_decompose(y, N, &o, trend, seasonal, remainder, NULL);
    for (i = 0; i < N; i++)
        if (fabs(trend[i] - 42.5) > 1e-9 || fabs(seasonal[i]) > 1e-9 || fabs(remainder[i]) > 1e-9)
            bad++;
    TAP_OK(bad == 0, "constant series (robust): trend = constant, seasonal = remainder = 0");
}

static void periodic_seasonal_repeats(void)
{
    enum { N = 60 };
    double y[N], trend[N], seasonal[N], remainder[N];
    struct stl_opts o = {.period = 7, .periodic = 1, .t_degree = 1, .l_degree = -1,
                         .inner = -1, .outer = -1};
    int i, bad = 0;
    for (i = 0; i < N; i++)
        y[i] = 0.1 * i + (i % 7 == 3 ? 5 : 0) + ((i * 37) % 11) * 0.01;
    stl_resolve(&o, N);
    stl_decompose(y, N, &o, trend, seasonal, remainder, NULL);
    for (i = 7; i < N; i++)
        if (seasonal[i] != seasonal[i - 7])
            bad++;
    TAP_OK(bad == 0, "periodic: the seasonal part repeats exactly every period");
    TAP_OK(seasonal[3] > 3, "periodic: the spike at cycle position 3 is seasonal (%.3f)",
           seasonal[3]);
}

int main(void)
{
    defaults_as_r();
    robustness_weights();
    psort_selects();
    constant_series();
    periodic_seasonal_repeats();
    return tap_done();
}
