/*
 * split.h - --split: how a flow's packets and bytes are spread over the
 * windows its time span overlaps, in proportion to the overlap, as whole
 * numbers that add up exactly (largest-remainder rounding).
 */
#ifndef NFW_SPLIT_H
#define NFW_SPLIT_H

#include <stddef.h>
#include <stdint.h>

/* Start of the window of length width (ms) holding t: windows are aligned to multiples of width since the epoch. */
int64_t window_of(int64_t t, int64_t width);

/*
 * Number of windows the half-open span [first, last) overlaps; 1 when
 * last <= first (an instant belongs to the window of first).
 */
uint64_t split_nwindows(int64_t first, int64_t last, int64_t width);

/*
 * Shares of total over the n windows of [first, last) (n from
 * split_nwindows): share[i] = floor(total * overlap_i / span) plus one for
 * the windows with the largest remainders (ties: the earlier window) until
 * the shares add up to total. When n is 1, share[0] = total.
 */
void split_shares(int64_t first, int64_t last, int64_t width, uint64_t total, uint64_t *share,
                  size_t n);

#endif
