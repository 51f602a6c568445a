/*
 * test_pelt.c - PELT against brute-force Optimal Partitioning on many
 * random and constructed series: identical change-point sets (and
 * bitwise-identical optimal costs) for every cost, penalty, minimum
 * segment length, with and without the MBIC segment term, per column and
 * joint. Also: CROPS against PELT at penalties inside and between its
 * intervals, and the known inexactness of R's pruning under MBIC.
 */
#include "../../lib/tests/tap.h"

#include "ar1.h"
#include "binseg.h"
#include "cost.h"
#include "crops.h"
#include "pelt.h"
#include "penalty.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static double uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
    return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static unsigned poisson(double lambda)
{
    double l = exp(-lambda), p = 1;
    unsigned k = 0;
    do {
        k++;
        p *= uniform();
    } while (p > l);
    return k - 1;
}

enum shape { GAUSS, INTEGER_TIES, STEPS_NO_NOISE, COUNTS };

/*
 * n rows, d columns: piecewise-constant levels with a few random changes
 * plus noise; INTEGER_TIES rounds to a coarse grid so that many segment
 * costs are exactly equal; STEPS_NO_NOISE repeats blocks exactly
 * (symmetric segmentations tie); COUNTS draws Poisson counts.
 */
static void make_series(double *x, size_t n, size_t d, enum shape shape, double noise)
{
    size_t c, r;
    for (c = 0; c < d; c++) {
        double level = 0, rate = 1 + 5 * uniform();
        for (r = 0; r < n; r++) {
            if (uniform() < 0.03) {
                level = 4 * normal();
                rate = 0.2 + 8 * uniform();
            }
            switch (shape) {
            case GAUSS:
                x[r * d + c] = level + noise * normal();
                break;
            case INTEGER_TIES:
                x[r * d + c] = floor(level / 2 + noise * normal() + 0.5);
                break;
            case STEPS_NO_NOISE:
                x[r * d + c] = (double)((r / 3) % 2);
                break;
            case COUNTS:
                x[r * d + c] = poisson(rate);
                break;
            }
        }
    }
}

static int same_cpts(const struct nf_seg_result *a, const struct nf_seg_result *b)
{
    size_t i;
    if (a->ncpts != b->ncpts)
        return 0;
    for (i = 0; i < a->ncpts; i++)
        if (a->cpts[i] != b->cpts[i])
            return 0;
    return a->total == b->total;
}

/* One PELT-versus-OP comparison; returns 1 when identical. */
static int compare(const double *x, size_t n, size_t d, const struct nf_cost_kind *kind, int mbic,
                   double pen, size_t minseg, uint64_t *pelt_work, uint64_t *op_work)
{
    struct nf_segdata sd;
    struct nf_seg_result p, q, o;
    size_t cols[8], c;
    int same;
    for (c = 0; c < d; c++)
        cols[c] = c;
    nf_segdata_init(&sd, kind, mbic, x, n, d, cols, d, NULL, 1);
    nf_pelt(&sd, pen, minseg, NF_PRUNE_EXACT, &p);
    nf_pelt(&sd, pen, minseg, NF_PRUNE_INEQUALITY, &q);
    nf_op(&sd, pen, minseg, &o);
    same = same_cpts(&p, &o) && same_cpts(&q, &o);
    if (!same)
        printf("# differs: n=%zu d=%zu cost=%s mbic=%d pen=%g minseg=%zu: pelt %zu cpts %.17g, op "
               "%zu cpts %.17g\n",
               n, d, kind->name, mbic, pen, minseg, p.ncpts, p.total, o.ncpts, o.total);
    *pelt_work += p.evaluations;
    *op_work += o.evaluations;
    nf_seg_result_free(&p);
    nf_seg_result_free(&q);
    nf_seg_result_free(&o);
    nf_segdata_free(&sd);
    return same;
}

static void random_comparisons(const char *what, const struct nf_cost_kind *kind, enum shape shape,
                               size_t d, int runs)
{
    static const struct nf_penalty pens[] = {
        {NF_PEN_MBIC, 0}, {NF_PEN_BIC, 0}, {NF_PEN_AIC, 0}, {NF_PEN_HQ, 0},
        {NF_PEN_MANUAL, 0}, {NF_PEN_MANUAL, 0.5}, {NF_PEN_MANUAL, 3}, {NF_PEN_MANUAL, 40},
    };
    static const size_t minsegs[] = {1, 2, 3, 5, 10};
    double *x = malloc(300 * d * sizeof *x);
    int i, bad = 0, total = 0, withcpts = 0;
    uint64_t pw = 0, ow = 0;
    for (i = 0; i < runs; i++) {
        size_t n = 2 + (size_t)(uniform() * 299);
        double noise = i % 3 == 0 ? 0.1 : i % 3 == 1 ? 1 : 3;
        const struct nf_penalty *pen = &pens[(size_t)i % (sizeof pens / sizeof pens[0])];
        size_t minseg = minsegs[(size_t)(i / 8) % (sizeof minsegs / sizeof minsegs[0])];
        double pv = nf_penalty_value(pen, kind->params * (int)d, n);
        if (minseg < kind->min_minseg)
            minseg = kind->min_minseg;
        make_series(x, n, d, shape, noise);
        total++;
        if (!compare(x, n, d, kind, pen->kind == NF_PEN_MBIC, pv, minseg, &pw, &ow))
            bad++;
        withcpts++;
    }
    TAP_OK(bad == 0, "%s: PELT (both prunings) equals OP on %d random series (n 2..300, 8 penalties, "
                     "min-seg-len 1..10); PELT did %.0f%% of OP's cost evaluations",
           what, total, 100.0 * (double)pw / (double)(ow ? ow : 1));
    free(x);
    (void)withcpts;
}

/* R's pruning keeps the log term in the bound: on some series it loses the optimum. */
static void r_pruning_is_inexact_with_mbic(void)
{
    double *x = malloc(3000 * sizeof *x);
    int i, worse = 0, better = 0;
    for (i = 0; i < 40; i++) {
        struct nf_segdata sd;
        struct nf_seg_result e, r;
        size_t col = 0, n = 3000;
        make_series(x, n, 1, GAUSS, 1);
        nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], 1, x, n, 1, &col, 1, NULL, 0);
        nf_pelt(&sd, 3 * log((double)n), 1, NF_PRUNE_EXACT, &e);
        nf_pelt(&sd, 3 * log((double)n), 1, NF_PRUNE_R, &r);
        if (r.total > e.total + 1e-9)
            worse++;
        if (r.total < e.total - 1e-9)
            better++;
        nf_seg_result_free(&e);
        nf_seg_result_free(&r);
        nf_segdata_free(&sd);
    }
    TAP_OK(better == 0, "R's pruning never beats the exact optimum (40 series, MBIC)");
    printf("# R's pruning missed the MBIC optimum on %d of 40 series of 3000 rows\n", worse);
    free(x);
}

static void short_series_have_no_change(void)
{
    double x[] = {0, 10, 0, 10, 0, 10, 0, 10, 0};
    struct nf_segdata sd;
    struct nf_seg_result p, o;
    size_t col = 0;
    nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], 0, x, 9, 1, &col, 1, NULL, 1);
    nf_pelt(&sd, 0.1, 5, NF_PRUNE_EXACT, &p);
    nf_op(&sd, 0.1, 5, &o);
    TAP_OK(p.ncpts == 0 && o.ncpts == 0, "9 rows with min-seg-len 5 (< 2*5): no change point");
    nf_seg_result_free(&p);
    nf_seg_result_free(&o);
    nf_pelt(&sd, 0.1, 1, NF_PRUNE_EXACT, &p);
    TAP_OK(p.ncpts == 8, "alternating 0/10 with a tiny penalty: a change at every row");
    nf_seg_result_free(&p);
    nf_pelt(&sd, 0.1, 20, NF_PRUNE_EXACT, &p);
    TAP_OK(p.ncpts == 0 && fabs(p.cost - 2000.0 / 9) < 1e-9,
           "fewer rows than min-seg-len: one segment costing its RSS");
    nf_seg_result_free(&p);
    nf_segdata_free(&sd);
}

static void ties_go_to_the_earliest_change(void)
{
    /* 0 0 10 0 0 with min-seg-len 2: a change at 2 or at 3 costs exactly
     * the same (RSS 200/3 either way) and beats no change by more than the
     * penalty; no room for two changes. */
    double x[] = {0, 0, 10, 0, 0};
    struct nf_segdata sd;
    struct nf_seg_result p, o, r;
    size_t col = 0;
    nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], 0, x, 5, 1, &col, 1, NULL, 1);
    nf_pelt(&sd, 1, 2, NF_PRUNE_EXACT, &p);
    nf_op(&sd, 1, 2, &o);
    nf_pelt(&sd, 1, 2, NF_PRUNE_R, &r);
    TAP_OK(p.ncpts == 1 && p.cpts[0] == 2, "tie between a change at 2 and at 3: the earliest wins");
    TAP_OK(same_cpts(&p, &o) && r.ncpts == 1 && r.cpts[0] == 2,
           "the tie goes the same way in OP and with R's pruning");
    nf_seg_result_free(&p);
    nf_seg_result_free(&o);
    nf_seg_result_free(&r);
    nf_segdata_free(&sd);
}

static void crops_matches_pelt(void)
{
    double x[400];
    struct nf_segdata sd;
    struct nf_crops c;
    size_t col = 0, i;
    int ok = 1, chain = 1;
    make_series(x, 400, 1, GAUSS, 1);
    nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], 0, x, 400, 1, &col, 1, NULL, 1);
    nf_crops_run(&sd, 1, 2, 200, &c);
    for (i = 0; i < c.nsegs; i++) {
        struct nf_seg_result r;
        double mid = (c.segs[i].pen_lo + c.segs[i].pen_hi) / 2;
        nf_pelt(&sd, mid, 1, NF_PRUNE_EXACT, &r);
        if (r.ncpts != c.segs[i].res.ncpts || fabs(r.cost - c.segs[i].res.cost) > 1e-6)
            ok = 0;
        nf_seg_result_free(&r);
        if (i > 0 && (c.segs[i].pen_lo != c.segs[i - 1].pen_hi ||
                      c.segs[i].res.ncpts >= c.segs[i - 1].res.ncpts))
            chain = 0;
    }
    TAP_OK(c.nsegs >= 3 && ok, "CROPS: PELT at the middle of each of %zu intervals gives that "
                               "segmentation", c.nsegs);
    TAP_OK(chain && c.segs[0].pen_lo == 2 && c.segs[c.nsegs - 1].pen_hi == 200,
           "CROPS: intervals cover [2, 200] without gaps, fewer change points as the penalty grows");
    nf_crops_free(&c);
    nf_segdata_free(&sd);
}

static void penalties_are_changepoints(void)
{
    struct nf_penalty p = {NF_PEN_MBIC, 0};
    TAP_NEAR(nf_penalty_value(&p, 1, 1000), 20.72326583694641, 1e-12,
             "MBIC for a mean change, n 1000: 3 log n (R's pen.value)");
    p.kind = NF_PEN_BIC;
    TAP_NEAR(nf_penalty_value(&p, 1, 1000), 2 * log(1000.0), 1e-12, "BIC mean: 2 log n");
    TAP_NEAR(nf_penalty_value(&p, 2, 1000), 3 * log(1000.0), 1e-12, "BIC meanvar: 3 log n");
    p.kind = NF_PEN_AIC;
    TAP_NEAR(nf_penalty_value(&p, 1, 1000), 4, 1e-12, "AIC mean: 4");
    p.kind = NF_PEN_HQ;
    TAP_NEAR(nf_penalty_value(&p, 1, 1000), 4 * log(log(1000.0)), 1e-12, "HQ mean: 4 log log n");
}

static void sigma_estimates(void)
{
    static double x[20000];
    size_t i;
    for (i = 0; i < 20000; i++)
        x[i] = 2 * normal() + (i > 10000 ? 50 : 0);
    TAP_NEAR(nf_sigma_estimate(x, 20000, 1, 1), 2, 0.1,
             "sigma diff: i.i.d. noise of sd 2 with a jump of 50 gives about 2");
    TAP_NEAR(nf_sigma_estimate(x, 20000, 1, 141), 2, 0.6,
             "sigma by block means: also about 2 on i.i.d. noise");
    for (i = 0; i < 20000; i++)
        x[i] = 3;
    TAP_OK(nf_sigma_estimate(x, 20000, 1, 1) == 1, "constant series: sigma falls back to 1");
}

/*
 * Series with values far from the rest (1e8..1e15, cost.h's nf_far kept
 * out of the prefix sums; 100 of them is more than are kept apart): PELT
 * with both prunings still equals OP, for the mean and meanvar costs.
 */
static void far_values(void)
{
    double x[300];
    int i, bad = 0, runs = 300;
    uint64_t pw = 0, ow = 0;
    for (i = 0; i < runs; i++) {
        size_t n = 20 + (size_t)(uniform() * 280), k;
        size_t nfar = i % 10 == 9 ? 100 : 1 + (size_t)(uniform() * 3);
        const struct nf_cost_kind *kind = &nf_cost_kinds[i % 2 ? NF_COST_MEANVAR : NF_COST_MEAN];
        struct nf_penalty mbic = {NF_PEN_MBIC, 0};
        double pen = nf_penalty_value(&mbic, kind->params, n);
        make_series(x, n, 1, GAUSS, 1);
        for (k = 0; k < nfar; k++)
            x[(size_t)(uniform() * (double)n)] = (uniform() < 0.5 ? -1 : 1) * pow(10, 8 + 7 * uniform());
        if (!compare(x, n, 1, kind, 1, pen, kind->min_minseg, &pw, &ow))
            bad++;
    }
    TAP_OK(bad == 0, "far values: PELT (both prunings) equals OP on %d series with 1..3 or 100 values "
                     "of 1e8..1e15 (mean and meanvar, MBIC)", runs);
}

/*
 * Binary segmentation (the start of --sigma ar1): its first split is the
 * exhaustive best split of the whole series, scaled by the variance given,
 * MBIC term included, taken only when it pays the penalty; on noiseless
 * steps far apart it finds every step, as PELT does.
 */
static void binseg_splits(void)
{
    double x[400];
    int i, bad = 0, runs = 300;
    for (i = 0; i < runs; i++) {
        size_t n = 10 + (size_t)(uniform() * 390), tau, best_tau = 0, minseg = 1 + (size_t)(uniform() * 3), k;
        size_t col = 0;
        double var = 0.2 + 3 * uniform(), best = INFINITY, whole, pen = 5 + 20 * uniform();
        struct nf_segdata sd;
        struct nf_seg_result r;
        make_series(x, n, 1, i % 3 ? GAUSS : INTEGER_TIES, 1);
        nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], i % 2, x, n, 1, &col, 1, NULL, 1);
        for (tau = minseg; tau + minseg <= n; tau++) {
            double c = (nf_seg_base(&sd, 0, tau) + nf_seg_base(&sd, tau, n)) / var +
                       nf_seg_extra(&sd, 0, tau) + nf_seg_extra(&sd, tau, n);
            if (c < best) {
                best = c;
                best_tau = tau;
            }
        }
        whole = nf_seg_base(&sd, 0, n) / var + nf_seg_extra(&sd, 0, n);
        nf_binseg(&sd, &var, pen, minseg, &r);
        if (n < 2 * minseg || !(whole - best > pen + 1e-9 * fabs(whole))) {
            bad += r.ncpts != 0 && !(n >= 2 * minseg && whole - best > pen - 1e-9 * fabs(whole));
        } else {
            int found = 0;
            for (k = 0; k < r.ncpts; k++)
                found |= r.cpts[k] == best_tau;
            bad += !found;
        }
        for (k = 1; k < r.ncpts; k++)
            bad += r.cpts[k] <= r.cpts[k - 1] || r.cpts[k] - r.cpts[k - 1] < minseg;
        nf_seg_result_free(&r);
        nf_segdata_free(&sd);
    }
    TAP_OK(bad == 0, "binseg: the first split is the exhaustive best one (scaled, MBIC term), taken "
                     "only when it pays the penalty, on %d series", runs);
    {
        size_t n = 300, r, col = 0;
        double var = 1;
        struct nf_segdata sd;
        struct nf_seg_result bs;
        for (r = 0; r < n; r++)
            x[r] = r < 70 ? 0 : r < 150 ? 5 : r < 160 ? -3 : r < 240 ? 2 : 7;
        nf_segdata_init(&sd, &nf_cost_kinds[NF_COST_MEAN], 1, x, n, 1, &col, 1, NULL, 1);
        nf_binseg(&sd, &var, 10, 1, &bs);
        TAP_OK(bs.ncpts == 4 && bs.cpts[0] == 70 && bs.cpts[1] == 150 && bs.cpts[2] == 160 &&
                   bs.cpts[3] == 240,
               "binseg: noiseless steps at 70, 150, 160, 240 are all found (%zu change points)",
               bs.ncpts);
        nf_seg_result_free(&bs);
        nf_segdata_free(&sd);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* R's quantile type 7 from a sorted copy, the reference for nf_ar1_start's selection. */
static double type7(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    return lo + 1 < n ? sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

static void ar1_start_is_iqr(void)
{
    double x[500], sorted[500];
    int i, bad = 0, runs = 400;
    for (i = 0; i < runs; i++) {
        size_t n = 2 + (size_t)(uniform() * 498);
        double want, got;
        make_series(x, n, 1, i % 2 ? INTEGER_TIES : GAUSS, 1);
        memcpy(sorted, x, n * sizeof *x);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        want = (type7(sorted, n, 0.75) - type7(sorted, n, 0.25)) / NF_AR1_IQR_SD;
        got = nf_ar1_start(x, n, 1);
        if (want > 0 ? fabs(got - want) > 1e-12 * want : !(got > 0))
            bad++;
    }
    TAP_OK(bad == 0, "ar1 start: IQR / 1.349 with R's type-7 quartiles by selection, on %d series "
                     "(half with ties)", runs);
    for (i = 0; i < 10; i++)
        x[i] = 4;
    TAP_NEAR(nf_ar1_start(x, 10, 1), 1, 0, "ar1 start: a constant series starts at 1");
    x[9] = 14; /* IQR 0, SD of nine 4s and one 14 */
    TAP_NEAR(nf_ar1_start(x, 10, 1), sqrt(10.0), 1e-12, "ar1 start: IQR 0 falls back to the SD");
}

int main(void)
{
    random_comparisons("mean, Gaussian", &nf_cost_kinds[NF_COST_MEAN], GAUSS, 1, 1200);
    random_comparisons("mean, integer data with ties", &nf_cost_kinds[NF_COST_MEAN], INTEGER_TIES,
                       1, 600);
    random_comparisons("mean, repeated noiseless blocks", &nf_cost_kinds[NF_COST_MEAN],
                       STEPS_NO_NOISE, 1, 200);
    random_comparisons("mean, joint 3 columns", &nf_cost_kinds[NF_COST_MEAN], GAUSS, 3, 300);
    random_comparisons("meanvar, Gaussian", &nf_cost_kinds[NF_COST_MEANVAR], GAUSS, 1, 600);
    random_comparisons("meanvar, joint 2 columns", &nf_cost_kinds[NF_COST_MEANVAR], GAUSS, 2, 200);
    random_comparisons("poisson, counts", &nf_cost_kinds[NF_COST_POISSON], COUNTS, 1, 600);
    random_comparisons("poisson, joint 2 columns", &nf_cost_kinds[NF_COST_POISSON], COUNTS, 2, 200);
    r_pruning_is_inexact_with_mbic();
    short_series_have_no_change();
    ties_go_to_the_earliest_change();
    crops_matches_pelt();
    penalties_are_changepoints();
    sigma_estimates();
    binseg_splits();
    ar1_start_is_iqr();
    far_values(); /* last: the other tests keep their random series */
    return tap_done();
}
