/*
 * sparse.h - changes in a few of many columns (nf-pelt --sparse).
 *
 * A joint segmentation of d columns pays (d + 2) log n (MBIC) for every
 * change, whichever columns move, so a step that lives in two of 36
 * components must buy the penalty of all 36 and is never placed. After
 * the joint segmentation, each of its segments is searched for one more
 * split by a sparse statistic, in the spirit of the subset penalties of
 * Fisch, Eckley & Fearnhead (MVCAPA, 2022): at a split tau, column j's
 * cost reduction G_j(tau) counts only by what it exceeds alpha = 2 log d
 * (the price of choosing which of the d columns moved), and the split
 * stands when S(tau) = sum_j max(0, G_j(tau) - alpha) exceeds beta, the
 * penalty of a change in one column. Then both parts are searched again
 * (binary segmentation), so a segment can hold several such changes.
 * Splits keep minseg rows on either side; ties go to the earliest row.
 */
#ifndef NF_PELT_SPARSE_H
#define NF_PELT_SPARSE_H

#include "cost.h"

#include <stddef.h>

struct nf_sparse_change {
    size_t row;       /* first row of the new segment */
    size_t ncols;     /* columns whose G_j exceeds alpha */
    double gain;      /* the sum of those G_j: the change's cost reduction */
    double penalty;   /* beta + ncols * alpha: what those columns must pay */
};

/*
 * The sparse changes within the segments that cpts[0..ncpts) (ascending)
 * cut [0, sd->n) into, ascending by row, into *out (malloc'd, the caller
 * frees); returns their number.
 */
size_t nf_sparse_scan(const struct nf_segdata *sd, const size_t *cpts, size_t ncpts, size_t minseg,
                      double alpha, double beta, struct nf_sparse_change **out);

/* Column k's cost reduction when [a, b) is split at tau. */
double nf_sparse_gain(const struct nf_segdata *sd, size_t k, size_t a, size_t tau, size_t b);

#endif
