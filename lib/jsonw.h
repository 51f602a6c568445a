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
