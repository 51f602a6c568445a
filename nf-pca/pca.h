/*
 * pca.h - the numbers of nf-pca: standardising, fitting principal
 * components with GSL, the SPE / Hotelling T^2 statistics of a row and
 * their control limits. No I/O here; main.c does that. The model, its file
 * and the projection of a row are lib/pcamodel.h (shared with nf-explain).
 */
#ifndef NF_PCA_PCA_H
#define NF_PCA_PCA_H

#include <stddef.h>

#include "pcamodel.h"

/*
 * Largest min(rows, columns) of a fit: the eigenproblem is that order, its
 * three matrices 1.5 GB at 8192 and GSL's solver O(order^3) (about 4 s at
 * 1000, so some 40 minutes at 8192).
 */
#define PCA_MAX_ORDER 8192

/* What a fit found besides the model, for main's messages. */
struct pca_fit_info {
    size_t nconstant;
    size_t *constant;    /* [nconstant] column indexes, malloc'd */
    size_t rank;         /* components with variance above the rank tolerance */
};

/*
 * Fits on x, n rows of p values, row-major, no NaN. scale 0 centres only.
 * Fills center, scale, n_fit, eigenvalues, ratio and the loading matrix
 * (sign-normalised): all p components when n >= p (covariance route),
 * the components with variance when n < p (Gram route, O(n^2 p));
 * columns/k/limits are the caller's. Returns 0, or -1 when every column
 * is constant.
 */
int pca_fit(struct nf_pca_model *m, const double *x, size_t n, size_t p, int scale,
            struct pca_fit_info *info);

/* Smallest k whose cumulative explained variance reaches fraction. */
size_t pca_k_for_variance(const struct nf_pca_model *m, double fraction);

/* Eigenvalues at most this are treated as zero (numerical rank). */
double pca_rank_tolerance(const struct nf_pca_model *m);

/* Jackson-Mudholkar Q limit of the residual eigenvalues after k. */
double pca_spe_limit(const double *eigenvalues, size_t p, size_t k, double alpha);
/* F-based Hotelling T^2 limit for a new observation, n fit rows. */
double pca_t2_limit(size_t k, size_t n, double alpha);

/* Flips each component so that its largest-magnitude loading is positive. */
void pca_fix_signs(double *loadings, size_t k, size_t p);

#endif
