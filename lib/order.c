/* order.c - the one wording of "out of time order" (see order.h). */
#include "order.h"

#include "ntime.h"

#include <stdio.h>

char *nf_order_text(char *buf, size_t n, const char *key, int64_t t, const char *than,
                    int64_t ref, const char *advice)
{
    char at[32], before[32], by[32];
    nf_duration_format(ref - t, by, sizeof by);
    snprintf(buf, n, "out of time order: %s %s UTC (%lld) is %s earlier than %s, %s UTC (%lld)%s%s",
             key, nf_time_format(t, at), (long long)t, by, than, nf_time_format(ref, before),
             (long long)ref, advice ? "; " : "", advice ? advice : "");
    return buf;
}
