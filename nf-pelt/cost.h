/*
 * cost.h - segment costs of nf-pelt, O(1) per segment from prefix sums.
 *
 * A series of n rows and d columns is held as prefix sums per column;
 * the segment [s, t) (rows s..t-1) costs the sum over columns of the
 * cost kind's formula, the same formulas as R changepoint's C core
 * (mll_mean, mll_meanvar, mll_meanvar_poisson). The kind is chosen once
 * through a table of function pointers (nf_cost_kinds), never by name at
 * run time.
 */
#ifndef NF_PELT_COST_H
#define NF_PELT_COST_H

#include <stddef.h>

enum nf_cost_id { NF_COST_MEAN, NF_COST_MEANVAR, NF_COST_POISSON, NF_COST_COUNT };

/* Cost of one column's segment from its sums: sum x, sum x^2, length. */
typedef double (*nf_cost_fn)(double sx, double sxx, double len);

struct nf_cost_kind {
    const char *name;        /* option value: "mean", "meanvar", "poisson" */
    nf_cost_fn cost;
    int params;              /* parameters changed per column at a change (R's diffparam) */
    size_t default_minseg;   /* R's default minseglen */
    size_t min_minseg;       /* smallest minimum segment length that makes sense */
    int scales;              /* 1 = --sigma applies (data divided by sigma) */
    int shift_free;          /* 1 = the cost ignores a constant added to the data */
    int quadratic;           /* 1 = cost is min over mu of sum (x - mu)^2 (functional pruning) */
};

extern const struct nf_cost_kind nf_cost_kinds[NF_COST_COUNT];

/* Looks a cost kind up by option text; NULL when unknown. */
const struct nf_cost_kind *nf_cost_lookup(const char *name);

/*
 * The data one segmentation sees: n rows, d columns, prefix sums
 * s1[c*(n+1) + t] = sum of column c over rows [0, t), s2 likewise of
 * squares. mbic adds d*log(length) to every segment's cost (changepoint's
 * MBIC segment term).
 */
/*
 * Values of one column far from its centre (more than NF_SEG_FAR after
 * scaling and centring), kept out of the prefix sums and added back to
 * the sums of the segments that hold them: one value of 2^64 - 1 in
 * the prefix sums would leave every later segment's cost to rounding.
 * At most NF_SEG_FAR_MAX per column (each segment cost adds those in its
 * range); further ones stay in the sums, and the resolution check warns.
 */
struct nf_far {
    size_t n;
    size_t *row;     /* [n] ascending */
    double *v, *v2;  /* [n] value and its square */
};
#define NF_SEG_FAR 1048576.0
#define NF_SEG_FAR_MAX 64

struct nf_segdata {
    size_t n, d;
    double *s1, *s2;
    struct nf_far *far; /* [d] far values per column, NULL when there are none */
    const struct nf_cost_kind *kind;
    int mbic;
    double *extra;  /* [n+1]: d*log(k) with MBIC, else 0: the segment term by length */
};

/*
 * Builds prefix sums of x (n rows, stride apart, d columns at x[r*stride+c]
 * for c in cols[0..d)), each column first divided by scale[c] (NULL = 1)
 * and, with centre set and a cost invariant to a shift (mean, meanvar),
 * centred on its median, which keeps the sums small without changing any
 * cost. Sums are accumulated in long double and stored as double, as
 * R's cumsum does (centre 0 then gives R's prefix sums bit for bit).
 */
void nf_segdata_init(struct nf_segdata *sd, const struct nf_cost_kind *kind, int mbic,
                     const double *x, size_t n, size_t stride, const size_t *cols, size_t d,
                     const double *scale, int centre);
void nf_segdata_free(struct nf_segdata *sd);

/*
 * How finely column k's segment costs are resolved: about the rounding
 * error of a difference of its prefix sums (DBL_EPSILON times the total
 * sum of squares, of values for Poisson), INFINITY when a sum overflowed.
 * *row gets the row with the largest contribution, for messages. A cost
 * difference below the resolution is noise: one value of 2^64 - 1 in a
 * series of hundreds makes it 1e20 noise scales squared.
 */
double nf_segdata_resolution(const struct nf_segdata *sd, size_t k, size_t *row);

/* Adds the far values of [s, t) to *sx and *sxx. */
void nf_seg_add_far(const struct nf_far *f, size_t s, size_t t, double *sx, double *sxx);

/* Sum of x and of x^2 of column k over [s, t). */
static inline void nf_seg_sums(const struct nf_segdata *sd, size_t k, size_t s, size_t t,
                               double *sx, double *sxx)
{
    size_t off = k * (sd->n + 1);
    *sx = sd->s1[off + t] - sd->s1[off + s];
    *sxx = sd->s2[off + t] - sd->s2[off + s];
    if (sd->far && sd->far[k].n > 0)
        nf_seg_add_far(&sd->far[k], s, t, sx, sxx);
}

/* Cost of [s, t) without the MBIC term (summed over columns). */
static inline double nf_seg_base(const struct nf_segdata *sd, size_t s, size_t t)
{
    double len = (double)(t - s), c = 0, sx, sxx;
    size_t k;
    for (k = 0; k < sd->d; k++) {
        nf_seg_sums(sd, k, s, t, &sx, &sxx);
        c += sd->kind->cost(sx, sxx, len);
    }
    return c;
}

/* The MBIC segment term of [s, t): d*log(t-s), or 0 without MBIC. */
static inline double nf_seg_extra(const struct nf_segdata *sd, size_t s, size_t t)
{
    return sd->extra[t - s];
}

/* Full segment cost: base plus MBIC term. */
static inline double nf_seg_cost(const struct nf_segdata *sd, size_t s, size_t t)
{
    return nf_seg_base(sd, s, t) + nf_seg_extra(sd, s, t);
}

#endif
