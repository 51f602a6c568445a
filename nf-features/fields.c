/* fields.c - fast flat-object scanner with a cJSON fallback. */
#include "fields.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int wanted(const struct fields *f, const char *key, size_t n)
{
    size_t i;
    for (i = 0; i < f->count; i++)
        if (f->names[i][0] == key[0] && strncmp(f->names[i], key, n) == 0 && f->names[i][n] == '\0')
            return (int)i;
    return -1;
}

/*
 * Up to 15 digits with an optional minus: exact in a double, so it is
 * converted here without strtod (most counters and every time stamp).
 * Returns 1 and sets *e to NULL for such text.
 */
static int plain_integer(const char *s, size_t n, char **e)
{
    size_t i = (n > 0 && s[0] == '-') ? 1 : 0;
    if (n - i == 0 || n - i > 15 || (s[i] == '0' && n - i > 1))
        return 0;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    *e = NULL;
    return 1;
}

static double int_value(const char *s, size_t n)
{
    size_t i = s[0] == '-';
    int64_t v = 0;
    for (; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return s[0] == '-' ? -(double)v : (double)v;
}

static int is_num_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/*
 * Returns 0 when the line was a flat object it could read completely,
 * -1 when the slow path must decide (maybe valid JSON it does not handle).
 */
static int scan_flat(struct fields *f, const char *line, size_t len)
{
    const char *p = line, *end = line + len;
    p = skip_ws(p, end);
    if (p == end || *p != '{')
        return -1;
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}')
        return skip_ws(p + 1, end) == end ? 0 : -1;
    for (;;) {
        const char *key;
        size_t klen;
        int idx;
        if (p == end || *p != '"')
            return -1;
        key = ++p;
        while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        if (p == end || *p != '"')
            return -1;
        klen = (size_t)(p - key);
        p = skip_ws(p + 1, end);
        if (p == end || *p != ':')
            return -1;
        p = skip_ws(p + 1, end);
        if (p == end)
            return -1;
        idx = wanted(f, key, klen);
        if (*p == '"') {
            const char *s = ++p;
            while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
                p++;
            if (p == end || *p != '"')
                return -1;
            if (idx >= 0) {
                f->val[idx].type = F_STRING;
                f->val[idx].s = s;
                f->val[idx].n = (size_t)(p - s);
            }
            p++;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            char buf[64], *e;
            const char *s = p;
            while (p < end && is_num_char(*p))
                p++;
            if ((size_t)(p - s) >= sizeof buf)
                return -1;
            memcpy(buf, s, (size_t)(p - s));
            buf[p - s] = '\0';
            if (idx >= 0) {
                f->val[idx].type = F_NUMBER;
                f->val[idx].num = plain_integer(s, (size_t)(p - s), &e) ? 0 : strtod(buf, &e);
                if (e && *e != '\0')
                    return -1;
                if (!e)
                    f->val[idx].num = int_value(s, (size_t)(p - s));
            }
        } else if ((size_t)(end - p) >= 4 && memcmp(p, "null", 4) == 0) {
            if (idx >= 0)
                f->val[idx].type = F_NULL;
            p += 4;
        } else if ((size_t)(end - p) >= 4 && memcmp(p, "true", 4) == 0) {
            if (idx >= 0)
                f->val[idx].type = F_OTHER;
            p += 4;
        } else if ((size_t)(end - p) >= 5 && memcmp(p, "false", 5) == 0) {
            if (idx >= 0)
                f->val[idx].type = F_OTHER;
            p += 5;
        } else {
            return -1; /* nested value or bad JSON: the slow path decides */
        }
        p = skip_ws(p, end);
        if (p == end)
            return -1;
        if (*p == '}')
            return skip_ws(p + 1, end) == end ? 0 : -1;
        if (*p != ',')
            return -1;
        p = skip_ws(p + 1, end);
    }
}

static void from_tree(struct fields *f)
{
    size_t i;
    for (i = 0; i < f->count; i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(f->tree, f->names[i]);
        struct field *v = &f->val[i];
        if (!it)
            v->type = F_ABSENT;
        else if (cJSON_IsNull(it))
            v->type = F_NULL;
        else if (cJSON_IsNumber(it)) {
            v->type = F_NUMBER;
            v->num = it->valuedouble;
        } else if (cJSON_IsString(it)) {
            v->type = F_STRING;
            v->s = it->valuestring;
            v->n = strlen(it->valuestring);
        } else
            v->type = F_OTHER;
    }
}

int fields_read(struct fields *f, const char *line, size_t len, const char **why)
{
    const char *p = skip_ws(line, line + len);
    if (f->tree) {
        cJSON_Delete(f->tree);
        f->tree = NULL;
    }
    if (p == line + len)
        return 1;
    memset(f->val, 0, f->count * sizeof *f->val);
    if (scan_flat(f, line, len) == 0)
        return 0;
    memset(f->val, 0, f->count * sizeof *f->val);
    f->tree = cJSON_ParseWithLength(line, len);
    if (!f->tree) {
        *why = "not valid JSON";
        return -1;
    }
    if (!cJSON_IsObject(f->tree)) {
        cJSON_Delete(f->tree);
        f->tree = NULL;
        *why = "not a JSON object";
        return -1;
    }
    from_tree(f);
    return 0;
}

void fields_free(struct fields *f)
{
    if (f->tree)
        cJSON_Delete(f->tree);
    f->tree = NULL;
}

void fields_members(const char *line, size_t len, const char **start, size_t *n)
{
    const char *b = line, *e = line + len;
    while (b < e && *b != '{')
        b++;
    while (e > b && e[-1] != '}')
        e--;
    /* b at '{', e just after '}' */
    b++;
    e--;
    b = skip_ws(b, e);
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *start = b;
    *n = (size_t)(e - b);
}
