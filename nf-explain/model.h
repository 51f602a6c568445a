/*
 * model.h - the nf-pca model file (kind "nfshift-pca-model", version 1)
 * and what it tells about one row: standardised values, component scores,
 * and how much each feature adds to SPE and each component to T2.
 */
#ifndef NFX_MODEL_H
#define NFX_MODEL_H
#include <stddef.h>

struct nfx_model {
    size_t p, k;         /* columns, retained components */
    char **columns;      /* [p] */
    double *center, *scale, *eigen, *evr; /* [p] */
    double *loadings;    /* k x p, row c = loadings of pc(c+1) */
    double alpha, spe_limit, t2_limit;
    size_t n_fit;
};

/* Reads the model; dies naming the file and the problem. */
void nfx_model_load(struct nfx_model *m, const char *path);
void nfx_model_free(struct nfx_model *m);
/* Index of a column, or -1. */
long nfx_model_column(const struct nfx_model *m, const char *name);

/* One row through the model. */
struct nfx_projection {
    double *z;        /* [p] standardised values */
    double *score;    /* [k] component scores */
    double *resid;    /* [p] residual after the k components */
    double *t2_part;  /* [k] score^2 / eigenvalue */
    double spe, t2;
    size_t missing;   /* columns not found or not numbers (taken as the centre) */
};
/* x[j] is the row's value of model column j (NaN = missing). */
void nfx_project(const struct nfx_model *m, const double *x, struct nfx_projection *pr);
void nfx_projection_free(struct nfx_projection *pr);

#endif
