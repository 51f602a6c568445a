/*
 * Scratch memory for cJSON trees: a tree lives until it is deleted, also
 * while later lines are parsed (the nf-features pattern of issue 13), the
 * memory is reused once every block of a chunk is freed, big lines work.
 */
#include "../scratch.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

/* A record of n string members, long enough to need several chunks when n is large. */
static char *record(int n, int tag)
{
    size_t cap = (size_t)n * 48 + 16, len = 0;
    char *s = malloc(cap);
    int i;
    len += (size_t)snprintf(s + len, cap - len, "{");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s\"k%d\":\"value %d of %d\"", i ? "," : "", i,
                                i, tag);
    snprintf(s + len, cap - len, "}");
    return s;
}

/* The reader keeps record i-1 while it parses record i, then deletes i-1. */
static int keep_previous(int nrec, int nmembers, size_t *max_held)
{
    cJSON *prev = NULL;
    int i, intact = 1;
    char want[64];
    *max_held = 0;
    for (i = 0; i < nrec; i++) {
        char *text = record(nmembers, i);
        cJSON *cur = cJSON_Parse(text);
        free(text);
        if (prev) {
            const cJSON *last = cJSON_GetObjectItem(prev, "k0");
            snprintf(want, sizeof want, "value 0 of %d", i - 1);
            if (!cJSON_IsString(last) || strcmp(last->valuestring, want) != 0)
                intact = 0;
            cJSON_Delete(prev);
        }
        prev = cur;
        if (nf_scratch_held() > *max_held)
            *max_held = nf_scratch_held();
    }
    cJSON_Delete(prev);
    return intact;
}

int main(void)
{
    cJSON *a, *b, *big, *after;
    char *text = record(20000, 1), *printed;
    size_t max_held;

    nf_scratch_begin();
    a = cJSON_Parse("{\"x\":1.5,\"s\":\"text\",\"n\":{\"m\":[1,2]}}");
    TAP_OK(a && cJSON_GetObjectItem(a, "x")->valuedouble == 1.5, "a number parsed into scratch memory");
    TAP_STR(cJSON_GetObjectItem(a, "s")->valuestring, "text", "a string parsed into scratch memory");
    b = cJSON_Parse("{\"y\":2}");
    TAP_STR(cJSON_GetObjectItem(a, "s")->valuestring, "text",
            "a tree still alive when the next line is parsed keeps its values");
    printed = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    TAP_OK(cJSON_GetObjectItem(b, "y")->valuedouble == 2,
           "deleting the older tree leaves the newer one intact");
    TAP_STR(printed, "{\"x\":1.5,\"s\":\"text\",\"n\":{\"m\":[1,2]}}",
            "text cJSON printed lives until cJSON_free");
    cJSON_free(printed);
    cJSON_Delete(b);

    TAP_OK(keep_previous(2000, 40, &max_held), "2,000 records, each deleted after the next was parsed, stay intact");
    TAP_OK(max_held <= 4 * 65536,
           "memory stays a few chunks while one record is kept across the next (held at most 256 KiB)");

    big = cJSON_Parse(text);
    TAP_OK(big && cJSON_GetArraySize(big) == 20000, "a line bigger than one chunk parses whole");
    TAP_STR(cJSON_GetObjectItem(big, "k19999")->valuestring, "value 19999 of 1",
            "its last member is intact");
    cJSON_Delete(big);
    TAP_OK(nf_scratch_held() <= 2 * 65536, "after the big line is deleted its chunks are given back");
    a = cJSON_Parse("[1,2,3]");
    TAP_OK(a && cJSON_GetArraySize(a) == 3, "after a big line, small ones still parse");
    cJSON_Delete(a);
    nf_scratch_end();
    TAP_OK(nf_scratch_held() == 0, "nf_scratch_end releases every chunk");

    after = cJSON_Parse("{\"z\":3}");
    TAP_OK(after && cJSON_GetObjectItem(after, "z")->valuedouble == 3,
           "after nf_scratch_end cJSON is on malloc again (LeakSanitizer checks the free)");
    cJSON_Delete(after);
    free(text);
    return tap_done();
}
