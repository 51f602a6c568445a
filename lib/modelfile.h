/*
 * modelfile.h - reading the JSON model files stages save (nf-pca's PCA
 * model, nf-decompose's season model): the whole file parsed once, and
 * members looked up with one message naming the file and the member.
 */
#ifndef NF_MODELFILE_H
#define NF_MODELFILE_H

#include <cJSON.h>

/* The file's JSON object; dies naming the file when it cannot be read or is no object. */
cJSON *nf_model_read(const char *path);

/* A member of obj; dies naming the file and the member when it is missing. */
const cJSON *nf_model_member(const cJSON *obj, const char *path, const char *key);

#endif
