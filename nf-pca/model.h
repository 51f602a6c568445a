/*
 * model.h - the PCA model file (--save-model / --model): one JSON object,
 * {"kind":"nfshift-pca-model","version":1,...}, documented in docs/nf-pca.md
 * and read by nf-explain as well.
 */
#ifndef NF_PCA_MODEL_H
#define NF_PCA_MODEL_H

#include <stdio.h>

#include "pca.h"

/* Writes m (with its first m->k components) and time_key; dies on I/O errors. */
void model_save(const struct pca_model *m, const char *time_key, const char *path);

/*
 * Reads a model file into m; *time_key gets a malloc'd copy of its time key.
 * Dies naming the file and the member at fault when the file is not a
 * usable model.
 */
void model_load(struct pca_model *m, char **time_key, const char *path);

#endif
