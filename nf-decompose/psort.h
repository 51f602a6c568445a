/*
 * psort.h - the partial sort R's stl.f uses for the median of the
 * absolute residuals (Singleton's quicksort, ACM algorithm 347, stopped
 * once the requested order statistics are in place).
 *
 * Why not a plain selection: stl.f asks for the positions (n/2 + 1, n/2)
 * in that (descending) order, and for even n the algorithm then leaves
 * at position n/2 a value that need not be the n/2-th smallest. R's
 * "6 * median" is therefore not always the textbook median; reproducing
 * the procedure step by step is the only way to get R's robustness
 * weights, and so R's robust decomposition, for series of even length.
 */
#ifndef NF_PSORT_H
#define NF_PSORT_H

/*
 * Rearranges a[0..n) the way stl.f's psort does for the 1-based
 * positions ind[0..ni) (ni is 2 in STL).
 */
void stl_psort(double *a, long n, const long *ind, int ni);

#endif
