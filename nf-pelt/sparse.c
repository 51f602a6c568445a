/* sparse.c - changes in a few of many columns, within the joint segments (sparse.h). */
#include "sparse.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>

static double column_cost(const struct nf_segdata *sd, size_t k, size_t s, size_t t)
{
    double sx, sxx;
    nf_seg_sums(sd, k, s, t, &sx, &sxx);
    return sd->kind->cost(sx, sxx, (double)(t - s));
}

double nf_sparse_gain(const struct nf_segdata *sd, size_t k, size_t a, size_t tau, size_t b)
{
    return column_cost(sd, k, a, b) - column_cost(sd, k, a, tau) - column_cost(sd, k, tau, b);
}

/* S(tau) of sparse.h and, in *c, what the split at tau would record. */
static double excess_at(const struct nf_segdata *sd, size_t a, size_t tau, size_t b, double alpha,
                        double beta, struct nf_sparse_change *c)
{
    size_t k;
    double excess = 0;
    c->row = tau;
    c->ncols = 0;
    c->gain = 0;
    for (k = 0; k < sd->d; k++) {
        double g = nf_sparse_gain(sd, k, a, tau, b);
        if (g > alpha) {
            excess += g - alpha;
            c->gain += g;
            c->ncols++;
        }
    }
    c->penalty = beta + (double)c->ncols * alpha;
    return excess;
}

struct found {
    struct nf_sparse_change *v;
    size_t n, cap;
};

static void keep(struct found *f, const struct nf_sparse_change *c)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 8;
        f->v = nf_xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n++] = *c;
}

/* The split of [a, b) with the largest S (0 when none has S > 0). */
static double best_split(const struct nf_segdata *sd, size_t a, size_t b, size_t minseg, double alpha,
                         double beta, struct nf_sparse_change *at)
{
    size_t tau;
    double best = 0;
    struct nf_sparse_change c;
    for (tau = a + minseg; tau + minseg <= b; tau++) {
        double s = excess_at(sd, a, tau, b, alpha, beta, &c);
        if (s > best) {
            best = s;
            *at = c;
        }
    }
    return best;
}

/* Binary segmentation of [a, b) by S, with a stack of parts still to search. */
static void search(const struct nf_segdata *sd, size_t a, size_t b, size_t minseg, double alpha,
                   double beta, struct found *f)
{
    size_t *stack, nstack = 0, cap = 32;
    stack = nf_xmalloc(cap * sizeof *stack);
    stack[nstack++] = a;
    stack[nstack++] = b;
    while (nstack > 0) {
        struct nf_sparse_change at = {0};
        size_t hi = stack[--nstack], lo = stack[--nstack];
        if (hi - lo < 2 * minseg || !(best_split(sd, lo, hi, minseg, alpha, beta, &at) > beta))
            continue;
        keep(f, &at);
        if (nstack + 4 > cap) {
            cap *= 2;
            stack = nf_xrealloc(stack, cap * sizeof *stack);
        }
        stack[nstack++] = at.row;
        stack[nstack++] = hi;
        stack[nstack++] = lo;
        stack[nstack++] = at.row;
    }
    free(stack);
}

static int by_row(const void *x, const void *y)
{
    size_t a = ((const struct nf_sparse_change *)x)->row, b = ((const struct nf_sparse_change *)y)->row;
    return (a > b) - (a < b);
}

size_t nf_sparse_scan(const struct nf_segdata *sd, const size_t *cpts, size_t ncpts, size_t minseg,
                      double alpha, double beta, struct nf_sparse_change **out)
{
    struct found f = {0};
    size_t i, from = 0;
    if (minseg < 1)
        minseg = 1;
    for (i = 0; i <= ncpts; i++) {
        size_t to = i < ncpts ? cpts[i] : sd->n;
        search(sd, from, to, minseg, alpha, beta, &f);
        from = to;
    }
    if (f.n) /* qsort must not see the NULL of an empty list */
        qsort(f.v, f.n, sizeof *f.v, by_row);
    *out = f.v;
    return f.n;
}
