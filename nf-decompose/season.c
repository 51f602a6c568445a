/*
 * season.c - fitting, saving and loading nf-decompose's seasonal model
 * (season.h). The file is one JSON object written with lib/jsonw and read
 * back with cJSON; every member is checked so a damaged file is an error
 * naming the member, never a wrong season.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_statistics_double.h>

#include "err.h"
#include "jsonw.h"
#include "modelfile.h"
#include "season.h"

#define SEASON_KIND "nfshift-season-model"
#define SEASON_VERSION 1

long nf_season_position(const struct nf_season_model *m, int64_t ms)
{
    int64_t d = ms - m->origin_ms, k;
    k = d / m->step_ms;
    if (d % m->step_ms != 0 && d < 0)
        k--; /* floor, not truncation, before the origin */
    k %= m->period;
    if (k < 0)
        k += m->period;
    return (long)k;
}

/* 1.4826 x the median absolute deviation (GSL), the normal-consistent robust scale. */
static double robust_scale(const double *x, size_t n)
{
    double *work, mad;
    if (n == 0)
        return 0;
    work = nf_xmalloc(n * sizeof *work);
    mad = gsl_stats_mad(x, 1, n, work);
    free(work);
    return mad;
}

void nf_season_fit_col(const struct nf_season_model *m, struct nf_season_col *c,
                       const int64_t *time, const double *seasonal, const double *remainder,
                       size_t n)
{
    size_t *count = nf_xcalloc((size_t)m->period, sizeof *count), r;
    long p;
    c->profile = nf_xcalloc((size_t)m->period, sizeof *c->profile);
    for (r = 0; r < n; r++) {
        p = nf_season_position(m, time[r]);
        c->profile[p] += seasonal[r];
        count[p]++;
    }
    for (p = 0; p < m->period; p++)
        c->profile[p] = count[p] ? c->profile[p] / (double)count[p] : 0;
    free(count);
    c->remainder_scale = robust_scale(remainder, n);
}

void nf_season_save(const struct nf_season_model *m, const char *path)
{
    FILE *f = fopen(path, "w");
    struct nf_jw w;
    size_t i;
    long p;
    if (!f)
        nf_die("cannot write model %s: %s", path, strerror(errno));
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    nf_jw_str(&w, "kind", SEASON_KIND);
    nf_jw_u64(&w, "version", SEASON_VERSION);
    nf_jw_str(&w, "time_key", m->time_key);
    nf_jw_i64(&w, "step_ms", m->step_ms);
    nf_jw_i64(&w, "period", m->period);
    nf_jw_i64(&w, "origin_ms", m->origin_ms);
    nf_jw_bool(&w, "robust", m->robust);
    nf_jw_begin_array(&w, "columns");
    for (i = 0; i < m->ncols; i++) {
        nf_jw_begin_object(&w, NULL);
        nf_jw_str(&w, "name", m->cols[i].name);
        nf_jw_double(&w, "remainder_scale", m->cols[i].remainder_scale);
        nf_jw_begin_array(&w, "seasonal");
        for (p = 0; p < m->period; p++)
            nf_jw_double(&w, NULL, m->cols[i].profile[p]);
        nf_jw_end_array(&w);
        nf_jw_end_object(&w);
    }
    nf_jw_end_array(&w);
    nf_jw_end(&w);
    nf_jw_free(&w);
    if (ferror(f) | (fclose(f) != 0))
        nf_die("cannot write model %s: %s", path, strerror(errno));
}

static double number(const cJSON *obj, const char *path, const char *key)
{
    const cJSON *item = nf_model_member(obj, path, key);
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
        nf_die("model %s: \"%s\" is not a finite number", path, key);
    return item->valuedouble;
}

static int64_t whole(const cJSON *obj, const char *path, const char *key, double lo, double hi)
{
    double v = number(obj, path, key);
    if (v != floor(v) || v < lo || v > hi)
        nf_die("model %s: \"%s\" is %.17g, not a whole number in [%.0f, %.0f]", path, key, v,
               lo, hi);
    return (int64_t)v;
}

static const char *text(const cJSON *obj, const char *path, const char *key)
{
    const cJSON *item = nf_model_member(obj, path, key);
    if (!cJSON_IsString(item))
        nf_die("model %s: \"%s\" is not a string", path, key);
    return item->valuestring;
}

static void load_col(struct nf_season_col *c, const cJSON *obj, const char *path, long period)
{
    const cJSON *arr, *v;
    long p = 0;
    if (!cJSON_IsObject(obj))
        nf_die("model %s: a member of \"columns\" is not an object", path);
    c->name = nf_xstrdup(text(obj, path, "name"));
    c->remainder_scale = number(obj, path, "remainder_scale");
    arr = nf_model_member(obj, path, "seasonal");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != period)
        nf_die("model %s: column %s: \"seasonal\" must be an array of %ld numbers", path,
               c->name, period);
    c->profile = nf_xmalloc((size_t)period * sizeof *c->profile);
    cJSON_ArrayForEach(v, arr)
    {
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            nf_die("model %s: column %s: seasonal[%ld] is not a finite number", path, c->name,
                   p);
        c->profile[p++] = v->valuedouble;
    }
}

void nf_season_load(struct nf_season_model *m, const char *path)
{
    cJSON *root = nf_model_read(path);
    const cJSON *cols, *c, *robust;
    size_t i = 0;
    memset(m, 0, sizeof *m);
    if (strcmp(text(root, path, "kind"), SEASON_KIND) != 0)
        nf_die("model %s: kind is not \"%s\" (a model of another stage?)", path, SEASON_KIND);
    if (whole(root, path, "version", 0, 1e9) != SEASON_VERSION)
        nf_die("model %s: version %.0f; this nf-decompose reads version %d", path,
               number(root, path, "version"), SEASON_VERSION);
    m->time_key = nf_xstrdup(text(root, path, "time_key"));
    m->step_ms = whole(root, path, "step_ms", 1, 1e15);
    m->period = (long)whole(root, path, "period", 2, 1e8);
    m->origin_ms = whole(root, path, "origin_ms", -9e15, 9e15);
    robust = nf_model_member(root, path, "robust");
    if (!cJSON_IsBool(robust))
        nf_die("model %s: \"robust\" is not true or false", path);
    m->robust = cJSON_IsTrue(robust);
    cols = nf_model_member(root, path, "columns");
    if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) < 1)
        nf_die("model %s: \"columns\" must be a non-empty array", path);
    m->ncols = (size_t)cJSON_GetArraySize(cols);
    m->cols = nf_xcalloc(m->ncols, sizeof *m->cols);
    cJSON_ArrayForEach(c, cols)
        load_col(&m->cols[i++], c, path, m->period);
    cJSON_Delete(root);
}

void nf_season_free(struct nf_season_model *m)
{
    size_t i;
    for (i = 0; i < m->ncols; i++) {
        free(m->cols[i].name);
        free(m->cols[i].profile);
    }
    free(m->cols);
    free(m->time_key);
    memset(m, 0, sizeof *m);
}
