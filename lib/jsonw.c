/*
 * jsonw.c - NDJSON writer. It prints JSON itself instead of building cJSON
 * trees because the stages write millions of records; the round-trip tests
 * in lib/tests/test_jsonw.c pin the escaping and number forms.
 */
#include "jsonw.h"
#include "utf8.h"

#include "err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_AT (1u << 16)

/*
 * Hands the buffer to the output. To a file descriptor it goes by write(2),
 * retried on EINTR and short writes: stdio drops its buffer when a write is
 * interrupted, which lost records when a signal came while the pipe was
 * full. Memory streams (no descriptor) go through stdio.
 */
static void emit(struct nf_jw *w)
{
    int fd = fileno(w->out);
    size_t off = 0;
    if (fd < 0 || fflush(w->out) != 0) {
        fwrite(w->buf, 1, w->len, w->out); /* a stream error shows in ferror at the end */
        w->len = 0;
        return;
    }
    while (off < w->len) {
        ssize_t n = write(fd, w->buf + off, w->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno == EPIPE)
                exit(0); /* the reader is gone (SIGPIPE ignored): end quietly like | head */
            nf_die("error writing output: %s", strerror(errno));
        }
        off += (size_t)n;
    }
    w->len = 0;
}

void nf_jw_init(struct nf_jw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->cap = FLUSH_AT * 2;
    w->buf = nf_xmalloc(w->cap);
}

void nf_jw_flush(struct nf_jw *w)
{
    if (w->len > 0)
        emit(w);
    fflush(w->out);
}

void nf_jw_free(struct nf_jw *w)
{
    if (!w->buf)
        return;
    nf_jw_flush(w);
    free(w->buf);
    w->buf = NULL;
}

static void reserve(struct nf_jw *w, size_t n)
{
    if (w->len + n <= w->cap)
        return;
    while (w->len + n > w->cap)
        w->cap *= 2;
    w->buf = nf_xrealloc(w->buf, w->cap);
}

static void put(struct nf_jw *w, const char *s, size_t n)
{
    reserve(w, n);
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

void nf_jw_bytes(struct nf_jw *w, const char *s, size_t n)
{
    put(w, s, n);
}

static void putc1(struct nf_jw *w, char c)
{
    reserve(w, 1);
    w->buf[w->len++] = c;
}

/*
 * Whether s[0..n) needs no escaping (no control character, '"' or '\\')
 * and is ASCII, eight bytes at a time: a byte below 0x20, or equal to '"'
 * or '\\', sets its high bit in the masks below (the classic "has zero
 * byte" tests); a byte >= 0x80 has it already. Text with such bytes takes
 * the slow path, which checks that they are UTF-8 (docs/records.md).
 */
static int plain_word(const char *s)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t x, q, b;
    memcpy(&x, s, 8);
    q = x ^ (ones * '"');  /* zero where x has '"' */
    b = x ^ (ones * '\\'); /* zero where x has '\\' */
    return !((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & highs);
}

static int plain_text(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        if (!plain_word(s + i))
            return 0;
    if (i < n && n >= 8) /* the tail as the last eight bytes, overlapping */
        return plain_word(s + n - 8);
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
            return 0;
    }
    return 1;
}

/* U+FFFD REPLACEMENT CHARACTER: what a byte that is not UTF-8 becomes. */
static const char replacement[3] = {'\xEF', '\xBF', '\xBD'};

static void put_escaped(struct nf_jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    reserve(w, n + 2);
    if (plain_text(s, n)) { /* the usual case: one copy */
        w->buf[w->len] = '"';
        memcpy(w->buf + w->len + 1, s, n);
        w->buf[w->len + n + 1] = '"';
        w->len += n + 2;
        return;
    }
    putc1(w, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = nf_utf8_seq(s + i, n - i);
            if (k > 0) {
                i += k - 1; /* valid UTF-8: copied with the run */
                continue;
            }
            put(w, s + run, i - run);
            put(w, replacement, 3);
            run = i + 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        case '\b': put(w, "\\b", 2); break;
        case '\f': put(w, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(w, u, 6);
        }
        }
    }
    put(w, s + run, n - run);
    putc1(w, '"');
}

/*
 * Keys are nearly always plain identifiers: copied whole into room
 * reserved once, checked eight bytes at a time, and escaped only when a
 * character needs it. Writing a key byte by byte was a third of
 * nf-parse's NetFlow profile.
 */
static void put_key(struct nf_jw *w, const char *key, int comma)
{
    size_t n = strlen(key);
    char *p;
    if (comma)
        putc1(w, ',');
    if (!plain_text(key, n)) {
        put_escaped(w, key, n);
        putc1(w, ':');
        return;
    }
    reserve(w, n + 3);
    p = w->buf + w->len;
    p[0] = '"';
    memcpy(p + 1, key, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    w->len += n + 3;
}

/* Comma and key before a member; key NULL inside arrays. */
static void member(struct nf_jw *w, const char *key)
{
    int comma = !w->first[w->depth];
    w->first[w->depth] = 0;
    if (key)
        put_key(w, key, comma);
    else if (comma)
        putc1(w, ',');
}

static void open_level(struct nf_jw *w, char c)
{
    putc1(w, c);
    if (w->depth + 1 >= NF_JW_MAX_DEPTH)
        nf_die("internal error: JSON nesting deeper than %d", NF_JW_MAX_DEPTH);
    w->depth++;
    w->first[w->depth] = 1;
}

void nf_jw_begin(struct nf_jw *w)
{
    w->depth = 0;
    w->first[0] = 1;
    open_level(w, '{');
}

void nf_jw_end(struct nf_jw *w)
{
    w->depth--;
    put(w, "}\n", 2);
    if (w->flush_each || w->len >= FLUSH_AT) {
        emit(w);
        if (w->flush_each)
            fflush(w->out);
    }
}

void nf_jw_begin_object(struct nf_jw *w, const char *key)
{
    member(w, key);
    open_level(w, '{');
}

void nf_jw_end_object(struct nf_jw *w)
{
    w->depth--;
    putc1(w, '}');
}

void nf_jw_begin_array(struct nf_jw *w, const char *key)
{
    member(w, key);
    open_level(w, '[');
}

void nf_jw_end_array(struct nf_jw *w)
{
    w->depth--;
    putc1(w, ']');
}

void nf_jw_str(struct nf_jw *w, const char *key, const char *s)
{
    member(w, key);
    put_escaped(w, s, strlen(s));
}

void nf_jw_strn(struct nf_jw *w, const char *key, const char *s, size_t n)
{
    member(w, key);
    put_escaped(w, s, n);
}

const char nf_jw_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

const uint64_t nf_jw_pow10[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL};

void nf_jw_u64(struct nf_jw *w, const char *key, uint64_t v)
{
    member(w, key);
    reserve(w, 24);
    w->len += nf_jw_format_u64(w->buf + w->len, v);
}

void nf_jw_i64(struct nf_jw *w, const char *key, int64_t v)
{
    member(w, key);
    reserve(w, 24);
    w->len += nf_jw_format_i64(w->buf + w->len, v);
}

size_t nf_format_double(char *buf, double v)
{
    int n;
    if (!isfinite(v)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    if (v == 0.0) { /* also folds -0 to 0, so output does not depend on sign of zero */
        memcpy(buf, "0", 2);
        return 1;
    }
    if (v == rint(v) && fabs(v) < 1e15) { /* whole numbers: digits without printf */
        size_t n = 0;
        if (v < 0)
            buf[n++] = '-';
        n += nf_jw_format_u64(buf + n, (uint64_t)fabs(v));
        buf[n] = '\0';
        return n;
    }
    n = snprintf(buf, 32, "%.15g", v);
    if (strtod(buf, NULL) != v) {
        n = snprintf(buf, 32, "%.16g", v);
        if (strtod(buf, NULL) != v)
            n = snprintf(buf, 32, "%.17g", v);
    }
    return (size_t)n;
}

char *nf_jw_members_begin(struct nf_jw *w, size_t room)
{
    reserve(w, room + 1);
    if (!w->first[w->depth])
        w->buf[w->len++] = ',';
    w->first[w->depth] = 0;
    return w->buf + w->len;
}

void nf_jw_members_end(struct nf_jw *w, const char *end)
{
    w->len = (size_t)(end - w->buf);
}


void nf_jw_double(struct nf_jw *w, const char *key, double v)
{
    member(w, key);
    reserve(w, 32);
    w->len += nf_format_double(w->buf + w->len, v);
}

void nf_jw_bool(struct nf_jw *w, const char *key, int v)
{
    member(w, key);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void nf_jw_null(struct nf_jw *w, const char *key)
{
    member(w, key);
    put(w, "null", 4);
}

/*
 * JSON text copied through (members of an input record): its structure is
 * ASCII, so a byte >= 0x80 is inside a string, and one that is not UTF-8
 * becomes U+FFFD as put_escaped does. ASCII text is one copy.
 */
static void put_json_text(struct nf_jw *w, const char *s, size_t n)
{
    size_t i, run = 0;
    if (nf_ascii(s, n)) {
        put(w, s, n);
        return;
    }
    for (i = 0; i < n; i++) {
        size_t k;
        if ((unsigned char)s[i] < 0x80)
            continue;
        k = nf_utf8_seq(s + i, n - i);
        if (k > 0) {
            i += k - 1;
            continue;
        }
        put(w, s + run, i - run);
        put(w, replacement, 3);
        run = i + 1;
    }
    put(w, s + run, n - run);
}

void nf_jw_raw(struct nf_jw *w, const char *key, const char *json, size_t n)
{
    member(w, key);
    put_json_text(w, json, n);
}

void nf_jw_members(struct nf_jw *w, const char *members, size_t n)
{
    if (n == 0)
        return;
    if (!w->first[w->depth])
        putc1(w, ',');
    w->first[w->depth] = 0;
    put_json_text(w, members, n);
}

void nf_jw_item(struct nf_jw *w, const char *key, const cJSON *item)
{
    const cJSON *child;
    if (cJSON_IsNumber(item)) {
        /* cJSON holds numbers as doubles: integers beyond 2^53 are rounded (docs/records.md). */
        nf_jw_double(w, key, item->valuedouble);
    } else if (cJSON_IsString(item)) {
        nf_jw_str(w, key, item->valuestring);
    } else if (cJSON_IsTrue(item)) {
        nf_jw_bool(w, key, 1);
    } else if (cJSON_IsFalse(item)) {
        nf_jw_bool(w, key, 0);
    } else if (cJSON_IsArray(item)) {
        nf_jw_begin_array(w, key);
        cJSON_ArrayForEach(child, item) nf_jw_item(w, NULL, child);
        nf_jw_end_array(w);
    } else if (cJSON_IsObject(item)) {
        nf_jw_begin_object(w, key);
        cJSON_ArrayForEach(child, item) nf_jw_item(w, child->string, child);
        nf_jw_end_object(w);
    } else {
        nf_jw_null(w, key);
    }
}

static int in_list(const char *key, const char *const *list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(key, list[i]) == 0)
            return 1;
    return 0;
}

void nf_jw_passthrough(struct nf_jw *w, const cJSON *obj,
                       const char *const *skip, size_t nskip)
{
    const cJSON *child;
    cJSON_ArrayForEach(child, obj)
    {
        if (child->string && !in_list(child->string, skip, nskip))
            nf_jw_item(w, child->string, child);
    }
}

char *nf_jw_members_of(const cJSON *obj, const char *const *skip, size_t nskip, size_t *len)
{
    struct nf_jw w;
    char *text;
    memset(&w, 0, sizeof w);
    w.cap = 256;
    w.buf = nf_xmalloc(w.cap);
    w.depth = 0;
    w.first[0] = 1;
    nf_jw_passthrough(&w, obj, skip, nskip);
    text = nf_xrealloc(w.buf, w.len + 1);
    text[w.len] = '\0';
    *len = w.len;
    return text;
}
