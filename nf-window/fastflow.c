/*
 * fastflow.c - the fast path for flat flow records (see fastflow.h).
 * Strict JSON for a flat object: anything else is "not sure" (return 0).
 */
#include "fastflow.h"

#include <stdint.h>
#include <string.h>

enum kind { K_UINT, K_ADDR, K_TIME };

/* Field ids for the values the aggregation keeps. */
enum {
    F_NONE, F_SRC, F_DST, F_PROTO, F_FIRST, F_LAST, F_IN_PKTS, F_IN_BYTES, F_OUT_PKTS,
    F_OUT_BYTES, F_FLOWS, F_EXPORT,
};

struct known {
    const char *name;
    size_t len;
    enum kind kind;
    uint64_t max;
    int required;
    int field;
};

#define U64 UINT64_MAX
#define U32 UINT32_MAX
#define K(name, kind, max, req, field) {name, sizeof name - 1, kind, max, req, field}
/* Every key nf_flow_from_json checks, with the same kinds, ranges and requirements. */
static const struct known known[] = {
    K("ID", K_UINT, U64, 0, F_NONE),
    K("IP_SRC_ADDR", K_ADDR, 0, 1, F_SRC),
    K("IP_DST_ADDR", K_ADDR, 0, 1, F_DST),
    K("L4_SRC_PORT", K_UINT, 65535, 1, F_NONE),
    K("L4_DST_PORT", K_UINT, 65535, 1, F_NONE),
    K("PROTOCOL_NUM", K_UINT, 255, 1, F_PROTO),
    K("TCP_FLAGS", K_UINT, 65535, 0, F_NONE),
    K("FIRST_SWITCHED", K_TIME, 0, 1, F_FIRST),
    K("LAST_SWITCHED", K_TIME, 0, 1, F_LAST),
    K("FLOW_DURATION_MILLISECONDS", K_UINT, U64, 0, F_NONE),
    K("IN_PKTS", K_UINT, U64, 1, F_IN_PKTS),
    K("IN_BYTES", K_UINT, U64, 1, F_IN_BYTES),
    K("OUT_PKTS", K_UINT, U64, 0, F_OUT_PKTS),
    K("OUT_BYTES", K_UINT, U64, 0, F_OUT_BYTES),
    K("FLOWS", K_UINT, U64, 0, F_FLOWS),
    K("SRC_TOS", K_UINT, 255, 0, F_NONE),
    K("DST_TOS", K_UINT, 255, 0, F_NONE),
    K("INPUT_SNMP", K_UINT, U32, 0, F_NONE),
    K("OUTPUT_SNMP", K_UINT, U32, 0, F_NONE),
    K("SRC_AS", K_UINT, U32, 0, F_NONE),
    K("DST_AS", K_UINT, U32, 0, F_NONE),
    K("SRC_MASK", K_UINT, 128, 0, F_NONE),
    K("DST_MASK", K_UINT, 128, 0, F_NONE),
    K("NEXT_HOP", K_ADDR, 0, 0, F_NONE),
    K("DIRECTION", K_UINT, 255, 0, F_NONE),
    K("EXPORTER_IP", K_ADDR, 0, 0, F_NONE),
    K("OBSERVATION_DOMAIN_ID", K_UINT, U32, 0, F_NONE),
    K("SAMPLING_INTERVAL", K_UINT, U64, 0, F_NONE),
    K("EXPORT_TIME", K_TIME, 0, 0, F_EXPORT),
};
#undef K
#define NKNOWN (sizeof known / sizeof known[0])

struct scan {
    const char *p, *end;
};

static void skip_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* A string with no escapes and no control characters; str and len get its text. */
static int scan_string(struct scan *s, const char **str, size_t *len)
{
    const char *q;
    if (s->p >= s->end || *s->p != '"')
        return 0;
    q = ++s->p;
    while (q < s->end && *q != '"') {
        if ((unsigned char)*q < 0x20 || *q == '\\')
            return 0;
        q++;
    }
    if (q >= s->end)
        return 0;
    *str = s->p;
    *len = (size_t)(q - s->p);
    s->p = q + 1;
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * A JSON number. When it is a plain integer of at most 15 digits (exact as
 * a double, as cJSON holds it) *isint is set and mag and neg hold it.
 */
static int scan_number(struct scan *s, int *isint, uint64_t *mag, int *neg)
{
    const char *p = s->p, *digits;
    uint64_t v = 0;
    *isint = 0;
    *neg = 0;
    if (p < s->end && *p == '-') {
        *neg = 1;
        p++;
    }
    digits = p;
    if (p >= s->end || !is_digit(*p))
        return 0;
    if (*p == '0') {
        p++;
    } else {
        while (p < s->end && is_digit(*p))
            v = v * 10 + (uint64_t)(*p++ - '0'); /* wraps past 19 digits; then isint stays 0 */
    }
    *isint = p - digits <= 15;
    if (p < s->end && *p == '.') {
        *isint = 0;
        p++;
        if (p >= s->end || !is_digit(*p))
            return 0;
        while (p < s->end && is_digit(*p))
            p++;
    }
    if (p < s->end && (*p == 'e' || *p == 'E')) {
        *isint = 0;
        p++;
        if (p < s->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= s->end || !is_digit(*p))
            return 0;
        while (p < s->end && is_digit(*p))
            p++;
    }
    if (p - s->p > 32)
        return 0; /* cJSON reads at most 63 characters of a number; stay well inside */
    *mag = v;
    s->p = p;
    return 1;
}

static int scan_literal(struct scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

/* Any flat value: string, number, true, false, null. */
static int skip_value(struct scan *s)
{
    const char *str;
    size_t len;
    int isint, neg;
    uint64_t mag;
    if (s->p >= s->end)
        return 0;
    switch (*s->p) {
    case '"': return scan_string(s, &str, &len);
    case 't': return scan_literal(s, "true", 4);
    case 'f': return scan_literal(s, "false", 5);
    case 'n': return scan_literal(s, "null", 4);
    default: return scan_number(s, &isint, &mag, &neg);
    }
}

static const struct known *lookup(const char *key, size_t len, size_t *hint)
{
    size_t i;
    if (*hint < NKNOWN && known[*hint].len == len && memcmp(known[*hint].name, key, len) == 0)
        return &known[(*hint)++];
    for (i = 0; i < NKNOWN; i++)
        if (known[i].len == len && memcmp(known[i].name, key, len) == 0) {
            *hint = i + 1;
            return &known[i];
        }
    return NULL;
}

/* One known member's value: checks it as nf_flow_from_json would and keeps what is needed. */
static int take_value(struct scan *s, const struct known *k, struct nf_flow *f, int *null_time)
{
    const char *str;
    size_t len;
    int isint, neg;
    uint64_t v;
    if (k->kind == K_ADDR) {
        struct nf_addr a;
        if (!scan_string(s, &str, &len) || nf_addr_parse(str, len, &a) != 0)
            return 0;
        if (k->field == F_SRC)
            f->src = a;
        else if (k->field == F_DST)
            f->dst = a;
        return 1;
    }
    if (k->kind == K_TIME && scan_literal(s, "null", 4)) {
        *null_time = 1;
        return 1;
    }
    if (!scan_number(s, &isint, &v, &neg) || !isint)
        return 0;
    if (k->kind == K_TIME) {
        int64_t t = neg ? -(int64_t)v : (int64_t)v;
        if (k->field == F_FIRST) f->first_ms = t;
        else if (k->field == F_LAST) f->last_ms = t;
        else f->export_ms = t;
        return 1;
    }
    if (neg || v > k->max)
        return 0;
    switch (k->field) {
    case F_PROTO: f->proto = (uint8_t)v; break;
    case F_IN_PKTS: f->in_pkts = v; break;
    case F_IN_BYTES: f->in_bytes = v; break;
    case F_OUT_PKTS: f->out_pkts = v; break;
    case F_OUT_BYTES: f->out_bytes = v; break;
    case F_FLOWS: f->flows = v; break;
    default: break;
    }
    return 1;
}

int fastflow_parse(const char *line, size_t n, struct nf_flow *f)
{
    struct scan s = {line, line + n};
    uint32_t seen = 0;
    int null_first = 0, null_last = 0, null_export = 0;
    size_t hint = 0, i;
    f->flows = 1;
    f->first_ms = f->last_ms = f->export_ms = 0;
    f->out_pkts = f->out_bytes = 0;
    f->present = 0;
    skip_ws(&s);
    if (s.p >= s.end || *s.p++ != '{')
        return 0;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}')
        return 0; /* no members: required keys missing */
    for (;;) {
        const char *key;
        size_t klen;
        const struct known *k;
        skip_ws(&s);
        if (!scan_string(&s, &key, &klen))
            return 0;
        skip_ws(&s);
        if (s.p >= s.end || *s.p++ != ':')
            return 0;
        skip_ws(&s);
        k = lookup(key, klen, &hint);
        if (k) {
            uint32_t bit = 1u << (k - known);
            int *null_time = k->field == F_FIRST ? &null_first
                           : k->field == F_LAST ? &null_last : &null_export;
            if (seen & bit)
                return 0; /* cJSON would take the first; let it */
            seen |= bit;
            if (!take_value(&s, k, f, null_time))
                return 0;
        } else if (!skip_value(&s)) {
            return 0;
        }
        skip_ws(&s);
        if (s.p >= s.end)
            return 0;
        if (*s.p == ',') {
            s.p++;
            continue;
        }
        if (*s.p++ != '}')
            return 0;
        break;
    }
    skip_ws(&s);
    if (s.p != s.end)
        return 0;
    for (i = 0; i < NKNOWN; i++)
        if (known[i].required && !(seen & (1u << i)))
            return 0;
    if (null_first != null_last)
        return 0;
    f->has_time = !null_first;
    if ((seen & (1u << (NKNOWN - 1))) && !null_export)
        f->present |= NF_HAS_EXPORT_TIME;
    return 1;
}
