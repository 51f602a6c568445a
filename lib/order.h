/*
 * order.h - the one wording of "out of time order", for every tool that
 * needs its input sorted by time (a table reader, a streaming reader,
 * nf-window's open windows):
 *
 *   out of time order: WINDOW_START 2019-04-04 16:00:00 UTC (1554393600000)
 *   is 5m earlier than the row before, 2019-04-04 16:05:00 UTC
 *   (1554393900000); sort the input by time
 *
 * The caller puts FILE:LINE in front (nf_warn_at, nf_reject, nf_die_at),
 * so every tool names the place the same way.
 */
#ifndef NF_ORDER_H
#define NF_ORDER_H

#include <stddef.h>
#include <stdint.h>

#define NF_ORDER_TEXT 512 /* enough for nf_order_text with a short key and advice */

/*
 * Writes the message into buf (n bytes, cut short if needed) and returns
 * buf. key names the time (the time key, FIRST_SWITCHED), t is its value
 * and ref the time it is compared with, named by than ("the row before",
 * "the newest flow time", "the current window"). advice (NULL for none)
 * follows after "; ": what fixes it, or the option that relaxes it.
 */
char *nf_order_text(char *buf, size_t n, const char *key, int64_t t, const char *than,
                    int64_t ref, const char *advice);

#endif
