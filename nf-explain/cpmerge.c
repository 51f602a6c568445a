/* cpmerge.c - change points of several columns at one time become one record. */
#include "cpmerge.h"

#include <math.h>

#include "err.h"

static double cost_of(const cJSON *rec)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "cost_reduction");
    return cJSON_IsNumber(c) ? c->valuedouble : -INFINITY;
}

/* The member key as an array: "columns" as it is, a lone "column" or number wrapped. */
static cJSON *as_array(cJSON *rec, const char *key, const char *single)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, key);
    if (cJSON_IsArray(a))
        return a;
    cJSON *one = single ? cJSON_DetachItemFromObjectCaseSensitive(rec, single) : NULL;
    if (!one && a)
        one = cJSON_DetachItemFromObjectCaseSensitive(rec, key);
    a = cJSON_CreateArray();
    if (!a)
        nf_die("out of memory");
    if (one)
        cJSON_AddItemToArray(a, one);
    cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
    cJSON_AddItemToObject(rec, key, a);
    return a;
}

/* Moves the column entries of from into into; from is left for the caller to delete. */
static void absorb(cJSON *into, cJSON *from)
{
    static const char *const lists[] = {"columns", "mean_before", "mean_after"};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        cJSON *dst = as_array(into, lists[k], k == 0 ? "column" : NULL);
        cJSON *src = as_array(from, lists[k], k == 0 ? "column" : NULL);
        while (cJSON_GetArraySize(src) > 0)
            cJSON_AddItemToArray(dst, cJSON_DetachItemFromArray(src, 0));
    }
    double sum = cost_of(into) + cost_of(from);
    if (isfinite(sum))
        cJSON_ReplaceItemInObjectCaseSensitive(into, "cost_reduction", cJSON_CreateNumber(sum));
}

void nfx_merge_same_time(cJSON **recs, size_t *n, const char *time_key)
{
    size_t i, j, kept = 0;
    for (i = 0; i < *n; i++) {
        const cJSON *ti = cJSON_GetObjectItemCaseSensitive(recs[i], time_key);
        if (!recs[i] || !ti)
            continue;
        for (j = i + 1; j < *n; j++) {
            const cJSON *tj = recs[j] ? cJSON_GetObjectItemCaseSensitive(recs[j], time_key) : NULL;
            if (!tj || !cJSON_Compare(ti, tj, 1))
                continue;
            if (cost_of(recs[j]) > cost_of(recs[i])) { /* the strongest keeps its bounds */
                cJSON *swap = recs[i];
                recs[i] = recs[j];
                recs[j] = swap;
                ti = cJSON_GetObjectItemCaseSensitive(recs[i], time_key);
            }
            absorb(recs[i], recs[j]);
            cJSON_Delete(recs[j]);
            recs[j] = NULL;
        }
    }
    for (i = 0; i < *n; i++)
        if (recs[i])
            recs[kept++] = recs[i];
    *n = kept;
}
