/* split.c - windows of a time span and largest-remainder shares (see split.h). */
#include "split.h"

#include "err.h"

#include <stdlib.h>

int64_t window_of(int64_t t, int64_t width)
{
    int64_t r = t % width;
    return r < 0 ? t - r - width : t - r;
}

uint64_t split_nwindows(int64_t first, int64_t last, int64_t width)
{
    if (last <= first)
        return 1;
    return (uint64_t)((window_of(last - 1, width) - window_of(first, width)) / width) + 1;
}

struct rem {
    unsigned __int128 rem;
    size_t idx;
};

static int cmp_rem(const void *a, const void *b)
{
    const struct rem *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void split_shares(int64_t first, int64_t last, int64_t width, uint64_t total, uint64_t *share,
                  size_t n)
{
    unsigned __int128 span, given = 0;
    struct rem *r;
    int64_t w0;
    size_t i;
    if (n <= 1 || last <= first) {
        share[0] = total;
        return;
    }
    span = (unsigned __int128)(last - first);
    w0 = window_of(first, width);
    r = nf_xmalloc(n * sizeof *r);
    for (i = 0; i < n; i++) {
        int64_t ws = w0 + (int64_t)i * width, we = ws + width;
        int64_t lo = first > ws ? first : ws, hi = last < we ? last : we;
        unsigned __int128 q = (unsigned __int128)total * (uint64_t)(hi - lo);
        share[i] = (uint64_t)(q / span);
        r[i].rem = q % span;
        r[i].idx = i;
        given += share[i];
    }
    /* The floors fall short of total by less than n; the largest remainders take the rest. */
    if (given < total) {
        size_t left = (size_t)(total - given);
        qsort(r, n, sizeof *r, cmp_rem);
        for (i = 0; i < left; i++)
            share[r[i].idx]++;
    }
    free(r);
}
