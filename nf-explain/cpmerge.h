/*
 * cpmerge.h - one report per moment: nf-pelt writes a change point per
 * column, so a shift seen in several components at the same window comes
 * as several records. They are merged into one record whose columns,
 * mean_before and mean_after list every column, whose cost_reduction is
 * the sum, and whose other keys (segment bounds, index, penalty) are those
 * of the strongest record.
 */
#ifndef NFX_CPMERGE_H
#define NFX_CPMERGE_H

#include <stddef.h>

#include <cJSON.h>

/* Merges records of recs[0..*n) with equal time_key values; *n gets the new count. */
void nfx_merge_same_time(cJSON **recs, size_t *n, const char *time_key);

#endif
