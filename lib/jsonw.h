/*
 * jsonw.h - the fast NDJSON record writer every stage prints with.
 *
 * Keys come out in the order they are written, numbers in a stable form:
 * integers in decimal, doubles as the shortest of %.15g/%.16g/%.17g that
 * reads back to the same double (so values round-trip), NaN and infinities
 * as null (JSON has no such numbers). Strings are escaped per RFC 8259.
 * tests/ proves the output parses back with cJSON to the same values.
 */
#ifndef NF_JSONW_H
#define NF_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#define NF_JW_MAX_DEPTH 32

struct nf_jw {
    FILE *out;
    char *buf;
    size_t len, cap;
    int depth;
    unsigned char first[NF_JW_MAX_DEPTH]; /* nothing written yet at this depth */
    int flush_each;                       /* flush after every record (live mode) */
};

void nf_jw_init(struct nf_jw *w, FILE *out);
void nf_jw_free(struct nf_jw *w); /* flushes, then frees the buffer */
void nf_jw_flush(struct nf_jw *w);

/* A record: begin, members, end. end writes "}\n". */
void nf_jw_begin(struct nf_jw *w);
void nf_jw_end(struct nf_jw *w);

/* Members. Inside an array, pass key NULL. */
void nf_jw_str(struct nf_jw *w, const char *key, const char *s);
void nf_jw_strn(struct nf_jw *w, const char *key, const char *s, size_t n);
void nf_jw_u64(struct nf_jw *w, const char *key, uint64_t v);
void nf_jw_i64(struct nf_jw *w, const char *key, int64_t v);
void nf_jw_double(struct nf_jw *w, const char *key, double v);
void nf_jw_bool(struct nf_jw *w, const char *key, int v);
void nf_jw_null(struct nf_jw *w, const char *key);
/*
 * Members written in place, for a record writer that knows how long its
 * members can be (the flow writer: every flow record goes this way).
 * nf_jw_members_begin makes room for room bytes, writes the comma that
 * separates them from members before, and returns where to write; the
 * caller writes whole members ("KEY":value, comma-separated) that need no
 * escaping, and nf_jw_members_end takes the text up to end. Tests check
 * the flow writer gives the bytes the checked calls above give.
 */
char *nf_jw_members_begin(struct nf_jw *w, size_t room);
void nf_jw_members_end(struct nf_jw *w, const char *end);
/* The digits of v (no NUL) into out: at most 20 bytes, 21 with a sign. */
static inline size_t nf_jw_format_u64(char *out, uint64_t v);
static inline size_t nf_jw_format_i64(char *out, int64_t v);

/* Any cJSON value, e.g. a member passed through from the input. */
void nf_jw_item(struct nf_jw *w, const char *key, const cJSON *item);
/* Already-encoded JSON text as the value of key. */
void nf_jw_raw(struct nf_jw *w, const char *key, const char *json, size_t n);
/*
 * Already-encoded members ("\"a\":1,\"b\":2", no braces), e.g. what
 * nf_jw_members_of() captured earlier. Empty text writes nothing.
 */
void nf_jw_members(struct nf_jw *w, const char *members, size_t n);
/* Bytes as they are, outside the JSON structure (a separator in a buffer of rows). */
void nf_jw_bytes(struct nf_jw *w, const char *s, size_t n);

void nf_jw_begin_object(struct nf_jw *w, const char *key);
void nf_jw_end_object(struct nf_jw *w);
void nf_jw_begin_array(struct nf_jw *w, const char *key);
void nf_jw_end_array(struct nf_jw *w);

/*
 * Writes every member of obj whose key is not in skip[0..nskip), in input
 * order: the pass-through rule of docs/records.md.
 */
void nf_jw_passthrough(struct nf_jw *w, const cJSON *obj,
                       const char *const *skip, size_t nskip);

/*
 * Formats a double the way the writer does into buf (at least 32 bytes);
 * returns the length. NaN/inf give "null".
 */
size_t nf_format_double(char *buf, double v);

/*
 * Encodes the members of obj not in skip as member text (no braces), into
 * a malloc'd string; *len gets its length. For stages that hold rows and
 * print them later without keeping the whole cJSON tree.
 */
char *nf_jw_members_of(const cJSON *obj, const char *const *skip, size_t nskip, size_t *len);

extern const char nf_jw_digit_pairs[201];
extern const uint64_t nf_jw_pow10[20];

/* The two digits of d < 100 at out. */
static inline void nf_jw_put_pair(char *out, unsigned d)
{
    memcpy(out, nf_jw_digit_pairs + 2 * d, 2);
}

/*
 * Inline: a flow record is mostly integers, and the call cost showed.
 * Two digits at a time from a table, no printf; the digit count comes
 * from the bit length (1233/4096 ~ log10 2), corrected by one compare.
 */
static inline size_t nf_jw_format_u64(char *out, uint64_t v)
{
    size_t n, i;
    uint32_t x;
    if (v < 10) { /* most counters, flags and ports of small records */
        out[0] = (char)('0' + v);
        return 1;
    }
    n = ((64u - (unsigned)__builtin_clzll(v)) * 1233u) >> 12;
    n += v >= nf_jw_pow10[n];
    i = n;
    /* eight digits at a time while v is large (epoch ms have 13), so the rest runs in 32 bits */
    while (v >= 100000000u) {
        uint32_t lo = (uint32_t)(v % 100000000u), hi4 = lo / 10000, lo4 = lo % 10000;
        v /= 100000000u;
        i -= 8;
        nf_jw_put_pair(out + i, hi4 / 100);
        nf_jw_put_pair(out + i + 2, hi4 % 100);
        nf_jw_put_pair(out + i + 4, lo4 / 100);
        nf_jw_put_pair(out + i + 6, lo4 % 100);
    }
    x = (uint32_t)v;
    while (x >= 100) {
        i -= 2;
        nf_jw_put_pair(out + i, x % 100);
        x /= 100;
    }
    if (x >= 10)
        nf_jw_put_pair(out + i - 2, x);
    else
        out[i - 1] = (char)('0' + x);
    return n;
}

static inline size_t nf_jw_format_i64(char *out, int64_t v)
{
    if (v >= 0)
        return nf_jw_format_u64(out, (uint64_t)v);
    out[0] = '-';
    return 1 + nf_jw_format_u64(out + 1, (uint64_t)0 - (uint64_t)v);
}

#endif
