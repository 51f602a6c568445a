/* --split shares: the worked example of docs/nf-window.md, exact sums, proportions, edges. */
#include "../split.h"
#include "../../lib/tests/tap.h"

#include <stdlib.h>

int main(void)
{
    const int64_t W = 300000, T0 = 1554393600000LL; /* 2019-04-04 16:00:00 UTC, a window start */
    uint64_t s[8], sum;
    size_t i, n;
    unsigned seed = 12345;

    TAP_OK(window_of(T0, W) == T0, "a time on a boundary starts its window");
    TAP_OK(window_of(T0 - 1, W) == T0 - W, "one ms before a boundary is in the window before");
    TAP_OK(window_of(-1, W) == -W, "times before 1970 round down, not towards zero");

    /* 16:03:20 to 16:13:20: 100 s, 300 s and 200 s in three windows. */
    n = split_nwindows(T0 + 200000, T0 + 800000, W);
    TAP_OK(n == 3, "a 10-minute flow from 16:03:20 spans 3 windows (%zu)", n);
    split_shares(T0 + 200000, T0 + 800000, W, 10, s, n);
    TAP_OK(s[0] == 2 && s[1] == 5 && s[2] == 3, "10 packets: 2, 5, 3 (got %llu %llu %llu)",
           (unsigned long long)s[0], (unsigned long long)s[1], (unsigned long long)s[2]);
    split_shares(T0 + 200000, T0 + 800000, W, 1001, s, n);
    TAP_OK(s[0] == 167 && s[1] == 500 && s[2] == 334, "1001 bytes: 167, 500, 334 (got %llu %llu %llu)",
           (unsigned long long)s[0], (unsigned long long)s[1], (unsigned long long)s[2]);
    split_shares(T0 + 100000, T0 + 700000, W, 1, s, 3);
    TAP_OK(s[0] == 0 && s[1] == 1 && s[2] == 0, "1 packet goes to the window with most overlap");
    split_shares(T0 + 150000, T0 + 450000, W, 1, s, 2);
    TAP_OK(s[0] == 1 && s[1] == 0, "an exact tie goes to the earlier window");

    TAP_OK(split_nwindows(T0, T0 + W, W) == 1, "a flow ending exactly on a boundary does not reach the next window");
    TAP_OK(split_nwindows(T0, T0 + W + 1, W) == 2, "one ms past the boundary does");
    TAP_OK(split_nwindows(T0 + 5, T0 + 5, W) == 1, "an instant is in one window");
    TAP_OK(split_nwindows(T0 + 5, T0 + 1, W) == 1, "end before start: one window");

    {
        int bad_sum = 0, bad_prop = 0, k;
        for (k = 0; k < 2000; k++) {
            int64_t first = T0 + (rand_r(&seed) % 900000);
            int64_t last = first + 1 + (rand_r(&seed) % 1500000);
            uint64_t total = (uint64_t)rand_r(&seed) * (k % 3 ? 1 : 1000003u);
            n = split_nwindows(first, last, W);
            if (n > 8)
                continue;
            split_shares(first, last, W, total, s, n);
            for (sum = 0, i = 0; i < n; i++) {
                int64_t ws = window_of(first, W) + (int64_t)i * W;
                int64_t lo = first > ws ? first : ws, hi = last < ws + W ? last : ws + W;
                double exact = (double)total * (double)(hi - lo) / (double)(last - first);
                if (fabs((double)s[i] - exact) >= 1.0 + 1e-9 * exact)
                    bad_prop++;
                sum += s[i];
            }
            if (sum != total)
                bad_sum++;
        }
        TAP_OK(bad_sum == 0, "random spans: shares always add up to the total (%d failures)", bad_sum);
        TAP_OK(bad_prop == 0, "random spans: each share is within 1 of its exact proportion (%d failures)", bad_prop);
    }
    split_shares(T0, T0 + 2 * W, W, UINT64_MAX, s, 2);
    TAP_OK(s[0] + s[1] == UINT64_MAX && s[0] >= s[1], "2^64-1 split in halves without overflow");
    return tap_done();
}
