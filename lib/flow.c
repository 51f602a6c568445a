/* flow.c - writing and validating flow records (docs/records.md). */
#include "flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const nf_flow_keys[] = {
    "ID", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_SRC_PORT", "L4_DST_PORT", "PROTOCOL_NUM",
    "TCP_FLAGS", "FIRST_SWITCHED", "LAST_SWITCHED", "FLOW_DURATION_MILLISECONDS",
    "IN_PKTS", "IN_BYTES", "OUT_PKTS", "OUT_BYTES", "FLOWS",
    "SRC_TOS", "DST_TOS", "INPUT_SNMP", "OUTPUT_SNMP", "SRC_AS", "DST_AS",
    "SRC_MASK", "DST_MASK", "NEXT_HOP", "DIRECTION", "EXPORTER_IP",
    "OBSERVATION_DOMAIN_ID", "SAMPLING_INTERVAL", "EXPORT_TIME",
};
const size_t nf_flow_nkeys = sizeof nf_flow_keys / sizeof nf_flow_keys[0];

/* Indexes into nf_flow_keys, in its order. */
enum {
    K_ID, K_IP_SRC_ADDR, K_IP_DST_ADDR, K_L4_SRC_PORT, K_L4_DST_PORT, K_PROTOCOL_NUM,
    K_TCP_FLAGS, K_FIRST_SWITCHED, K_LAST_SWITCHED, K_FLOW_DURATION_MILLISECONDS,
    K_IN_PKTS, K_IN_BYTES, K_OUT_PKTS, K_OUT_BYTES, K_FLOWS,
    K_SRC_TOS, K_DST_TOS, K_INPUT_SNMP, K_OUTPUT_SNMP, K_SRC_AS, K_DST_AS,
    K_SRC_MASK, K_DST_MASK, K_NEXT_HOP, K_DIRECTION, K_EXPORTER_IP,
    K_OBSERVATION_DOMAIN_ID, K_SAMPLING_INTERVAL, K_EXPORT_TIME, K_COUNT
};
_Static_assert(K_COUNT == sizeof nf_flow_keys / sizeof nf_flow_keys[0], "one index per flow key");

/*
 * Members are written in place (nf_jw_members_begin): every key is a
 * literal with its comma, quotes and colon, copied with a length known at
 * compile time, and the room is reserved once per record. The bound: 29
 * keys (366 bytes with their punctuation), 25 integers of at most 21 bytes
 * and 4 quoted addresses of at most NF_ADDR_STRLEN + 2: 1,083 bytes.
 */
enum { MEMBERS_MAX = 1536 };

#define KEY(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

static char *put_u64(char *p, uint64_t v)
{
    return p + nf_jw_format_u64(p, v);
}

/* Digits, dots, colons and hex letters: nothing to escape. No address is null. */
static char *put_addr(char *p, const struct nf_addr *a)
{
    size_t n = nf_addr_format(a, p + 1);
    if (n == 0)
        return KEY(p, "null");
    p[0] = '"';
    p[n + 1] = '"';
    return p + n + 2;
}

static char *put_time(char *p, int has_time, int64_t ms)
{
    if (!has_time)
        return KEY(p, "null");
    return p + nf_jw_format_i64(p, ms);
}

void nf_flow_write_members(struct nf_jw *w, const struct nf_flow *f)
{
    uint32_t has = f->present;
    char *p = nf_jw_members_begin(w, MEMBERS_MAX);
    p = put_u64(KEY(p, "\"ID\":"), f->id);
    p = put_addr(KEY(p, ",\"IP_SRC_ADDR\":"), &f->src);
    p = put_addr(KEY(p, ",\"IP_DST_ADDR\":"), &f->dst);
    p = put_u64(KEY(p, ",\"L4_SRC_PORT\":"), f->src_port);
    p = put_u64(KEY(p, ",\"L4_DST_PORT\":"), f->dst_port);
    p = put_u64(KEY(p, ",\"PROTOCOL_NUM\":"), f->proto);
    p = put_u64(KEY(p, ",\"TCP_FLAGS\":"), f->tcp_flags);
    p = put_time(KEY(p, ",\"FIRST_SWITCHED\":"), f->has_time, f->first_ms);
    p = put_time(KEY(p, ",\"LAST_SWITCHED\":"), f->has_time, f->last_ms);
    p = put_u64(KEY(p, ",\"FLOW_DURATION_MILLISECONDS\":"), f->duration_ms);
    p = put_u64(KEY(p, ",\"IN_PKTS\":"), f->in_pkts);
    p = put_u64(KEY(p, ",\"IN_BYTES\":"), f->in_bytes);
    p = put_u64(KEY(p, ",\"OUT_PKTS\":"), f->out_pkts);
    p = put_u64(KEY(p, ",\"OUT_BYTES\":"), f->out_bytes);
    p = put_u64(KEY(p, ",\"FLOWS\":"), f->flows);
    if (has & NF_HAS_SRC_TOS) p = put_u64(KEY(p, ",\"SRC_TOS\":"), f->src_tos);
    if (has & NF_HAS_DST_TOS) p = put_u64(KEY(p, ",\"DST_TOS\":"), f->dst_tos);
    if (has & NF_HAS_INPUT_SNMP) p = put_u64(KEY(p, ",\"INPUT_SNMP\":"), f->input_snmp);
    if (has & NF_HAS_OUTPUT_SNMP) p = put_u64(KEY(p, ",\"OUTPUT_SNMP\":"), f->output_snmp);
    if (has & NF_HAS_SRC_AS) p = put_u64(KEY(p, ",\"SRC_AS\":"), f->src_as);
    if (has & NF_HAS_DST_AS) p = put_u64(KEY(p, ",\"DST_AS\":"), f->dst_as);
    if (has & NF_HAS_SRC_MASK) p = put_u64(KEY(p, ",\"SRC_MASK\":"), f->src_mask);
    if (has & NF_HAS_DST_MASK) p = put_u64(KEY(p, ",\"DST_MASK\":"), f->dst_mask);
    if (has & NF_HAS_NEXT_HOP) p = put_addr(KEY(p, ",\"NEXT_HOP\":"), &f->next_hop);
    if (has & NF_HAS_DIRECTION) p = put_u64(KEY(p, ",\"DIRECTION\":"), f->direction);
    if (has & NF_HAS_EXPORTER) p = put_addr(KEY(p, ",\"EXPORTER_IP\":"), &f->exporter);
    if (has & NF_HAS_DOMAIN) p = put_u64(KEY(p, ",\"OBSERVATION_DOMAIN_ID\":"), f->domain_id);
    if (has & NF_HAS_SAMPLING) p = put_u64(KEY(p, ",\"SAMPLING_INTERVAL\":"), f->sampling_interval);
    if (has & NF_HAS_EXPORT_TIME) p = put_time(KEY(p, ",\"EXPORT_TIME\":"), 1, f->export_ms);
    nf_jw_members_end(w, p);
}

void nf_flow_write(struct nf_jw *w, const struct nf_flow *f)
{
    nf_jw_begin(w);
    nf_flow_write_members(w, f);
    nf_jw_end(w);
}

/* A JSON number that is a whole number in [0, max]. cJSON keeps doubles, so 2^53 bounds exactness. */
/*
 * The members of one record by key, found in one pass over the object:
 * looking each key up with cJSON_GetObjectItem would compare every key
 * against every member, which dominated nf-window's profile.
 */
struct members {
    const cJSON *item[sizeof nf_flow_keys / sizeof nf_flow_keys[0]];
};

static int key_cmp(const void *key, const void *entry)
{
    return strcmp(key, nf_flow_keys[*(const unsigned char *)entry]);
}

static unsigned char sorted_keys[sizeof nf_flow_keys / sizeof nf_flow_keys[0]];

/* Key indexes in strcmp order, for bsearch; built once. */
static void sort_keys(void)
{
    static int ready;
    size_t i, j;
    if (ready)
        return;
    for (i = 0; i < nf_flow_nkeys; i++) {
        for (j = i; j > 0 && strcmp(nf_flow_keys[sorted_keys[j - 1]], nf_flow_keys[i]) > 0; j--)
            sorted_keys[j] = sorted_keys[j - 1];
        sorted_keys[j] = (unsigned char)i;
    }
    ready = 1;
}

/*
 * Records usually carry their keys in the contract's order (every stage
 * writes them so): the key after the last one found is tried first, one
 * comparison instead of a search per member.
 */
static void find_members(const cJSON *obj, struct members *m)
{
    const cJSON *child;
    size_t next = 0;
    sort_keys();
    memset(m, 0, sizeof *m);
    cJSON_ArrayForEach(child, obj)
    {
        const unsigned char *hit;
        size_t k;
        if (!child->string)
            continue;
        while (next < K_COUNT && m->item[next])
            next++;
        if (next < K_COUNT && strcmp(child->string, nf_flow_keys[next]) == 0) {
            m->item[next++] = child;
            continue;
        }
        hit = bsearch(child->string, sorted_keys, nf_flow_nkeys, 1, key_cmp);
        if (!hit)
            continue;
        k = *hit;
        if (!m->item[k]) /* the first of duplicate keys wins, as in cJSON_GetObjectItem */
            m->item[k] = child;
        if (k >= next)
            next = k + 1;
    }
}

static int get_uint(const struct members *obj, int k, uint64_t max, int required,
                    uint64_t *out, char *why, size_t whylen)
{
    const cJSON *item = obj->item[k];
    const char *key = nf_flow_keys[k];
    double v;
    if (!item) {
        if (required)
            snprintf(why, whylen, "%s: missing", key);
        return required ? -1 : 1;
    }
    v = item->valuedouble;
    /* (double)UINT64_MAX rounds up to 2^64, which no uint64_t holds: the
     * cast of 2^64 was undefined (found by lib/fuzz/fuzz_rec). */
    if (!cJSON_IsNumber(item) || !(v >= 0) || v != floor(v) || v >= 0x1p64 || (uint64_t)v > max) {
        snprintf(why, whylen, "%s: expected an unsigned integer up to %llu", key,
                 (unsigned long long)max);
        return -1;
    }
    /* cJSON holds a number as a double: from 2^53 on, neighbouring integers
     * read as one (9007199254740993 as ...992), and a counter would change
     * without a word */
    if (v >= 0x1p53) {
        snprintf(why, whylen, "%s: 2^53 (9007199254740992) or more: from there a JSON number is read as "
                 "a double that drops digits (read as %.17g)", key, v);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static int get_time(const struct members *obj, int k, int *has, int64_t *out,
                    char *why, size_t whylen)
{
    const cJSON *item = obj->item[k];
    const char *key = nf_flow_keys[k];
    double v;
    if (!item) {
        snprintf(why, whylen, "%s: missing", key);
        return -1;
    }
    if (cJSON_IsNull(item)) {
        *has = 0;
        return 0;
    }
    v = item->valuedouble;
    if (!cJSON_IsNumber(item) || v != floor(v) || fabs(v) > 9.0e15) {
        snprintf(why, whylen, "%s: expected epoch milliseconds or null", key);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

static int get_addr(const struct members *obj, int k, int required, struct nf_addr *a,
                    char *why, size_t whylen)
{
    const cJSON *item = obj->item[k];
    const char *key = nf_flow_keys[k];
    if (!item || cJSON_IsNull(item)) {
        memset(a, 0, sizeof *a);
        if (required && !item)
            snprintf(why, whylen, "%s: missing", key);
        return required && !item ? -1 : 1;
    }
    if (!cJSON_IsString(item) ||
        nf_addr_parse(item->valuestring, strlen(item->valuestring), a) != 0) {
        snprintf(why, whylen, "%s: not an IPv4 or IPv6 address", key);
        return -1;
    }
    return 0;
}

int nf_flow_from_json(const cJSON *json, struct nf_flow *f, char *why, size_t whylen)
{
    struct members members, *obj = &members;
    static const struct { int key; uint32_t bit; uint64_t max; size_t off; int width; } opt[] = {
#define OPT(k, b, m, field) {K_##k, b, m, offsetof(struct nf_flow, field), (int)sizeof(((struct nf_flow *)0)->field)}
        OPT(SRC_TOS, NF_HAS_SRC_TOS, 255, src_tos),
        OPT(DST_TOS, NF_HAS_DST_TOS, 255, dst_tos),
        OPT(INPUT_SNMP, NF_HAS_INPUT_SNMP, UINT32_MAX, input_snmp),
        OPT(OUTPUT_SNMP, NF_HAS_OUTPUT_SNMP, UINT32_MAX, output_snmp),
        OPT(SRC_AS, NF_HAS_SRC_AS, UINT32_MAX, src_as),
        OPT(DST_AS, NF_HAS_DST_AS, UINT32_MAX, dst_as),
        OPT(SRC_MASK, NF_HAS_SRC_MASK, 128, src_mask),
        OPT(DST_MASK, NF_HAS_DST_MASK, 128, dst_mask),
        OPT(DIRECTION, NF_HAS_DIRECTION, 255, direction),
        OPT(OBSERVATION_DOMAIN_ID, NF_HAS_DOMAIN, UINT32_MAX, domain_id),
        OPT(SAMPLING_INTERVAL, NF_HAS_SAMPLING, UINT64_MAX, sampling_interval),
#undef OPT
    };
    uint64_t v;
    int has_first = 1, has_last = 1, rc;
    size_t i;
    memset(f, 0, sizeof *f);
    find_members(json, &members);
    if (get_uint(obj, K_ID, UINT64_MAX, 0, &f->id, why, whylen) < 0 ||
        get_addr(obj, K_IP_SRC_ADDR, 1, &f->src, why, whylen) < 0 ||
        get_addr(obj, K_IP_DST_ADDR, 1, &f->dst, why, whylen) < 0)
        return -1;
    if (get_uint(obj, K_L4_SRC_PORT, 65535, 1, &v, why, whylen) < 0) return -1;
    f->src_port = (uint16_t)v;
    if (get_uint(obj, K_L4_DST_PORT, 65535, 1, &v, why, whylen) < 0) return -1;
    f->dst_port = (uint16_t)v;
    if (get_uint(obj, K_PROTOCOL_NUM, 255, 1, &v, why, whylen) < 0) return -1;
    f->proto = (uint8_t)v;
    v = 0;
    if (get_uint(obj, K_TCP_FLAGS, 65535, 0, &v, why, whylen) < 0) return -1;
    f->tcp_flags = (uint16_t)v;
    if (get_time(obj, K_FIRST_SWITCHED, &has_first, &f->first_ms, why, whylen) < 0 ||
        get_time(obj, K_LAST_SWITCHED, &has_last, &f->last_ms, why, whylen) < 0)
        return -1;
    f->has_time = has_first && has_last;
    if (has_first != has_last) {
        snprintf(why, whylen, "FIRST_SWITCHED and LAST_SWITCHED: one is null, the other not");
        return -1;
    }
    if (get_uint(obj, K_FLOW_DURATION_MILLISECONDS, UINT64_MAX, 0, &f->duration_ms, why, whylen) < 0 ||
        get_uint(obj, K_IN_PKTS, UINT64_MAX, 1, &f->in_pkts, why, whylen) < 0 ||
        get_uint(obj, K_IN_BYTES, UINT64_MAX, 1, &f->in_bytes, why, whylen) < 0 ||
        get_uint(obj, K_OUT_PKTS, UINT64_MAX, 0, &f->out_pkts, why, whylen) < 0 ||
        get_uint(obj, K_OUT_BYTES, UINT64_MAX, 0, &f->out_bytes, why, whylen) < 0)
        return -1;
    f->flows = 1;
    if (get_uint(obj, K_FLOWS, UINT64_MAX, 0, &f->flows, why, whylen) < 0)
        return -1;
    for (i = 0; i < sizeof opt / sizeof opt[0]; i++) {
        rc = get_uint(obj, opt[i].key, opt[i].max, 0, &v, why, whylen);
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        f->present |= opt[i].bit;
        switch (opt[i].width) {
        case 1: *(uint8_t *)((char *)f + opt[i].off) = (uint8_t)v; break;
        case 4: *(uint32_t *)((char *)f + opt[i].off) = (uint32_t)v; break;
        default: *(uint64_t *)((char *)f + opt[i].off) = v; break;
        }
    }
    rc = get_addr(obj, K_NEXT_HOP, 0, &f->next_hop, why, whylen);
    if (rc < 0) return -1;
    if (rc == 0) f->present |= NF_HAS_NEXT_HOP;
    rc = get_addr(obj, K_EXPORTER_IP, 0, &f->exporter, why, whylen);
    if (rc < 0) return -1;
    if (rc == 0) f->present |= NF_HAS_EXPORTER;
    if (obj->item[K_EXPORT_TIME]) {
        int has = 1;
        if (get_time(obj, K_EXPORT_TIME, &has, &f->export_ms, why, whylen) < 0)
            return -1;
        if (has)
            f->present |= NF_HAS_EXPORT_TIME;
    }
    return 0;
}
