/* cost.c - the segment cost formulas and their prefix sums. */
#include "cost.h"

#include "err.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

/* Residual sum of squares: Normal mean change with unit variance. */
static double cost_mean(double sx, double sxx, double len)
{
    return sxx - sx * sx / len;
}

/*
 * -2 log-likelihood of a Normal segment at its ML mean and variance, as
 * changepoint's mll_meanvar: a variance of 0 (or below, by rounding) is
 * replaced by 1e-11 so that constant stretches cost a finite amount.
 */
#define MEANVAR_FLOOR 0.00000000001
static double cost_meanvar(double sx, double sxx, double len)
{
    double var = (sxx - sx * sx / len) / len;
    if (var <= 0)
        var = MEANVAR_FLOOR;
    return len * (log(2 * M_PI) + log(var) + 1);
}

/* -2 log-likelihood of a Poisson segment at its ML rate, without the data-only term. */
static double cost_poisson(double sx, double sxx, double len)
{
    (void)sxx;
    if (sx == 0)
        return 0;
    return 2 * sx * (log(len) - log(sx));
}

const struct nf_cost_kind nf_cost_kinds[NF_COST_COUNT] = {
    [NF_COST_MEAN] = {"mean", cost_mean, 1, 1, 1, 1, 1, 1},
    [NF_COST_MEANVAR] = {"meanvar", cost_meanvar, 2, 2, 2, 0, 1, 0},
    [NF_COST_POISSON] = {"poisson", cost_poisson, 1, 2, 1, 0, 0, 0},
};

const struct nf_cost_kind *nf_cost_lookup(const char *name)
{
    size_t i;
    for (i = 0; i < NF_COST_COUNT; i++)
        if (strcmp(nf_cost_kinds[i].name, name) == 0)
            return &nf_cost_kinds[i];
    return NULL;
}

/*
 * The value the sums are centred on (after scaling): the first value, or
 * the median when the first is more than 2^20 (noise scales, or units with
 * --sigma) from it, so that one extreme first value does not move every
 * other row away from 0. The costs of mean and meanvar do not change with
 * the shift; the first value is kept otherwise because the tests' exact
 * decimal data stay exact that way (0.2 - 0.2, not 0.2 - 0.4).
 */
#define CENTRE_FAR 1048576.0
static double column_centre(const double *x, size_t n, size_t stride, size_t col, double sc)
{
    double *v = nf_xmalloc(n * sizeof *v), med, first = x[col] / sc;
    size_t r;
    for (r = 0; r < n; r++)
        v[r] = x[r * stride + col] / sc;
    med = gsl_stats_median(v, 1, n); /* quickselect; reorders its copy */
    free(v);
    return isfinite(med) && fabs(first - med) > CENTRE_FAR ? med : first;
}

static void far_add(struct nf_segdata *sd, size_t col, size_t row, double v)
{
    struct nf_far *f;
    if (!sd->far)
        sd->far = nf_xcalloc(sd->d, sizeof *sd->far);
    f = &sd->far[col];
    if ((f->n & (f->n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow at powers of two */
        size_t cap = f->n ? 2 * f->n : 1;
        f->row = nf_xrealloc(f->row, cap * sizeof *f->row);
        f->v = nf_xrealloc(f->v, cap * sizeof *f->v);
        f->v2 = nf_xrealloc(f->v2, cap * sizeof *f->v2);
    }
    f->row[f->n] = row;
    f->v[f->n] = v;
    f->v2[f->n++] = v * v;
}

void nf_seg_add_far(const struct nf_far *f, size_t s, size_t t, double *sx, double *sxx)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) { /* the first far row >= s */
        size_t mid = lo + (hi - lo) / 2;
        if (f->row[mid] < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < f->n && f->row[lo] < t; lo++) {
        *sx += f->v[lo];
        *sxx += f->v2[lo];
    }
}

void nf_segdata_init(struct nf_segdata *sd, const struct nf_cost_kind *kind, int mbic,
                     const double *x, size_t n, size_t stride, const size_t *cols, size_t d,
                     const double *scale, int centre)
{
    size_t c, r;
    sd->n = n;
    sd->d = d;
    sd->far = NULL;
    sd->kind = kind;
    sd->mbic = mbic;
    sd->s1 = nf_xmalloc(d * (n + 1) * sizeof *sd->s1);
    sd->s2 = nf_xmalloc(d * (n + 1) * sizeof *sd->s2);
    sd->extra = nf_xmalloc((n + 1) * sizeof *sd->extra);
    sd->extra[0] = 0;
    for (r = 1; r <= n; r++)
        sd->extra[r] = mbic ? (double)d * log((double)r) : 0;
    for (c = 0; c < d; c++) {
        double *p1 = sd->s1 + c * (n + 1), *p2 = sd->s2 + c * (n + 1);
        double sc = scale && kind->scales ? scale[c] : 1.0;
        double shift = centre && kind->shift_free && n > 0 ? column_centre(x, n, stride, cols[c], sc) : 0;
        long double a = 0, b = 0; /* as R's cumsum, which the reference outputs came from */
        int isolate = centre && kind->shift_free;
        p1[0] = p2[0] = 0;
        for (r = 0; r < n; r++) {
            double v = x[r * stride + cols[c]];
            v = v / sc - shift;
            if (isolate && fabs(v) > NF_SEG_FAR && isfinite(v * v) &&
                (!sd->far || sd->far[c].n < NF_SEG_FAR_MAX)) {
                far_add(sd, c, r, v); /* kept out: the sums stay those of the other rows */
                v = 0;
            }
            a += v;
            b += v * v;
            p1[r + 1] = (double)a;
            p2[r + 1] = (double)b;
        }
    }
}

double nf_segdata_resolution(const struct nf_segdata *sd, size_t k, size_t *row)
{
    const double *p1 = sd->s1 + k * (sd->n + 1), *p2 = sd->s2 + k * (sd->n + 1);
    double worst = 0;
    size_t r;
    *row = 0;
    for (r = 0; r < sd->n; r++) {
        double sq = p2[r + 1] - p2[r], v = p1[r + 1] - p1[r];
        double size = sd->kind->shift_free ? sq : fabs(v);
        if (!(size <= worst)) { /* NaN and inf count as the worst */
            worst = size;
            *row = r;
            if (!isfinite(size))
                return INFINITY;
        }
    }
    /* a difference of two sums is off by about one unit in the last place of the larger */
    return DBL_EPSILON * (sd->kind->shift_free ? p2[sd->n] : fabs(p1[sd->n]));
}

void nf_segdata_free(struct nf_segdata *sd)
{
    size_t k;
    for (k = 0; sd->far && k < sd->d; k++) {
        free(sd->far[k].row);
        free(sd->far[k].v);
        free(sd->far[k].v2);
    }
    free(sd->far);
    sd->far = NULL;
    free(sd->s1);
    free(sd->s2);
    free(sd->extra);
    sd->s1 = sd->s2 = sd->extra = NULL;
}

