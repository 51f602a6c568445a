/* test_loess.c - the loess step of STL on cases small enough to check by hand. */
#include "../../lib/tests/tap.h"
#include "loess.h"

static double tricube(double u)
{
    double t = 1.0 - u * u * u;
    return t * t * t;
}

static void local_constant(void)
{
    /* Window of 5 at the centre: h = 2, the ends (distance h) weigh 0, neighbours (7/8)^3. */
    double y[5] = {1, 2, 10, 4, 5}, w[5], ys = 0;
    double nb = 0.669921875; /* (1 - 0.5^3)^3 */
    int ok = loess_fit_at(y, 5, 5, 0, 3.0, &ys, 1, 5, w, NULL);
    TAP_OK(ok, "centre fit is made");
    TAP_NEAR(ys, (nb * 2 + 10 + nb * 4) / (1 + 2 * nb), 1e-14,
             "degree 0 at the centre: tricube-weighted mean, ends of the window weigh 0");
    TAP_NEAR(w[0], 0.0, 0.0, "point at distance h gets weight 0");
}

static void local_line_at_the_edge(void)
{
    /* A straight line is reproduced by degree 1 even at the left end (h = 4). */
    double y[5], w[5], ys = 0, mean;
    double w1 = 1, w2 = tricube(0.25), w3 = tricube(0.5), w4 = tricube(0.75);
    int j;
    for (j = 1; j <= 5; j++)
        y[j - 1] = 3 + 2 * j;
    loess_fit_at(y, 5, 5, 1, 1.0, &ys, 1, 5, w, NULL);
    TAP_NEAR(ys, 5.0, 1e-12, "degree 1 reproduces the line 3 + 2j at j = 1");
    loess_fit_at(y, 5, 5, 0, 1.0, &ys, 1, 5, w, NULL);
    mean = (w1 * 5 + w2 * 7 + w3 * 9 + w4 * 11) / (w1 + w2 + w3 + w4);
    TAP_NEAR(ys, mean, 1e-12, "degree 0 at the edge is the one-sided weighted mean (%.6f)", mean);
}

static void window_longer_than_series(void)
{
    /* n = 3, len = 7: h = 1 + (7 - 3) / 2 = 3, so the ends weigh (1 - 1/27)^3. */
    double y[3] = {0, 0, 3}, w[3], ys = 0, ys8 = 0;
    double e = tricube(1.0 / 3.0);
    loess_fit_at(y, 3, 7, 0, 2.0, &ys, 1, 3, w, NULL);
    TAP_NEAR(ys, 3 * e / (1 + 2 * e), 1e-14, "len > n widens h by (len - n) / 2");
    loess_fit_at(y, 3, 8, 0, 2.0, &ys8, 1, 3, w, NULL);
    TAP_NEAR(ys8, ys, 0.0, "the widening uses integer halving: len 8 = len 7 for n = 3");
}

static void zero_weights(void)
{
    double y[4] = {1, 2, 3, 4}, rw[4] = {0, 0, 0, 0}, w[4], ys[4];
    double got = -1;
    TAP_OK(!loess_fit_at(y, 4, 3, 1, 2.0, &got, 1, 3, w, rw), "all robustness weights 0: no fit");
    loess_smooth(y, 4, 3, 1, 1, rw, ys, w);
    TAP_OK(ys[0] == 1 && ys[1] == 2 && ys[2] == 3 && ys[3] == 4,
           "smoothing without any fit keeps the data");
}

static void jumps(void)
{
    double y[11], full[11], jumped[11], w[11];
    int j;
    for (j = 1; j <= 11; j++)
        y[j - 1] = (double)(j * j) + (j % 3 == 0 ? 5 : 0);
    loess_smooth(y, 10, 5, 1, 1, NULL, full, w);
    loess_smooth(y, 10, 5, 1, 3, NULL, jumped, w);
    TAP_NEAR(jumped[3], full[3], 1e-12, "jump 3: the fit at 4 equals the jump-1 fit");
    TAP_NEAR(jumped[9], full[9], 1e-12, "jump 3: the fit at n = 10 equals the jump-1 fit");
    TAP_NEAR(jumped[1], (2 * jumped[0] + jumped[3]) / 3, 1e-12,
             "jump 3: point 2 is the linear interpolation between the fits at 1 and 4");
    TAP_OK(fabs(jumped[1] - full[1]) > 1e-6, "interpolated point differs from its own fit");
    loess_smooth(y, 11, 5, 1, 1, NULL, full, w);
    loess_smooth(y, 11, 5, 1, 3, NULL, jumped, w);
    TAP_NEAR(jumped[10], full[10], 1e-12, "n = 11, jump 3: the last point gets its own fit");
    loess_smooth(y, 11, 5, 1, 4, NULL, jumped, w);
    TAP_NEAR(jumped[9], (jumped[8] + jumped[10]) / 2, 1e-12,
             "n = 11, jump 4: points between the last jump fit (9) and n are interpolated");
}

int main(void)
{
    local_constant();
    local_line_at_the_edge();
    window_longer_than_series();
    zero_weights();
    jumps();
    return tap_done();
}
