/* merge.c - aggregate records read back as sums to add (see merge.h). */
#include "merge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int get_int(const cJSON *obj, const char *key, int64_t *out, char *why, size_t whylen)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item) {
        snprintf(why, whylen, "%s: missing (--merge reads nf-window's aggregate records)", key);
        return -1;
    }
    if (!cJSON_IsNumber(item) || item->valuedouble != floor(item->valuedouble) ||
        fabs(item->valuedouble) > 9.0e15) {
        snprintf(why, whylen, "%s: expected epoch milliseconds", key);
        return -1;
    }
    *out = (int64_t)item->valuedouble;
    return 0;
}

static int get_count(const cJSON *obj, const char *key, uint64_t max, uint64_t *out, char *why,
                     size_t whylen)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    double v = item ? item->valuedouble : 0;
    if (!cJSON_IsNumber(item) || v < 0 || v != floor(v) || v > (double)max) {
        snprintf(why, whylen, "%s: expected an unsigned integer up to %llu", key,
                 (unsigned long long)max);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static int get_net(const cJSON *obj, const char *key, struct nf_cidr *c, int *is_null,
                   char *why, size_t whylen)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    *is_null = cJSON_IsNull(item);
    if (*is_null)
        return 0;
    if (!cJSON_IsString(item) ||
        nf_cidr_parse(item->valuestring, strlen(item->valuestring), c) != 0) {
        snprintf(why, whylen, "%s: expected a CIDR prefix such as \"10.0.0.0/24\", or null", key);
        return -1;
    }
    return 0;
}

int agg_rec_from_json(const cJSON *obj, struct agg_rec *r, char *why, size_t whylen)
{
    struct nf_cidr src, dst;
    int src_null, dst_null, proto_null;
    uint64_t proto = 0;
    memset(r, 0, sizeof *r);
    if (get_int(obj, "WINDOW_START", &r->start, why, whylen) < 0 ||
        get_int(obj, "WINDOW_END", &r->end, why, whylen) < 0)
        return -1;
    if (r->end <= r->start) {
        snprintf(why, whylen, "WINDOW_END is not after WINDOW_START");
        return -1;
    }
    if (get_net(obj, "SRC_NET", &src, &src_null, why, whylen) < 0 ||
        get_net(obj, "DST_NET", &dst, &dst_null, why, whylen) < 0)
        return -1;
    proto_null = cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, "PROTOCOL_NUM"));
    if (!proto_null && get_count(obj, "PROTOCOL_NUM", 255, &proto, why, whylen) < 0)
        return -1;
    if (get_count(obj, "FLOWS", UINT64_MAX, &r->flows, why, whylen) < 0 ||
        get_count(obj, "PACKETS", UINT64_MAX, &r->packets, why, whylen) < 0 ||
        get_count(obj, "BYTES", UINT64_MAX, &r->bytes, why, whylen) < 0)
        return -1;
    if (src_null || dst_null || proto_null) {
        if (!(src_null && dst_null && proto_null)) {
            snprintf(why, whylen, "SRC_NET, DST_NET and PROTOCOL_NUM: null in some, not all");
            return -1;
        }
        if (r->flows || r->packets || r->bytes) {
            snprintf(why, whylen, "an empty-window record (null SRC_NET) with non-zero counters");
            return -1;
        }
        r->is_fill = 1;
        return 0;
    }
    agg_key_make(&r->key, &src, &dst, (uint8_t)proto);
    return 0;
}
