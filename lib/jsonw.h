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
 * The same for keys that are string literals of plain characters (nothing
 * to escape), written with their length known at compile time and no
 * checks: nf_jw_u64_lit(w, NF_JW_LIT("IN_BYTES"), v). The flow writer's
 * keys go this way; tests check they give the bytes the checked calls give.
 */
#define NF_JW_LIT(s) ("" s ""), (sizeof(s) - 1)

/* Room for n more bytes; the digits of v (no NUL). For the inline writers below. */
void nf_jw_grow(struct nf_jw *w, size_t n);
size_t nf_jw_format_u64(char *out, uint64_t v);
size_t nf_jw_format_i64(char *out, int64_t v);

/*
 * Inline so that the key's length is a constant where it is written and the
 * copy becomes a few stores: this is the per-member cost of every flow record.
 */
static inline void nf_jw_member_lit(struct nf_jw *w, const char *key, size_t n, size_t room)
{
    char *p;
    if (w->len + n + 4 + room > w->cap)
        nf_jw_grow(w, n + 4 + room);
    p = w->buf + w->len;
    if (!w->first[w->depth])
        *p++ = ',';
    w->first[w->depth] = 0;
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    w->len = (size_t)(p - w->buf);
}

static inline void nf_jw_u64_lit(struct nf_jw *w, const char *key, size_t n, uint64_t v)
{
    nf_jw_member_lit(w, key, n, 24);
    w->len += nf_jw_format_u64(w->buf + w->len, v);
}

static inline void nf_jw_i64_lit(struct nf_jw *w, const char *key, size_t n, int64_t v)
{
    nf_jw_member_lit(w, key, n, 24);
    w->len += nf_jw_format_i64(w->buf + w->len, v);
}

/* A string member whose text needs no escaping by construction (addresses, digits). */
static inline void nf_jw_plain_lit(struct nf_jw *w, const char *key, size_t n, const char *s, size_t sn)
{
    nf_jw_member_lit(w, key, n, sn + 2);
    w->buf[w->len] = '"';
    memcpy(w->buf + w->len + 1, s, sn);
    w->buf[w->len + sn + 1] = '"';
    w->len += sn + 2;
}

static inline void nf_jw_null_lit(struct nf_jw *w, const char *key, size_t n)
{
    nf_jw_member_lit(w, key, n, 4);
    memcpy(w->buf + w->len, "null", 4);
    w->len += 4;
}
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

#endif
