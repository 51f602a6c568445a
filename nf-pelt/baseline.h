/*
 * baseline.h - nf-pelt's part of a saved baseline (docs/records.md
 * "Baseline files"): the columns, the noise scale and centre of each, the
 * cost and the penalty, fitted by the batch path over a quiet period
 * (--save-baseline) and applied by --online --baseline FILE, so that the
 * live path scales its rows as the baseline did from its first row on.
 */
#ifndef NF_PELT_BASELINE_H
#define NF_PELT_BASELINE_H

#include <stddef.h>

#include "cost.h"
#include "penalty.h"

struct nf_pelt_baseline {
    size_t ncols;
    char **names;                    /* [ncols] */
    double *sigma, *centre;          /* [ncols] */
    const struct nf_cost_kind *kind;
    struct nf_penalty pen;
    size_t rows;                     /* rows it was fitted on */
};

/* Writes the baseline to path (replacing it through a temporary file). */
void nf_pelt_baseline_save(const struct nf_pelt_baseline *b, const char *path);
/* Reads and checks a saved baseline; dies naming the file and the member. */
void nf_pelt_baseline_load(struct nf_pelt_baseline *b, const char *path);
void nf_pelt_baseline_free(struct nf_pelt_baseline *b);

#endif
