/* test_order.c - the one wording of "out of time order" and the duration text it uses. */
#include "../../lib/tests/tap.h"
#include "ntime.h"
#include "order.h"

#include <string.h>

int main(void)
{
    char buf[NF_ORDER_TEXT], d[32], small[40];
    nf_duration_format(3 * 86400000LL + 1000, d, sizeof d);
    TAP_STR(d, "3d 1s", "durations leave zero parts out");
    nf_duration_format(250, d, sizeof d);
    TAP_STR(d, "250ms", "under a second: milliseconds");
    nf_duration_format(0, d, sizeof d);
    TAP_STR(d, "0s", "zero");
    TAP_STR(nf_order_text(buf, sizeof buf, "WINDOW_START", 1554393600000LL, "the row before",
                          1554393900000LL, "sort the input by time"),
            "out of time order: WINDOW_START 2019-04-04 16:00:00 UTC (1554393600000) is 5m earlier "
            "than the row before, 2019-04-04 16:05:00 UTC (1554393900000); sort the input by time",
            "key, both times as UTC text and epoch ms, the difference, the advice");
    TAP_STR(nf_order_text(buf, sizeof buf, "t", 0, "the current window", 60000, NULL),
            "out of time order: t 1970-01-01 00:00:00 UTC (0) is 1m earlier than the current "
            "window, 1970-01-01 00:01:00 UTC (60000)",
            "no advice: no trailing '; '");
    nf_order_text(small, sizeof small, "WINDOW_START", 0, "the row before", 1, "x");
    TAP_OK(strlen(small) == sizeof small - 1, "a short buffer is cut, still terminated");
    return tap_done();
}
