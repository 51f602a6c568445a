/*
 * apply.h - nf-decompose --model: subtracts a saved season (season.h) from
 * each row as it is read and writes the row at once (docs/nf-decompose.md).
 */
#ifndef NF_DECOMPOSE_APPLY_H
#define NF_DECOMPOSE_APPLY_H

#include "err.h"
#include "season.h"

/* keep_seasonal / keep_adjusted: which of <col>_seasonal, <col>_adjusted to write. */
void nf_season_apply(const struct nf_season_model *m, const char *time_key, int keep_seasonal, int keep_adjusted, char **paths,
                     int npaths, struct nf_rejects *rej);

#endif
