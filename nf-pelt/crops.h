/*
 * crops.h - CROPS (Haynes, Eckley & Fearnhead 2017): every optimal
 * segmentation for penalties in [pen_min, pen_max], with O(number of
 * segmentations) PELT runs.
 */
#ifndef NF_PELT_CROPS_H
#define NF_PELT_CROPS_H

#include "pelt.h"

struct nf_crops_seg {
    struct nf_seg_result res; /* change points and unpenalised cost */
    double pen_lo, pen_hi;    /* penalties (within the range) where it is optimal */
};

struct nf_crops {
    struct nf_crops_seg *segs; /* by penalty interval ascending = change points descending */
    size_t nsegs;
    size_t runs;               /* PELT runs made */
};

/*
 * Finds the segmentations. sd should be without the MBIC term (CROPS
 * varies the penalty per change point only).
 */
void nf_crops_run(const struct nf_segdata *sd, size_t minseg, double pen_min, double pen_max,
                  struct nf_crops *c);
void nf_crops_free(struct nf_crops *c);

#endif
