/* Unit tests of pca.c: limits against R, sign convention, fit and projection. */
#include "../pca.h"
#include "../../lib/tests/tap.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

static void limits(void)
{
    double a[] = {3, 2, 1, 0.5, 0.25};
    double b[102];
    size_t i;

    /* R: Jackson-Mudholkar with qnorm, h0 = 0.2275 */
    TAP_NEAR(pca_spe_limit(a, 5, 2, 0.01), 8.03986929895152258, 1e-12,
             "SPE limit: Jackson-Mudholkar formula (R qnorm)");
    b[0] = 5;
    b[1] = 1;
    for (i = 2; i < 102; i++)
        b[i] = 0.1;
    /* h0 = -1.017 here: Box's g chi2_h, R qchisq */
    TAP_NEAR(pca_spe_limit(b, 102, 1, 0.05), 14.4831231993879435, 1e-10,
             "SPE limit: h0 <= 0 falls back to Box's scaled chi-square (R qchisq)");
    TAP_OK(isnan(pca_spe_limit(a, 5, 5, 0.01)), "SPE limit: no residual space is NaN");
    TAP_NEAR(pca_t2_limit(3, 50, 0.01), 13.487902314577838, 1e-10, "T2 limit: F-based (R qf)");
    TAP_NEAR(pca_t2_limit(52, 100000, 0.01), 78.667916854640268, 1e-9,
             "T2 limit: large degrees of freedom where GSL's inverse F fails (R qf)");
    TAP_NEAR(pca_t2_limit(1, 2, 0.05), 242.17145819638228, 1e-8, "T2 limit: n = 2, K = 1 (R qf)");
    TAP_OK(isnan(pca_t2_limit(3, 3, 0.01)), "T2 limit: n <= K is NaN");
}

static void signs(void)
{
    double v[] = {0.1, -0.9, 0.3, /* */ 0.5, -0.5, 0.1, /* */ 0.2, 0.6, -0.6};
    pca_fix_signs(v, 3, 3);
    TAP_OK(v[1] == 0.9 && v[0] == -0.1, "sign: the largest |loading| becomes positive");
    TAP_OK(v[3] == 0.5 && v[4] == -0.5, "sign: on a tie the first one decides");
    TAP_OK(v[7] == 0.6 && v[6] == 0.2, "sign: already positive stays");
}

static void fit_and_project(void)
{
    /* Two columns, the second exactly twice the first plus one: rank 1. */
    double x[] = {1, 3, 2, 5, 3, 7, 4, 9, 6, 13};
    double three[] = {1, 2, 0, 2, 1, 1, 3, 5, 2, 4, 4, 4, 0, 1, 7};
    struct nf_pca_model m = {0};
    struct pca_fit_info info = {0};
    double scores[3], z[3], spe, t2;

    TAP_OK(pca_fit(&m, x, 5, 2, 1, &info) == 0, "fit on a rank-1 pair");
    TAP_NEAR(m.center[0], 3.2, 1e-15, "centre is the mean");
    TAP_NEAR(m.scale[0], sqrt(3.7), 1e-15, "scale is the n-1 standard deviation");
    TAP_NEAR(m.eigenvalues[0], 2, 1e-14, "two perfectly correlated z-scores: eigenvalues 2 and 0");
    TAP_OK(m.eigenvalues[1] == 0, "the zero-variance eigenvalue is 0 (a negative rounding result is clamped)");
    TAP_OK(info.rank == 1, "rank counts only components with variance");
    TAP_NEAR(m.loadings[0], sqrt(0.5), 1e-14, "loading of pc1 is 1/sqrt(2), positive");
    m.k = 1;
    nf_pca_project(&m, x, NULL, scores, z, &spe, &t2);
    TAP_NEAR(scores[0], 2 * (1 - 3.2) / sqrt(3.7) * sqrt(0.5), 1e-14, "score of row 1");
    TAP_NEAR(spe, 0, 1e-28, "a row in the component space has SPE 0");
    TAP_NEAR(t2, scores[0] * scores[0] / 2, 1e-14, "T2 is score^2 / eigenvalue");
    free(info.constant);
    nf_pca_model_free(&m);

    /* A constant middle column: scale 1, loadings 0. */
    TAP_OK(pca_fit(&m, three, 5, 3, 1, &info) == 0, "fit on three varying columns");
    TAP_OK(info.nconstant == 0, "three varying columns: no constant column reported");
    free(info.constant);
    nf_pca_model_free(&m);
    {
        double c[] = {1, 7, 2, 2, 7, 1, 3, 7, 5, 4, 7, 3};
        TAP_OK(pca_fit(&m, c, 4, 3, 1, &info) == 0 && info.nconstant == 1 && info.constant[0] == 1,
               "a constant column is reported");
        TAP_OK(m.scale[1] == 1 && m.center[1] == 7, "constant column: centre the value, scale 1");
        TAP_OK(m.loadings[1] == 0 && m.loadings[3 + 1] == 0, "constant column: zero loadings");
        free(info.constant);
        nf_pca_model_free(&m);
    }
    {
        double c[] = {1, 7, 1, 7, 1, 7};
        TAP_OK(pca_fit(&m, c, 3, 2, 1, &info) == -1, "all columns constant: refused");
        free(info.constant);
        nf_pca_model_free(&m);
    }
}

static void k_for_variance(void)
{
    double ratio[] = {0.5, 0.3, 0.15, 0.05};
    struct nf_pca_model m = {0};
    m.p = 4;
    m.ratio = ratio;
    TAP_OK(pca_k_for_variance(&m, 0.5) == 1, "variance 0.5: one component reaches it exactly");
    TAP_OK(pca_k_for_variance(&m, 0.81) == 3, "variance 0.81: three components");
    TAP_OK(pca_k_for_variance(&m, 1) == 4, "variance 1: all");
}

int main(void)
{
    gsl_set_error_handler_off();
    limits();
    signs();
    fit_and_project();
    k_for_variance();
    return tap_done();
}
