/*
 * The fast flow reader agrees with cJSON + nf_flow_from_json: on every real
 * CTU record it accepts and reads the same values, and on records mutated
 * in every key (missing, other types, out of range, escapes, duplicates,
 * syntax errors) it either reads the same values or steps aside.
 */
#include "../fastflow.h"
#include "../../lib/tests/tap.h"

#include <stdlib.h>

static int same(const struct nf_flow *a, const struct nf_flow *b)
{
    return nf_addr_cmp(&a->src, &b->src) == 0 && nf_addr_cmp(&a->dst, &b->dst) == 0 &&
           a->proto == b->proto && a->has_time == b->has_time &&
           (!a->has_time || (a->first_ms == b->first_ms && a->last_ms == b->last_ms)) &&
           a->in_pkts == b->in_pkts && a->in_bytes == b->in_bytes &&
           a->out_pkts == b->out_pkts && a->out_bytes == b->out_bytes && a->flows == b->flows &&
           (a->present & NF_HAS_EXPORT_TIME) == (b->present & NF_HAS_EXPORT_TIME) &&
           (!(a->present & NF_HAS_EXPORT_TIME) || a->export_ms == b->export_ms);
}

/* 1 fast accepted and agrees, 0 fast stepped aside, -1 fast accepted what cJSON refuses or reads otherwise. */
static int compare(const char *line)
{
    struct nf_flow fast, ref;
    char why[160];
    cJSON *obj;
    int ok;
    memset(&fast, 0, sizeof fast);
    if (!fastflow_parse(line, strlen(line), &fast))
        return 0;
    obj = cJSON_ParseWithLength(line, strlen(line));
    ok = obj && cJSON_IsObject(obj) && nf_flow_from_json(obj, &ref, why, sizeof why) == 0 &&
         same(&fast, &ref);
    cJSON_Delete(obj);
    return ok ? 1 : -1;
}

/* line with the value of key replaced by value (key removed when value is NULL). */
static char *mutate(const char *line, const char *key, const char *value)
{
    char pat[64], *out = malloc(strlen(line) + 256);
    const char *at, *end;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    at = strstr(line, pat);
    if (!at) {
        strcpy(out, line);
        return out;
    }
    end = at + strlen(pat);
    if (*end == '"')
        end = strchr(end + 1, '"') + 1;
    else
        while (*end && *end != ',' && *end != '}')
            end++;
    if (value) {
        sprintf(out, "%.*s%s%s", (int)(end - line - (end - at - (int)strlen(pat))), line, value, end);
    } else {
        const char *from = at, *to = end;
        if (*to == ',')
            to++;
        else if (from > line && from[-1] == ',')
            from--;
        sprintf(out, "%.*s%s", (int)(from - line), line, to);
    }
    return out;
}

int main(void)
{
    static const char *values[] = {
        "1.5", "-1", "1e2", "null", "\"x\"", "99999999999999999999", "{}", "[]", "true",
        "1.0", "-0", "0", "255", "256", "65535", "65536", "4294967296", "\"10.0.0.1\"",
        "\"2001:db8::1\"", "\"10.8.0.\\u0036\"", "\"bad addr\"", "01", "-", "1554394980325",
        "-1554394980325", "1234567890123456", "\"\"",
    };
    const char *top = getenv("NF_TOP") ? getenv("NF_TOP") : ".";
    char path[4096], *line = NULL;
    size_t cap = 0, nlines = 0, naccepted = 0, nbad = 0, nmut = 0, nmut_fast = 0;
    ssize_t n;
    FILE *f;
    snprintf(path, sizeof path, "%s/nf-window/tests/fixtures/ctu-flows.ndjson", top);
    f = fopen(path, "r");
    TAP_OK(f != NULL, "fixture %s opens", path);
    if (!f)
        return tap_done();
    while ((n = getline(&line, &cap, f)) > 0) {
        int r;
        line[strcspn(line, "\n")] = '\0';
        r = compare(line);
        nlines++;
        naccepted += r == 1;
        nbad += r < 0;
        if (nlines <= 40) { /* every key of the first records, mutated */
            size_t k, v;
            for (k = 0; k < nf_flow_nkeys + 2; k++) {
                const char *key = k < nf_flow_nkeys ? nf_flow_keys[k] : k == nf_flow_nkeys ? "ARGUS_STATE" : "ARGUS_DIR";
                for (v = 0; v <= sizeof values / sizeof values[0]; v++) {
                    char *m = mutate(line, key, v < sizeof values / sizeof values[0] ? values[v] : NULL);
                    r = compare(m);
                    nmut++;
                    nmut_fast += r == 1;
                    if (r < 0)
                        printf("# disagree: %s\n", m);
                    nbad += r < 0;
                    free(m);
                }
            }
        }
    }
    fclose(f);
    TAP_OK(nlines == 6751, "all 6751 CTU records read (%zu)", nlines);
    TAP_OK(naccepted == nlines, "the fast reader takes every real record (%zu of %zu)", naccepted, nlines);
    TAP_OK(nmut > 10000 && nmut_fast > 0 && nmut_fast < nmut,
           "mutated records: fast reader took %zu of %zu, left the rest to cJSON", nmut_fast, nmut);
    TAP_OK(nbad == 0, "never a different reading than cJSON + nf_flow_from_json (%zu)", nbad);

    {
        static const char *edge[] = {
            "  {\"IP_SRC_ADDR\":\"1.2.3.4\" , \"IP_DST_ADDR\" : \"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":null,\"LAST_SWITCHED\":null,\"IN_PKTS\":1,\"IN_BYTES\":40,\"EXPORT_TIME\":1000}\r",
            "{\"IP_SRC_ADDR\":\"1.2.3.4\",\"IP_DST_ADDR\":\"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":null,\"LAST_SWITCHED\":5,\"IN_PKTS\":1,\"IN_BYTES\":40}",
            "{\"IP_SRC_ADDR\":\"1.2.3.4\",\"IP_DST_ADDR\":\"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":1,\"LAST_SWITCHED\":5,\"IN_PKTS\":1,\"IN_BYTES\":40} x",
            "{\"IP_SRC_ADDR\":\"1.2.3.4\",\"IP_DST_ADDR\":\"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"PROTOCOL_NUM\":17,\"FIRST_SWITCHED\":1,\"LAST_SWITCHED\":5,\"IN_PKTS\":1,\"IN_BYTES\":40}",
            "{\"IP_SRC_ADDR\":\"1.2.3.4\",\"IP_DST_ADDR\":\"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":1,\"LAST_SWITCHED\":5,\"IN_PKTS\":1,\"IN_BYTES\":40,\"x\":{\"y\":1}}",
            "{\"IP_SRC_ADDR\":\"1.2.3.4\",\"IP_DST_ADDR\":\"5.6.7.8\",\"L4_SRC_PORT\":1,\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":1,\"LAST_SWITCHED\":5,\"IN_PKTS\":1,\"IN_BYTES\":40",
        };
        static const int want[] = {1, 0, 0, 0, 0, 0};
        size_t i;
        for (i = 0; i < sizeof edge / sizeof edge[0]; i++)
            TAP_OK(compare(edge[i]) == want[i], "edge case %zu: %s", i,
                   want[i] ? "read by the fast reader, same values" : "left to cJSON");
    }
    free(line);
    return tap_done();
}
