/* Scratch memory for cJSON trees: values survive until the reset, memory is reused, big lines work. */
#include "../scratch.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

/* A record of n string members, long enough to need several chunks when n is large. */
static char *record(int n)
{
    size_t cap = (size_t)n * 40 + 16, len = 0;
    char *s = malloc(cap);
    int i;
    len += (size_t)snprintf(s + len, cap - len, "{");
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s\"k%d\":\"value number %d\"", i ? "," : "", i, i);
    snprintf(s + len, cap - len, "}");
    return s;
}

int main(void)
{
    cJSON *a, *b, *big, *after;
    void *first_node;
    char *text = record(20000);

    nf_scratch_begin();
    a = cJSON_Parse("{\"x\":1.5,\"s\":\"text\",\"n\":{\"m\":[1,2]}}");
    TAP_OK(a && cJSON_GetObjectItem(a, "x")->valuedouble == 1.5, "a number parsed into scratch memory");
    TAP_STR(cJSON_GetObjectItem(a, "s")->valuestring, "text", "a string parsed into scratch memory");
    first_node = a;
    cJSON_Delete(a); /* frees nothing: the reset does */
    nf_scratch_reset();
    b = cJSON_Parse("{\"y\":2}");
    TAP_OK((void *)b == first_node, "after a reset the same memory is used again");
    TAP_OK(cJSON_GetObjectItem(b, "y")->valuedouble == 2, "the reused memory holds the new tree");
    cJSON_Delete(b);

    nf_scratch_reset();
    big = cJSON_Parse(text);
    TAP_OK(big && cJSON_GetArraySize(big) == 20000, "a line bigger than one chunk parses whole");
    TAP_STR(cJSON_GetObjectItem(big, "k19999")->valuestring, "value number 19999",
            "its last member is intact");
    cJSON_Delete(big);
    nf_scratch_reset();
    a = cJSON_Parse("[1,2,3]");
    TAP_OK(a && cJSON_GetArraySize(a) == 3, "after a big line, small ones still parse");
    nf_scratch_end();

    after = cJSON_Parse("{\"z\":3}");
    TAP_OK(after && cJSON_GetObjectItem(after, "z")->valuedouble == 3,
           "after nf_scratch_end cJSON is on malloc again (LeakSanitizer checks the free)");
    cJSON_Delete(after);
    free(text);
    return tap_done();
}
