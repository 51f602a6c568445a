/*
 * pelt.h - optimal segmentation of a series under a penalised cost:
 * PELT (Killick, Fearnhead & Eckley 2012) and the brute-force Optimal
 * Partitioning it must agree with (Jackson et al. 2005), both exact.
 *
 * Both minimise  sum over segments of cost(segment) + pen * (#segments - 1)
 * over segmentations whose segments all have at least minseg rows, with
 * F(0) = -pen and F(t) = min over tau of F(tau) + cost([tau, t)) + pen.
 * Ties go to the earliest last change point tau (R changepoint's
 * min_which keeps the first minimum of its ascending candidate list), in
 * both algorithms, so they return the same change points, not only the
 * same cost.
 */
#ifndef NF_PELT_H
#define NF_PELT_H

#include <stddef.h>
#include <stdint.h>

#include "cost.h"

struct nf_seg_result {
    size_t *cpts;          /* 0-based first row of each new segment, ascending */
    size_t ncpts;
    double total;          /* F(n), the penalised optimum */
    double cost;           /* total - ncpts * pen: the segments' cost alone */
    uint64_t evaluations;  /* segment costs evaluated (pruning efficiency) */
};

/*
 * PELT. Pruning is made exact for every cost here: a candidate tau is
 * dropped at time t only when F(tau) + base([tau,t)) > F(t) + tol, where
 * base leaves out the MBIC log term (that term breaks the inequality
 * PELT relies on: log a + log b > log(a+b); leaving it out is the bound
 * K = -d*log(t-tau)), tol covers rounding, and, with minseg > 1, the drop
 * takes effect only from t + minseg on, once t itself is a candidate.
 */
enum nf_pruning {
    /*
     * The inequality above and, for the mean cost of one column with
     * minseg 1, functional pruning as in FPOP (Maidstone et al. 2017): each
     * candidate keeps the set of segment means mu at which no other
     * candidate beats it; a candidate whose set is empty is dropped. PELT's
     * inequality alone keeps every candidate of a long segment without
     * change (its cost then grows as n^2 / #changes); the sets drop them.
     * Always equals nf_op.
     */
    NF_PRUNE_EXACT,
    NF_PRUNE_INEQUALITY, /* PELT's inequality alone (as above), exact */
    /*
     * R changepoint's PELT_one_func_minseglen, for reproducing its output:
     * drop tau at t when F(tau) + cost([tau,t)) + pen > F(t) + pen with the
     * full cost (MBIC term included) and at once, whatever minseg. Not
     * exact with MBIC (and possibly with minseg > 1): it can drop the
     * optimal last change point, so R's MBIC results can cost more than
     * the optimum (docs/nf-pelt.md shows a case).
     */
    NF_PRUNE_R,
};

void nf_pelt(const struct nf_segdata *sd, double pen, size_t minseg, enum nf_pruning pruning,
             struct nf_seg_result *r);

/* Optimal Partitioning: every admissible tau at every t, O(n^2). */
void nf_op(const struct nf_segdata *sd, double pen, size_t minseg, struct nf_seg_result *r);

void nf_seg_result_free(struct nf_seg_result *r);

/*
 * Shared by both: walks last[] back from n into r->cpts and fills the
 * totals. F and last are [n+1].
 */
void nf_seg_backtrack(const struct nf_segdata *sd, const double *F, const size_t *last,
                      double pen, size_t minseg, struct nf_seg_result *r);

#endif
