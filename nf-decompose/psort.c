/*
 * psort.c - partial quicksort with the control flow of stl.f's psort:
 * the median-of-three partition, the stack of pending segments with the
 * range of requested positions each one still holds, and the straight
 * insertion sort of short segments (which relies on the element before
 * the segment as a sentinel, hence never for the leftmost one).
 * Labels keep the structure of the original so that the sequence of
 * swaps, and so the final arrangement, is the same.
 */
#include "psort.h"

#define A(i) a[(i) - 1]
#define IND(i) ind[(i) - 1]

void stl_psort(double *a, long n, const long *ind, int ni)
{
    /* stl.f has 16 levels; the shorter part is split first, so log2(n) + 1 bounds the depth. */
    long il[66], iu[66], indl[66], indu[66];
    long i, j, k, l, m, p, ij, jl, ju;
    double t, tt;

    if (n < 2 || ni <= 0)
        return;
    jl = 1;
    ju = ni;
    indl[1] = 1;
    indu[1] = ni;
    i = 1;
    j = n;
    m = 1;

next_segment:
    if (i < j)
        goto partition;
pop:
    m--;
    if (m == 0)
        return;
    i = il[m];
    j = iu[m];
    jl = indl[m];
    ju = indu[m];
    if (!(jl <= ju))
        goto pop;
still_long:
    if (!(j - i > 10))
        goto short_segment;
partition:
    k = i;
    ij = (i + j) / 2;
    t = A(ij);
    if (A(i) > t) {
        A(ij) = A(i);
        A(i) = t;
        t = A(ij);
    }
    l = j;
    if (A(j) < t) {
        A(ij) = A(j);
        A(j) = t;
        t = A(ij);
        if (A(i) > t) {
            A(ij) = A(i);
            A(i) = t;
            t = A(ij);
        }
    }
    for (;;) {
        l--;
        if (A(l) <= t) {
            tt = A(l);
            do
                k++;
            while (!(A(k) >= t));
            if (k > l)
                break;
            A(l) = A(k);
            A(k) = tt;
        }
    }
    /* Push the longer part, keep splitting the shorter, each with its requested positions. */
    indl[m] = jl;
    indu[m] = ju;
    p = m;
    m++;
    if (l - i <= j - k) {
        il[p] = k;
        iu[p] = j;
        j = l;
        for (;;) {
            if (jl > ju)
                goto pop;
            if (IND(ju) > j)
                ju--;
            else
                break;
        }
        indl[p] = ju + 1;
    } else {
        il[p] = i;
        iu[p] = l;
        i = k;
        for (;;) {
            if (jl > ju)
                goto pop;
            if (IND(jl) < i)
                jl++;
            else
                break;
        }
        indu[p] = jl - 1;
    }
    goto still_long;

short_segment:
    if (i != 1) {
        i--;
        for (;;) {
            i++;
            if (i == j)
                goto pop;
            t = A(i + 1);
            if (A(i) > t) {
                k = i;
                do {
                    A(k + 1) = A(k);
                    k--;
                } while (!(t >= A(k)));
                A(k + 1) = t;
            }
        }
    }
    goto next_segment;
}
