/*
 * pcamodel.c - writing and reading the PCA model JSON (docs/nf-pca.md) and
 * projecting a row on it (pcamodel.h), for nf-pca and nf-explain.
 */
#include "pcamodel.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "err.h"
#include "jsonw.h"
#include "modelfile.h"
#include "opt.h"

#define MODEL_KIND "nfshift-pca-model"
#define MODEL_VERSION 1
#define MODEL_VERSION_TRANSFORM 2 /* with "transform": what older readers must refuse */

static void write_array(struct nf_jw *w, const char *key, const double *v, size_t n)
{
    size_t i;
    nf_jw_begin_array(w, key);
    for (i = 0; i < n; i++)
        nf_jw_double(w, NULL, v[i]);
    nf_jw_end_array(w);
}

void nf_pca_model_save(const struct nf_pca_model *m, const char *time_key, const char *path)
{
    FILE *f = fopen(path, "w");
    struct nf_jw w;
    size_t i, c;

    if (!f)
        nf_die("cannot write model %s: %s", path, strerror(errno));
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    nf_jw_str(&w, "kind", MODEL_KIND);
    nf_jw_i64(&w, "version", nf_pca_model_nlog1p(m) ? MODEL_VERSION_TRANSFORM : MODEL_VERSION);
    nf_jw_str(&w, "time_key", time_key);
    nf_jw_begin_array(&w, "columns");
    for (i = 0; i < m->p; i++)
        nf_jw_str(&w, NULL, m->columns[i]);
    nf_jw_end_array(&w);
    if (nf_pca_model_nlog1p(m)) {
        nf_jw_begin_array(&w, "transform");
        for (i = 0; i < m->p; i++)
            nf_jw_str(&w, NULL, m->log1p[i] ? "log1p" : "none");
        nf_jw_end_array(&w);
    }
    write_array(&w, "center", m->center, m->p);
    write_array(&w, "scale", m->scale, m->p);
    nf_jw_u64(&w, "n_fit", m->n_fit);
    nf_jw_u64(&w, "components", m->k);
    write_array(&w, "eigenvalues", m->eigenvalues, m->p);
    write_array(&w, "explained_variance_ratio", m->ratio, m->p);
    nf_jw_begin_array(&w, "loadings");
    for (c = 0; c < m->k; c++)
        write_array(&w, NULL, m->loadings + c * m->p, m->p);
    nf_jw_end_array(&w);
    nf_jw_double(&w, "alpha", m->alpha);
    if (m->clip > 0)
        nf_jw_double(&w, "clip", m->clip);
    nf_jw_double(&w, "spe_limit", m->spe_limit);
    nf_jw_double(&w, "t2_limit", m->t2_limit);
    nf_jw_end(&w);
    nf_jw_free(&w);
    if (ferror(f) | (fclose(f) != 0))
        nf_die("cannot write model %s: %s", path, strerror(errno));
}

/* A number member, or null (read as NaN) when nullable. */
static double number_of(const cJSON *item, const char *path, const char *what, int nullable)
{
    if (cJSON_IsNumber(item))
        return item->valuedouble;
    if (nullable && cJSON_IsNull(item))
        return NAN;
    nf_die("model %s: %s is not a number", path, what);
}

static size_t count_of(const cJSON *root, const char *path, const char *key, size_t min)
{
    double v = number_of(nf_model_member(root, path, key), path, key, 0);
    if (!(v >= (double)min) || v != floor(v) || v > 1e15)
        nf_die("model %s: \"%s\" must be a whole number of at least %zu", path, key, min);
    return (size_t)v;
}

static double *number_array(const cJSON *item, const char *path, const char *key, size_t n)
{
    const cJSON *v;
    double *out;
    size_t i = 0;

    if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != n)
        nf_die("model %s: \"%s\" must be an array of %zu numbers", path, key, n);
    out = nf_xmalloc((n ? n : 1) * sizeof *out);
    cJSON_ArrayForEach(v, item)
    {
        char what[128];
        snprintf(what, sizeof what, "\"%s\"[%zu]", key, i);
        out[i] = number_of(v, path, what, 0);
        if (!isfinite(out[i]))
            nf_die("model %s: %s is not finite", path, what);
        i++;
    }
    return out;
}

/* Version 2's "transform": one of "none" or "log1p" per column. */
static unsigned char *transform_array(const cJSON *root, const char *path, size_t p)
{
    const cJSON *item = nf_model_member(root, path, "transform"), *v;
    unsigned char *out;
    size_t i = 0;

    if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != p)
        nf_die("model %s: \"transform\" must be an array of %zu names (one per column)", path, p);
    out = nf_xmalloc(p);
    cJSON_ArrayForEach(v, item)
    {
        if (cJSON_IsString(v) && strcmp(v->valuestring, "log1p") == 0)
            out[i] = 1;
        else if (cJSON_IsString(v) && strcmp(v->valuestring, "none") == 0)
            out[i] = 0;
        else
            nf_die("model %s: \"transform\"[%zu] is neither \"none\" nor \"log1p\"", path, i);
        i++;
    }
    return out;
}

void nf_pca_model_load(struct nf_pca_model *m, char **time_key, const char *path)
{
    size_t i, c, version;
    cJSON *root = nf_model_read(path);
    const cJSON *item, *v;

    memset(m, 0, sizeof *m);
    item = nf_model_member(root, path, "kind");
    if (!cJSON_IsString(item) || strcmp(item->valuestring, MODEL_KIND) != 0)
        nf_die("model %s: \"kind\" is not \"%s\"", path, MODEL_KIND);
    version = count_of(root, path, "version", 0);
    if (version != MODEL_VERSION && version != MODEL_VERSION_TRANSFORM)
        nf_die("model %s: version %zu is not supported (this nf-pca reads versions %d and %d)", path,
               version, MODEL_VERSION, MODEL_VERSION_TRANSFORM);
    item = nf_model_member(root, path, "time_key");
    if (!cJSON_IsString(item))
        nf_die("model %s: \"time_key\" is not a string", path);
    if (time_key)
        *time_key = nf_xstrdup(item->valuestring);

    item = nf_model_member(root, path, "columns");
    if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) < 1)
        nf_die("model %s: \"columns\" must be a non-empty array of names", path);
    m->p = (size_t)cJSON_GetArraySize(item);
    m->columns = nf_xcalloc(m->p, sizeof *m->columns);
    i = 0;
    cJSON_ArrayForEach(v, item)
    {
        if (!cJSON_IsString(v))
            nf_die("model %s: \"columns\"[%zu] is not a string", path, i);
        m->columns[i++] = nf_xstrdup(v->valuestring);
    }
    if (version == MODEL_VERSION_TRANSFORM)
        m->log1p = transform_array(root, path, m->p);

    m->center = number_array(nf_model_member(root, path, "center"), path, "center", m->p);
    m->scale = number_array(nf_model_member(root, path, "scale"), path, "scale", m->p);
    for (i = 0; i < m->p; i++)
        if (!(m->scale[i] > 0))
            nf_die("model %s: \"scale\"[%zu] must be positive", path, i);
    m->n_fit = count_of(root, path, "n_fit", 2);
    m->k = count_of(root, path, "components", 1);
    if (m->k > m->p)
        nf_die("model %s: %zu components but %zu columns", path, m->k, m->p);
    m->eigenvalues = number_array(nf_model_member(root, path, "eigenvalues"), path, "eigenvalues", m->p);
    for (i = 0; i < m->k; i++)
        if (!(m->eigenvalues[i] > 0))
            nf_die("model %s: eigenvalue %zu of a kept component must be positive", path, i + 1);
    m->ratio = number_array(nf_model_member(root, path, "explained_variance_ratio"), path,
                            "explained_variance_ratio", m->p);

    item = nf_model_member(root, path, "loadings");
    if (!cJSON_IsArray(item) || (size_t)cJSON_GetArraySize(item) != m->k)
        nf_die("model %s: \"loadings\" must hold %zu arrays (one per component)", path, m->k);
    m->loadings = nf_xmalloc(m->k * m->p * sizeof *m->loadings);
    m->nloadings = m->k;
    c = 0;
    cJSON_ArrayForEach(v, item)
    {
        double *row = number_array(v, path, "loadings", m->p);
        memcpy(m->loadings + c * m->p, row, m->p * sizeof *row);
        free(row);
        c++;
    }
    m->alpha = number_of(nf_model_member(root, path, "alpha"), path, "\"alpha\"", 0);
    if (!(m->alpha > 0 && m->alpha < 1))
        nf_die("model %s: \"alpha\" must be between 0 and 1", path);
    item = cJSON_GetObjectItemCaseSensitive(root, "clip"); /* optional: nf-pca --clip */
    if (item) {
        m->clip = number_of(item, path, "\"clip\"", 0);
        if (!(m->clip > 0))
            nf_die("model %s: \"clip\" must be a positive number", path);
    }
    m->spe_limit = number_of(nf_model_member(root, path, "spe_limit"), path, "\"spe_limit\"", 1);
    m->t2_limit = number_of(nf_model_member(root, path, "t2_limit"), path, "\"t2_limit\"", 1);
    cJSON_Delete(root);
}

void nf_pca_model_free(struct nf_pca_model *m)
{
    size_t j;
    if (m->columns) {
        for (j = 0; j < m->p; j++)
            free(m->columns[j]);
        free(m->columns);
    }
    free(m->center);
    free(m->scale);
    free(m->log1p);
    free(m->eigenvalues);
    free(m->ratio);
    free(m->loadings);
    memset(m, 0, sizeof *m);
}

size_t nf_pca_model_nlog1p(const struct nf_pca_model *m)
{
    size_t j, n = 0;
    for (j = 0; m->log1p && j < m->p; j++)
        n += m->log1p[j];
    return n;
}

long nf_pca_model_column(const struct nf_pca_model *m, const char *name)
{
    size_t j;
    for (j = 0; j < m->p; j++)
        if (strcmp(m->columns[j], name) == 0)
            return (long)j;
    return -1;
}

/*
 * --clip: the scores of the row's z-scores bounded to +-clip. A feature far
 * outside the fit (a new service: 40,000 SDs) would otherwise enter every
 * component through its small loadings there and bury what the others do.
 */
static void clipped_scores(const struct nf_pca_model *m, const double *x, double *scores)
{
    size_t c, j;
    for (c = 0; c < m->k; c++) {
        const double *v = m->loadings + c * m->p;
        double s = 0;
        for (j = 0; j < m->p; j++) {
            double xj = m->log1p && m->log1p[j] ? log1p(x[j]) : x[j];
            double z = isfinite(xj) ? (xj - m->center[j]) / m->scale[j] : 0;
            s += (z > m->clip ? m->clip : z < -m->clip ? -m->clip : z) * v[j];
        }
        scores[c] = s;
    }
}

size_t nf_pca_project(const struct nf_pca_model *m, const double *x, double *z, double *scores, double *resid,
                      double *spe, double *t2)
{
    size_t p = m->p, c, j, missing = 0;
    double e = 0, t = 0;

    for (j = 0; j < p; j++) {
        double xj = m->log1p && m->log1p[j] ? log1p(x[j]) : x[j];
        double v = isfinite(xj) ? (xj - m->center[j]) / m->scale[j] : 0;
        missing += !isfinite(xj);
        resid[j] = v;
        if (z)
            z[j] = v;
    }
    for (c = 0; c < m->k; c++) {
        const double *v = m->loadings + c * p;
        double s = 0;
        for (j = 0; j < p; j++)
            s += resid[j] * v[j];
        scores[c] = s;
        t += s * s / m->eigenvalues[c];
    }
    /* The residual itself, not |z|^2 - |scores|^2, which cancels badly. */
    for (c = 0; c < m->k; c++) {
        const double *v = m->loadings + c * p;
        for (j = 0; j < p; j++)
            resid[j] -= scores[c] * v[j];
    }
    for (j = 0; j < p; j++)
        e += resid[j] * resid[j];
    *spe = e;
    *t2 = t;
    if (m->clip > 0)
        clipped_scores(m, x, scores);
    return missing;
}
