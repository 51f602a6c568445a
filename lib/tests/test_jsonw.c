/* The record writer's output parses back with cJSON to the same values. */
#include "../jsonw.h"
#include "tap.h"

#include <float.h>
#include <stdlib.h>

static char *capture(void (*fill)(struct nf_jw *, void *), void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct nf_jw w;
    nf_jw_init(&w, mem);
    fill(&w, arg);
    nf_jw_free(&w);
    fclose(mem);
    return text;
}

static void fill_double(struct nf_jw *w, void *arg)
{
    nf_jw_begin(w);
    nf_jw_double(w, "v", *(double *)arg);
    nf_jw_end(w);
}

static void double_round_trip(void)
{
    double cases[] = {0.1, 1.0 / 3, 2.0 / 3, 1e-300, 5e-324, DBL_MAX, -DBL_MAX, 123456789012345.0,
                      1e15, 1e16 + 2, 0.30000000000000004, -2.5, 9007199254740993.0, 1e21, 12.0};
    size_t i;
    int all = 1;
    srand(7);
    for (i = 0; i < sizeof cases / sizeof cases[0] + 20000; i++) {
        double v, back;
        char *text;
        cJSON *obj;
        if (i < sizeof cases / sizeof cases[0])
            v = cases[i];
        else
            v = ((double)rand() / RAND_MAX - 0.5) * pow(10, rand() % 40 - 20);
        text = capture(fill_double, &v);
        obj = cJSON_Parse(text);
        back = obj ? cJSON_GetObjectItem(obj, "v")->valuedouble : NAN;
        if (back != v) {
            printf("# %.17g printed as %s", v, text);
            all = 0;
        }
        cJSON_Delete(obj);
        free(text);
    }
    TAP_OK(all, "doubles: every printed value reads back bit-identical through cJSON");
}

static void fill_special(struct nf_jw *w, void *arg)
{
    (void)arg;
    nf_jw_begin(w);
    nf_jw_double(w, "nan", NAN);
    nf_jw_double(w, "inf", INFINITY);
    nf_jw_double(w, "negzero", -0.0);
    nf_jw_double(w, "int", 300.0);
    nf_jw_end(w);
}

static void special_values(void)
{
    char *text = capture(fill_special, NULL);
    TAP_STR(text, "{\"nan\":null,\"inf\":null,\"negzero\":0,\"int\":300}\n",
            "doubles: NaN and infinities print as null, -0 as 0, whole numbers without a point");
    free(text);
}

static void fill_strings(struct nf_jw *w, void *arg)
{
    (void)arg;
    nf_jw_begin(w);
    nf_jw_str(w, "q\"k", "a\"b\\c\n\t\x01\x1f/\xc3\xa9");
    nf_jw_u64(w, "u", UINT64_MAX);
    nf_jw_i64(w, "i", INT64_MIN);
    nf_jw_begin_array(w, "arr");
    nf_jw_u64(w, NULL, 1);
    nf_jw_str(w, NULL, "x");
    nf_jw_begin_object(w, NULL);
    nf_jw_bool(w, "t", 1);
    nf_jw_null(w, "n");
    nf_jw_end_object(w);
    nf_jw_end_array(w);
    nf_jw_end(w);
}

static void escaping(void)
{
    char *text = capture(fill_strings, NULL);
    cJSON *obj = cJSON_Parse(text);
    const cJSON *q = obj ? cJSON_GetObjectItem(obj, "q\"k") : NULL;
    TAP_STR(text,
            "{\"q\\\"k\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/\xc3\xa9\",\"u\":18446744073709551615,"
            "\"i\":-9223372036854775808,\"arr\":[1,\"x\",{\"t\":true,\"n\":null}]}\n",
            "strings: quotes, backslashes and control characters are escaped; UTF-8 kept");
    TAP_OK(q && cJSON_IsString(q) && strcmp(q->valuestring, "a\"b\\c\n\t\x01\x1f/\xc3\xa9") == 0,
           "strings: escaped text parses back through cJSON to the original bytes");
    cJSON_Delete(obj);
    free(text);
}

static void fill_pass(struct nf_jw *w, void *arg)
{
    static const char *const skip[] = {"drop"};
    nf_jw_begin(w);
    nf_jw_u64(w, "first", 1);
    nf_jw_passthrough(w, arg, skip, 1);
    nf_jw_end(w);
}

static void passthrough(void)
{
    cJSON *in = cJSON_Parse("{\"label\":\"botnet\",\"drop\":5,\"nested\":{\"a\":[1,2.5]},\"x\":null}");
    char *text = capture(fill_pass, in);
    TAP_STR(text, "{\"first\":1,\"label\":\"botnet\",\"nested\":{\"a\":[1,2.5]},\"x\":null}\n",
            "pass-through: unknown keys keep their order and values, skipped keys are dropped");
    cJSON_Delete(in);
    free(text);
}

struct kv {
    const char *key, *value;
};

static void fill_kv(struct nf_jw *w, void *arg)
{
    const struct kv *kv = arg;
    nf_jw_begin(w);
    nf_jw_str(w, kv->key, kv->value);
    nf_jw_end(w);
}

/*
 * Every length 1..40 with each character that needs escaping (and a UTF-8
 * byte that must not be) at every position, in key and value: the
 * eight-bytes-at-a-time check must see it wherever it falls.
 */
static void escaping_every_position(void)
{
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f', (char)0xc3};
    char text[48];
    int all = 1;
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof specials; k++) {
                memset(text, 'a' + (int)(len % 26), len);
                text[len] = '\0';
                text[at] = specials[k];
                if ((unsigned char)specials[k] == 0xc3) { /* a whole UTF-8 sequence: é */
                    if (at + 1 >= len)
                        continue;
                    text[at + 1] = (char)0xa9;
                }
                for (int as_key = 0; as_key < 2; as_key++) {
                    struct kv kv = {as_key ? text : "k", as_key ? "v" : text};
                    char *out = capture(fill_kv, &kv);
                    cJSON *obj = cJSON_Parse(out);
                    const cJSON *m = obj ? obj->child : NULL;
                    if (!m || strcmp(m->string, kv.key) != 0 || !cJSON_IsString(m) ||
                        strcmp(m->valuestring, kv.value) != 0 ||
                        ((unsigned char)specials[k] == 0xc3) != (strchr(out, '\\') == NULL)) {
                        printf("# length %zu, position %zu, char %d, %s: %s", len, at,
                               (unsigned char)specials[k], as_key ? "key" : "value", out);
                        all = 0;
                    }
                    cJSON_Delete(obj);
                    free(out);
                }
            }
    TAP_OK(all, "strings: a character to escape is escaped at every position of keys and values up to 40 bytes; UTF-8 is not");
}

static void fill_u64(struct nf_jw *w, void *arg)
{
    nf_jw_begin(w);
    nf_jw_u64(w, "u", *(uint64_t *)arg);
    nf_jw_end(w);
}

/* Integers at every power of ten and its neighbours, and random ones, against printf. */
static void integers_match_printf(void)
{
    int all = 1;
    uint64_t p = 1;
    srand(11);
    for (int i = 0; i < 20 + 10000; i++) {
        uint64_t v, cases[3];
        if (i < 20) {
            cases[0] = p - 1, cases[1] = p, cases[2] = p + 1;
            p *= 10;
        } else {
            cases[0] = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)rand();
            cases[1] = (uint64_t)rand() % 1000;
            cases[2] = UINT64_MAX - (uint64_t)rand();
        }
        for (int c = 0; c < 3; c++) {
            char want[64], *got;
            v = cases[c];
            snprintf(want, sizeof want, "{\"u\":%llu}\n", (unsigned long long)v);
            got = capture(fill_u64, &v);
            if (strcmp(got, want) != 0) {
                printf("# %llu written as %s", (unsigned long long)v, got);
                all = 0;
            }
            free(got);
        }
    }
    TAP_OK(all, "integers: digits equal printf's at every power of ten, its neighbours and 30,000 random values");
}

int main(void)
{
    double_round_trip();
    special_values();
    escaping();
    escaping_every_position();
    integers_match_printf();
    passthrough();
    return tap_done();
}
