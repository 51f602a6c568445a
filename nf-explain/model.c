/*
 * model.c - reading the nf-pca model and projecting one row (model.h).
 * SPE is the squared norm of the residual of the standardised row after
 * its projection on the k retained loadings; T2 is the sum of squared
 * scores over the eigenvalues, as nf-pca computes them (docs/nf-pca.md).
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "err.h"
#include "model.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        nf_die("%s: cannot open model: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = nf_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) {
            cap *= 2;
            buf = nf_xrealloc(buf, cap);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        nf_die("%s: read error", path);
    buf[len] = '\0';
    return buf;
}

/* A numeric array of exactly n members into a new double[n]. */
static double *number_array(const cJSON *root, const char *key, size_t n, const char *path)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != n)
        nf_die("%s: model: \"%s\" must be an array of %zu numbers", path, key, n);
    double *v = nf_xmalloc(n * sizeof *v);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        v[i++] = cJSON_IsNumber(e) ? e->valuedouble : NAN;
    }
    return v;
}

static double number_member(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

void nfx_model_load(struct nfx_model *m, const char *path)
{
    memset(m, 0, sizeof *m);
    char *text = slurp(path);
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(root))
        nf_die("%s: model is not a JSON object", path);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "nfshift-pca-model") != 0)
        nf_die("%s: not an nf-pca model (\"kind\" is not \"nfshift-pca-model\")", path);
    if (number_member(root, "version") != 1)
        nf_die("%s: model version %g is not supported (only 1)", path, number_member(root, "version"));
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(root, "columns");
    if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) == 0)
        nf_die("%s: model: \"columns\" must be a non-empty array of names", path);
    m->p = (size_t)cJSON_GetArraySize(cols);
    m->columns = nf_xcalloc(m->p, sizeof *m->columns);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cols)
    {
        if (!cJSON_IsString(e))
            nf_die("%s: model: \"columns\" must hold names", path);
        m->columns[i++] = nf_xstrdup(e->valuestring);
    }
    double k = number_member(root, "components");
    if (!(k >= 1 && k <= (double)m->p && k == floor(k)))
        nf_die("%s: model: \"components\" must be a whole number in 1..%zu", path, m->p);
    m->k = (size_t)k;
    m->center = number_array(root, "center", m->p, path);
    m->scale = number_array(root, "scale", m->p, path);
    m->eigen = number_array(root, "eigenvalues", m->p, path);
    m->evr = number_array(root, "explained_variance_ratio", m->p, path);
    const cJSON *load = cJSON_GetObjectItemCaseSensitive(root, "loadings");
    if (!cJSON_IsArray(load) || (size_t)cJSON_GetArraySize(load) < m->k)
        nf_die("%s: model: \"loadings\" must hold %zu arrays", path, m->k);
    m->loadings = nf_xmalloc(m->k * m->p * sizeof *m->loadings);
    for (size_t c = 0; c < m->k; c++) {
        const cJSON *row = cJSON_GetArrayItem(load, (int)c);
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != m->p)
            nf_die("%s: model: loadings of pc%zu must have %zu numbers", path, c + 1, m->p);
        size_t j = 0;
        cJSON_ArrayForEach(e, row)
        {
            m->loadings[c * m->p + j++] = cJSON_IsNumber(e) ? e->valuedouble : NAN;
        }
    }
    m->alpha = number_member(root, "alpha");
    m->spe_limit = number_member(root, "spe_limit");
    m->t2_limit = number_member(root, "t2_limit");
    double n_fit = number_member(root, "n_fit");
    m->n_fit = n_fit >= 0 ? (size_t)n_fit : 0;
    cJSON_Delete(root);
}

void nfx_model_free(struct nfx_model *m)
{
    for (size_t i = 0; i < m->p; i++)
        free(m->columns[i]);
    free(m->columns);
    free(m->center);
    free(m->scale);
    free(m->eigen);
    free(m->evr);
    free(m->loadings);
    memset(m, 0, sizeof *m);
}

long nfx_model_column(const struct nfx_model *m, const char *name)
{
    for (size_t j = 0; j < m->p; j++)
        if (strcmp(m->columns[j], name) == 0)
            return (long)j;
    return -1;
}

void nfx_project(const struct nfx_model *m, const double *x, struct nfx_projection *pr)
{
    pr->z = nf_xcalloc(m->p, sizeof *pr->z);
    pr->resid = nf_xcalloc(m->p, sizeof *pr->resid);
    pr->score = nf_xcalloc(m->k, sizeof *pr->score);
    pr->t2_part = nf_xcalloc(m->k, sizeof *pr->t2_part);
    pr->missing = 0;
    for (size_t j = 0; j < m->p; j++) {
        if (!isfinite(x[j])) {
            pr->missing++;
            continue;
        }
        /* A constant column (scale 0) cannot move the standardised row. */
        pr->z[j] = m->scale[j] > 0 ? (x[j] - m->center[j]) / m->scale[j] : 0;
    }
    pr->t2 = 0;
    for (size_t c = 0; c < m->k; c++) {
        double s = 0;
        for (size_t j = 0; j < m->p; j++)
            s += pr->z[j] * m->loadings[c * m->p + j];
        pr->score[c] = s;
        pr->t2_part[c] = m->eigen[c] > 0 ? s * s / m->eigen[c] : 0;
        pr->t2 += pr->t2_part[c];
    }
    pr->spe = 0;
    for (size_t j = 0; j < m->p; j++) {
        double r = pr->z[j];
        for (size_t c = 0; c < m->k; c++)
            r -= pr->score[c] * m->loadings[c * m->p + j];
        pr->resid[j] = r;
        pr->spe += r * r;
    }
}

void nfx_projection_free(struct nfx_projection *pr)
{
    free(pr->z);
    free(pr->score);
    free(pr->resid);
    free(pr->t2_part);
}
