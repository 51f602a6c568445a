/*
 * pca.c - principal components by the symmetric eigensolver on the
 * covariance matrix of the standardised fit rows, or on their Gram matrix
 * when there are fewer rows than columns.
 *
 * Why the covariance and not an SVD of the data: for n rows >> p columns
 * (100,000 x 116) forming Z'Z with one BLAS dsyrk costs n p^2 / 2 and the
 * eigenproblem p^3, while a thin SVD of Z costs about 4 n p^2 and needs a
 * second n x p matrix. Both give the components to well below 1e-8 for the
 * components that carry variance; the tests compare with R's SVD-based
 * prcomp.
 *
 * Wide input (n < p: 50 rows of 20,000 columns) would make the p x p route
 * cost p^3 and 3 p^2 doubles. There the n x n Gram matrix ZZ'/(n-1) has
 * the same non-zero eigenvalues, and the loading of a component with
 * eigenvector u is Z'u scaled to unit length: n^2 p / 2 for ZZ', n^3 for
 * its eigenproblem and n^2 p for the loadings, O(n p min(n, p)) in all.
 */
#include "pca.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_roots.h>

#include "err.h"

/* Row blocks for dsyrk: keeps the block in cache while its p x p update runs. */
#define SYRK_BLOCK 512

/*
 * Means (two passes: a second correcting sum, as R's mean does), sample
 * standard deviations, and constant-column detection (every value equal).
 */
static void column_stats(const double *x, size_t n, size_t p, double *mean, double *sd,
                         unsigned char *constant)
{
    double *lo = nf_xmalloc(p * sizeof *lo), *hi = nf_xmalloc(p * sizeof *hi);
    double *acc = nf_xcalloc(p, sizeof *acc);
    size_t i, j;

    for (j = 0; j < p; j++)
        lo[j] = hi[j] = x[j];
    for (i = 0; i < n; i++) {
        const double *row = x + i * p;
        for (j = 0; j < p; j++) {
            acc[j] += row[j];
            if (row[j] < lo[j])
                lo[j] = row[j];
            if (row[j] > hi[j])
                hi[j] = row[j];
        }
    }
    for (j = 0; j < p; j++) {
        mean[j] = acc[j] / (double)n;
        acc[j] = 0;
    }
    for (i = 0; i < n; i++) {
        const double *row = x + i * p;
        for (j = 0; j < p; j++)
            acc[j] += row[j] - mean[j];
    }
    for (j = 0; j < p; j++) {
        mean[j] += acc[j] / (double)n;
        acc[j] = 0;
    }
    for (i = 0; i < n; i++) {
        const double *row = x + i * p;
        for (j = 0; j < p; j++) {
            double d = row[j] - mean[j];
            acc[j] += d * d;
        }
    }
    for (j = 0; j < p; j++) {
        constant[j] = lo[j] == hi[j];
        if (constant[j])
            mean[j] = lo[j]; /* exactly the value, so its deviations are exactly 0 */
        sd[j] = constant[j] ? 0 : sqrt(acc[j] / (double)(n - 1));
    }
    free(lo);
    free(hi);
    free(acc);
}

/* cov = Z'Z / (n-1) of the standardised rows, built a block of rows at a time. */
static void covariance(const double *x, size_t n, size_t p, const double *center,
                       const double *scale, gsl_matrix *cov)
{
    double *block = nf_xmalloc(SYRK_BLOCK * p * sizeof *block);
    size_t i, j, r;

    gsl_matrix_set_zero(cov);
    for (i = 0; i < n; i += SYRK_BLOCK) {
        size_t rows = n - i < SYRK_BLOCK ? n - i : SYRK_BLOCK;
        gsl_matrix_view b;
        /*
         * The block is stored transposed (p x rows) so that the update
         * C += B B' walks both operands along rows: the reference CBLAS
         * loops over the inner dimension, contiguous this way.
         */
        for (r = 0; r < rows; r++) {
            const double *src = x + (i + r) * p;
            for (j = 0; j < p; j++)
                block[j * rows + r] = (src[j] - center[j]) / scale[j]; /* as nf_pca_project does */
        }
        b = gsl_matrix_view_array(block, p, rows);
        gsl_blas_dsyrk(CblasLower, CblasNoTrans, 1.0, &b.matrix, 1.0, cov);
    }
    for (i = 0; i < p; i++)
        for (j = 0; j <= i; j++) {
            double v = gsl_matrix_get(cov, i, j) / (double)(n - 1);
            gsl_matrix_set(cov, i, j, v);
            gsl_matrix_set(cov, j, i, v);
        }
    free(block);
}

void pca_fix_signs(double *loadings, size_t k, size_t p)
{
    size_t c, j;
    for (c = 0; c < k; c++) {
        double *v = loadings + c * p;
        size_t at = 0;
        for (j = 1; j < p; j++)
            if (fabs(v[j]) > fabs(v[at]))
                at = j;
        if (v[at] < 0)
            for (j = 0; j < p; j++)
                v[j] = -v[j];
    }
}

/* Z = (x - center) / scale, n x p, row-major: the wide route works on all of it at once. */
static double *standardised(const double *x, size_t n, size_t p, const double *center,
                            const double *scale)
{
    double *z = nf_xmalloc(n * p * sizeof *z);
    size_t i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < p; j++)
            z[i * p + j] = (x[i * p + j] - center[j]) / scale[j]; /* as nf_pca_project does */
    return z;
}

/*
 * The n < p route: eigenvalues of ZZ'/(n-1) into m->eigenvalues[0..n)
 * (the rest stay 0) and, for the first nload components, the loadings
 * Z'u / |Z'u| into m->loadings (nload x p). A component whose Z'u is 0
 * (no variance) keeps zero loadings.
 */
static void fit_wide(struct nf_pca_model *m, const double *x, size_t n, size_t p, size_t *nload)
{
    double *z = standardised(x, n, p, m->center, m->scale);
    gsl_matrix_view zv = gsl_matrix_view_array(z, n, p);
    gsl_matrix *gram = gsl_matrix_alloc(n, n), *evec = gsl_matrix_alloc(n, n);
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(n);
    size_t i, j, c;
    double tol;

    gsl_matrix_set_zero(gram);
    gsl_blas_dsyrk(CblasLower, CblasNoTrans, 1.0, &zv.matrix, 0.0, gram);
    for (i = 0; i < n; i++)
        for (j = 0; j <= i; j++) {
            double v = gsl_matrix_get(gram, i, j) / (double)(n - 1);
            gsl_matrix_set(gram, i, j, v);
            gsl_matrix_set(gram, j, i, v);
        }
    gsl_eigen_symmv(gram, eval, evec, ws);
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    memset(m->eigenvalues, 0, p * sizeof *m->eigenvalues);
    for (i = 0; i < n; i++) {
        double v = gsl_vector_get(eval, i);
        m->eigenvalues[i] = v > 0 ? v : 0;
    }

    /* Loadings only where there is variance: beyond the rank they are noise. */
    tol = pca_rank_tolerance(m);
    for (c = 0; c < n && m->eigenvalues[c] > tol; c++)
        ;
    *nload = c > 0 ? c : 1;
    m->loadings = nf_xcalloc(*nload * p, sizeof *m->loadings);
    if (c > 0) {
        gsl_matrix_view u = gsl_matrix_submatrix(evec, 0, 0, n, c);
        gsl_matrix_view v = gsl_matrix_view_array(m->loadings, c, p);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &u.matrix, &zv.matrix, 0.0, &v.matrix);
    }
    for (i = 0; i < c; i++) {
        double *row = m->loadings + i * p, len = 0;
        for (j = 0; j < p; j++)
            len += row[j] * row[j];
        len = sqrt(len);
        for (j = 0; j < p && len > 0; j++)
            row[j] /= len;
    }
    free(z);
    gsl_matrix_free(gram);
    gsl_matrix_free(evec);
    gsl_vector_free(eval);
    gsl_eigen_symmv_free(ws);
}

/* The n >= p route: eigenvalues and all p loadings from the covariance matrix. */
static void fit_tall(struct nf_pca_model *m, const double *x, size_t n, size_t p)
{
    gsl_matrix *cov = gsl_matrix_alloc(p, p), *evec = gsl_matrix_alloc(p, p);
    gsl_vector *eval = gsl_vector_alloc(p);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(p);
    size_t i, j;

    m->loadings = nf_xmalloc(p * p * sizeof *m->loadings);
    covariance(x, n, p, m->center, m->scale, cov);
    gsl_eigen_symmv(cov, eval, evec, ws);
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    for (i = 0; i < p; i++) {
        /* A zero eigenvalue can come out as -1e-17: a variance is never negative. */
        double v = gsl_vector_get(eval, i);
        m->eigenvalues[i] = v > 0 ? v : 0;
        for (j = 0; j < p; j++)
            m->loadings[i * p + j] = gsl_matrix_get(evec, j, i);
    }
    gsl_matrix_free(cov);
    gsl_matrix_free(evec);
    gsl_vector_free(eval);
    gsl_eigen_symmv_free(ws);
}

int pca_fit(struct nf_pca_model *m, const double *x, size_t n, size_t p, int scale,
            struct pca_fit_info *info)
{
    unsigned char *constant = nf_xmalloc(p);
    double total = 0, tol;
    size_t i, j, nload = p;
    int rc = 0;

    m->p = p;
    m->n_fit = n;
    m->center = nf_xmalloc(p * sizeof *m->center);
    m->scale = nf_xmalloc(p * sizeof *m->scale);
    m->eigenvalues = nf_xmalloc(p * sizeof *m->eigenvalues);
    m->ratio = nf_xmalloc(p * sizeof *m->ratio);
    m->k = p;

    column_stats(x, n, p, m->center, m->scale, constant);
    info->nconstant = 0;
    info->constant = nf_xmalloc(p * sizeof *info->constant);
    for (j = 0; j < p; j++) {
        if (constant[j])
            info->constant[info->nconstant++] = j;
        if (!scale || constant[j])
            m->scale[j] = 1;
    }

    if (n < p)
        fit_wide(m, x, n, p, &nload);
    else
        fit_tall(m, x, n, p);
    m->nloadings = nload;
    for (i = 0; i < p; i++)
        total += m->eigenvalues[i];
    if (!(total > 0)) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < p; i++)
        m->ratio[i] = m->eigenvalues[i] / total;
    pca_fix_signs(m->loadings, nload, p);

    /*
     * Below the tolerance an eigenvalue is rounding noise (1e-30 where the
     * variance is 0): it is stored as 0, so that neither K, T^2 nor the
     * SPE limit is built on noise.
     */
    tol = pca_rank_tolerance(m);
    info->rank = 0;
    while (info->rank < p && m->eigenvalues[info->rank] > tol)
        info->rank++;
    for (i = info->rank; i < p; i++) {
        m->eigenvalues[i] = 0;
        m->ratio[i] = 0;
    }
out:
    free(constant);
    return rc;
}

double pca_rank_tolerance(const struct nf_pca_model *m)
{
    /*
     * The covariance route gives eigenvalues to about p * eps * lambda1 in
     * absolute terms; a component far below that is rounding, not variance.
     */
    return m->p > 0 ? m->eigenvalues[0] * 1e-10 : 0;
}

size_t pca_k_for_variance(const struct nf_pca_model *m, double fraction)
{
    double cum = 0;
    size_t k;
    for (k = 0; k < m->p; k++) {
        cum += m->ratio[k];
        /* The sum of all ratios may miss 1 by rounding: allow for it. */
        if (cum >= fraction - 1e-12)
            return k + 1;
    }
    return m->p;
}

double pca_spe_limit(const double *eigenvalues, size_t p, size_t k, double alpha)
{
    double t1 = 0, t2 = 0, t3 = 0, h0, c, bracket;
    size_t i;

    for (i = k; i < p; i++) {
        double l = eigenvalues[i];
        t1 += l;
        t2 += l * l;
        t3 += l * l * l;
    }
    if (!(t1 > 0) || !(t2 > 0))
        return NAN;
    c = gsl_cdf_ugaussian_Pinv(1 - alpha);
    h0 = 1 - 2 * t1 * t3 / (3 * t2 * t2);
    if (h0 > 0) {
        bracket = c * sqrt(2 * t2 * h0 * h0) / t1 + 1 + t2 * h0 * (h0 - 1) / (t1 * t1);
        if (bracket > 0)
            return t1 * pow(bracket, 1 / h0);
    }
    /*
     * h0 <= 0 happens when one residual eigenvalue dominates many small ones;
     * the normal approximation then fails and Box's (1954) scaled chi-square
     * g chi2_h with the same first two moments is used instead.
     */
    return t2 / t1 * gsl_cdf_chisq_Pinv(1 - alpha, t1 * t1 / t2);
}

struct fdist_tail {
    double alpha, nu1, nu2;
};

static double fdist_tail_gap(double x, void *arg)
{
    const struct fdist_tail *f = arg;
    return gsl_cdf_fdist_Q(x, f->nu1, f->nu2) - f->alpha;
}

/*
 * Upper alpha quantile of F(nu1, nu2). GSL's inverse goes through the
 * inverse beta, which fails to converge for large degrees of freedom (such
 * as 50 and 100,000); then the quantile is the root of Q(x) - alpha,
 * found with Brent's method on a bracket that is widened until it holds it.
 */
static double fdist_upper_quantile(double alpha, double nu1, double nu2)
{
    struct fdist_tail f = {alpha, nu1, nu2};
    gsl_function fn = {fdist_tail_gap, &f};
    gsl_root_fsolver *s;
    double x = gsl_cdf_fdist_Pinv(1 - alpha, nu1, nu2), lo = 0, hi = 1;
    int i, status = GSL_CONTINUE;

    if (isfinite(x))
        return x;
    while (fdist_tail_gap(hi, &f) > 0 && hi < 1e300)
        lo = hi, hi *= 2;
    s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &fn, lo, hi);
    for (i = 0; i < 200 && status == GSL_CONTINUE; i++) {
        gsl_root_fsolver_iterate(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                        0, 1e-15);
    }
    x = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return x;
}

double pca_t2_limit(size_t k, size_t n, double alpha)
{
    double dk = (double)k, dn = (double)n;
    if (n <= k || k == 0)
        return NAN;
    return dk * (dn - 1) * (dn + 1) / (dn * (dn - dk)) * fdist_upper_quantile(alpha, dk, dn - dk);
}
