/*
 * fastflow.h - a fast reader for the common shape of flow records: one flat
 * JSON object whose strings have no escapes and whose counters are plain
 * integers. cJSON caps aggregation at about 300,000 flows/s on the project
 * machine (it builds a tree of every member), well under the 1 million
 * flows/s nf-window must reach, so aggregation tries this reader first.
 *
 * It never decides that a record is bad: whenever it meets anything it is
 * not sure about (an escape, a nested value, a fraction, a missing or
 * repeated key, a value out of range, a syntax error), it answers "not
 * sure" and the caller reads the line with cJSON and nf_flow_from_json,
 * which remain the reference. On the records it accepts it fills exactly
 * what nf_flow_from_json would for the fields nf-window aggregates
 * (tests/test_fastflow.c compares the two on real and mutated records).
 */
#ifndef NFW_FASTFLOW_H
#define NFW_FASTFLOW_H

#include <stddef.h>

#include "flow.h"

/*
 * Returns 1 and fills src, dst, proto, has_time, first_ms, last_ms, the four
 * counters, flows, and export_ms with NF_HAS_EXPORT_TIME in present; returns
 * 0 when the line must go through cJSON.
 */
int fastflow_parse(const char *s, size_t n, struct nf_flow *f);

#endif
