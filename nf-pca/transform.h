/*
 * transform.h - which columns nf-pca --transform log1p takes as log(1 + x):
 * the count features of the interval feature list (lib/features.def,
 * is_count: records, flows,
 * packets, bytes, protocols and subnets seen, per direction and protocol
 * class). Shares, symmetry coefficients, per-record statistics and columns
 * the list does not know are left as they are.
 */
#ifndef NF_PCA_TRANSFORM_H
#define NF_PCA_TRANSFORM_H

#include <stddef.h>

/* 1 when the column named name is a count of the feature list. */
int transform_is_count(const char *name);

/*
 * Sets log1p[j] for the count columns among names[p]; returns how many.
 */
size_t transform_choose_log1p(char *const *names, size_t p, unsigned char *log1p);

#endif
