/*
 * baseline.c - nf-pelt's baseline file: {"kind": "nf-pelt baseline",
 * "version": 1, "cost", "penalty" (MBIC, BIC, AIC, HQ or a number),
 * "rows", "columns", "sigma", "centre"}, one value per column in the
 * order of "columns".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "err.h"
#include "jsonw.h"
#include "modelfile.h"

#define BASELINE_KIND "nf-pelt baseline"

void nf_pelt_baseline_save(const struct nf_pelt_baseline *b, const char *path)
{
    size_t n = strlen(path) + 8, i;
    char *tmp = nf_xmalloc(n);
    FILE *f;
    struct nf_jw w;

    snprintf(tmp, n, "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f)
        nf_die("--save-baseline: %s: %s", tmp, strerror(errno));
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    nf_jw_str(&w, "kind", BASELINE_KIND);
    nf_jw_u64(&w, "version", 1);
    nf_jw_str(&w, "cost", b->kind->name);
    if (b->pen.kind == NF_PEN_MANUAL)
        nf_jw_double(&w, "penalty", b->pen.value);
    else
        nf_jw_str(&w, "penalty", nf_penalty_name(&b->pen));
    nf_jw_u64(&w, "rows", b->rows);
    nf_jw_begin_array(&w, "columns");
    for (i = 0; i < b->ncols; i++)
        nf_jw_str(&w, NULL, b->names[i]);
    nf_jw_end_array(&w);
    nf_jw_begin_array(&w, "sigma");
    for (i = 0; i < b->ncols; i++)
        nf_jw_double(&w, NULL, b->sigma[i]);
    nf_jw_end_array(&w);
    nf_jw_begin_array(&w, "centre");
    for (i = 0; i < b->ncols; i++)
        nf_jw_double(&w, NULL, b->centre[i]);
    nf_jw_end_array(&w);
    nf_jw_end(&w);
    nf_jw_free(&w);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        nf_die("--save-baseline: %s: %s", path, strerror(errno));
    free(tmp);
}

/* The numbers of member key, ncols of them, each finite (and > 0 when positive). */
static double *numbers(const cJSON *root, const char *path, const char *key, size_t ncols, int positive)
{
    const cJSON *a = nf_model_member(root, path, key), *item;
    double *v = nf_xmalloc((ncols ? ncols : 1) * sizeof *v);
    size_t i = 0;
    if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != ncols)
        nf_die("%s: \"%s\" must be an array of %zu numbers, one per column", path, key, ncols);
    cJSON_ArrayForEach(item, a)
    {
        if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || (positive && !(item->valuedouble > 0)))
            nf_die("%s: \"%s\"[%zu] is not a %snumber", path, key, i, positive ? "positive " : "finite ");
        v[i++] = item->valuedouble;
    }
    return v;
}

void nf_pelt_baseline_load(struct nf_pelt_baseline *b, const char *path)
{
    cJSON *root = nf_model_read(path);
    const cJSON *kind = nf_model_member(root, path, "kind"), *cols, *item, *pen;
    const char *cost;
    size_t i = 0;

    memset(b, 0, sizeof *b);
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, BASELINE_KIND) != 0)
        nf_die("%s: not an nf-pelt baseline (\"kind\" is not \"%s\"; nf-pelt --save-baseline writes one)", path,
               BASELINE_KIND);
    cost = cJSON_GetStringValue(nf_model_member(root, path, "cost"));
    b->kind = cost ? nf_cost_lookup(cost) : NULL;
    if (!b->kind)
        nf_die("%s: \"cost\" is not mean, meanvar or poisson", path);
    pen = nf_model_member(root, path, "penalty");
    if (cJSON_IsNumber(pen) && pen->valuedouble >= 0) {
        b->pen.kind = NF_PEN_MANUAL;
        b->pen.value = pen->valuedouble;
    } else if (!cJSON_IsString(pen) || nf_penalty_parse(pen->valuestring, &b->pen) != 0) {
        nf_die("%s: \"penalty\" is not MBIC, BIC, AIC, HQ or a number >= 0", path);
    }
    b->rows = (size_t)cJSON_GetNumberValue(nf_model_member(root, path, "rows"));
    cols = nf_model_member(root, path, "columns");
    if (!cJSON_IsArray(cols) || cJSON_GetArraySize(cols) == 0)
        nf_die("%s: \"columns\" must be a non-empty array of names", path);
    b->ncols = (size_t)cJSON_GetArraySize(cols);
    b->names = nf_xcalloc(b->ncols, sizeof *b->names);
    cJSON_ArrayForEach(item, cols)
    {
        if (!cJSON_IsString(item) || !*item->valuestring)
            nf_die("%s: \"columns\"[%zu] is not a name", path, i);
        b->names[i++] = nf_xstrdup(item->valuestring);
    }
    b->sigma = numbers(root, path, "sigma", b->ncols, 1);
    b->centre = numbers(root, path, "centre", b->ncols, 0);
    cJSON_Delete(root);
}

void nf_pelt_baseline_free(struct nf_pelt_baseline *b)
{
    size_t i;
    for (i = 0; i < b->ncols; i++)
        free(b->names[i]);
    free(b->names);
    free(b->sigma);
    free(b->centre);
    memset(b, 0, sizeof *b);
}
