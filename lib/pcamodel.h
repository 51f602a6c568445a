/*
 * pcamodel.h - the PCA model of nf-pca and nf-explain: the file
 * ({"kind":"nfshift-pca-model","version":1,...}, docs/nf-pca.md) and the
 * projection of one row, with one set of guards: a loaded model has only
 * positive scales and positive eigenvalues for its kept components (the
 * loader refuses others), so projecting divides by neither zero. A model
 * fitted with nf-pca --transform log1p is version 2: it names, per column,
 * the transform applied before standardising ("none" or "log1p"), and
 * projecting applies it, so every reader of the model sees the same values.
 */
#ifndef NF_PCAMODEL_H
#define NF_PCAMODEL_H

#include <stddef.h>

struct nf_pca_model {
    size_t p;            /* columns */
    char **columns;      /* [p] names */
    double *center;      /* [p] fit means */
    double *scale;       /* [p] fit standard deviations (n-1), 1 = unscaled/constant */
    unsigned char *log1p; /* [p] 1: the column enters as log(1 + x); NULL: no column does */
    size_t n_fit;        /* rows the model was fitted on */
    size_t k;            /* components kept */
    double *eigenvalues; /* [p] variances of all components, descending */
    double *ratio;       /* [p] explained variance ratio */
    double *loadings;    /* [nloadings * p]: component c is loadings[c*p .. c*p+p) */
    size_t nloadings;    /* components with loadings: k after loading a file; after
                            nf-pca's fit p, or with fewer rows than columns those
                            with variance (>= k) */
    double alpha;
    double clip;         /* > 0: scores from z-scores bounded to +-clip (spe, t2 not); 0: none */
    double spe_limit;    /* NaN when there is no residual space */
    double t2_limit;     /* NaN when n_fit <= k */
};

/* Writes m (with its first m->k components) and time_key; dies on I/O errors. */
void nf_pca_model_save(const struct nf_pca_model *m, const char *time_key, const char *path);

/*
 * Reads a model file into m; *time_key gets a malloc'd copy of its time key
 * (time_key may be NULL). Dies naming the file and the member at fault when
 * the file is not a usable model.
 */
void nf_pca_model_load(struct nf_pca_model *m, char **time_key, const char *path);

void nf_pca_model_free(struct nf_pca_model *m);

/* Columns that enter as log(1 + x) (0 without a transform). */
size_t nf_pca_model_nlog1p(const struct nf_pca_model *m);

/* Index of a column, or -1. */
long nf_pca_model_column(const struct nf_pca_model *m, const char *name);

/*
 * One row x[p] through the model: the standardised values z[p] (NULL: not
 * wanted; of log(1 + x) for a log1p column), the component scores[k], the residual resid[p] after the k
 * components (may be the same array as z, which it then overwrites), SPE
 * (squared norm of the residual) and T^2 (sum of scores^2 / eigenvalue).
 * A value that is not finite (after the transform: x <= -1 in a log1p
 * column) is missing and taken as the centre (z = 0).
 * Returns the number of missing values.
 */
size_t nf_pca_project(const struct nf_pca_model *m, const double *x, double *z, double *scores, double *resid,
                      double *spe, double *t2);

#endif
