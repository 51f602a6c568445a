/*
 * binseg.h - binary segmentation (Scott & Knott 1974; R changepoint's
 * BinSeg without its limit Q on the number of changes): split the segment
 * where two parts cost least, keep the split when it lowers the cost by
 * more than the penalty, and go on in both parts. O(n log n), not optimal:
 * --sigma ar1 uses it to find a starting scale cheaply (ar1.h), never for
 * the change points nf-pelt writes.
 */
#ifndef NF_PELT_BINSEG_H
#define NF_PELT_BINSEG_H

#include "cost.h"
#include "pelt.h"

/*
 * Segments sd (built at scale 1) with column k's cost divided by var[k]
 * (its noise scale squared), plus sd's MBIC term; splits at least minseg
 * rows from either end, the earliest row on ties. Change points ascending
 * into r (nf_seg_result_free frees them; only cpts and ncpts are set).
 */
void nf_binseg(const struct nf_segdata *sd, const double *var, double pen, size_t minseg,
               struct nf_seg_result *r);

#endif
