/* penalty.c - penalties per change point and the robust noise scale. */
#include "penalty.h"

#include "err.h"
#include "opt.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

static const struct {
    const char *name;
    enum nf_pen_kind kind;
} pen_names[] = {
    {"MBIC", NF_PEN_MBIC}, {"BIC", NF_PEN_BIC}, {"SIC", NF_PEN_BIC},
    {"AIC", NF_PEN_AIC},   {"HQ", NF_PEN_HQ},   {"Hannan-Quinn", NF_PEN_HQ},
};

int nf_penalty_parse(const char *text, struct nf_penalty *p)
{
    size_t i;
    double v;
    for (i = 0; i < sizeof pen_names / sizeof pen_names[0]; i++)
        if (strcasecmp(text, pen_names[i].name) == 0) {
            p->kind = pen_names[i].kind;
            p->value = 0;
            return 0;
        }
    if (nf_parse_double(text, &v) != 0 || !isfinite(v) || v < 0)
        return -1;
    p->kind = NF_PEN_MANUAL;
    p->value = v;
    return 0;
}

double nf_penalty_value(const struct nf_penalty *p, int k, size_t n)
{
    double logn = log((double)(n > 1 ? n : 1));
    switch (p->kind) {
    case NF_PEN_MBIC:
        return (k + 2) * logn;
    case NF_PEN_BIC:
        return (k + 1) * logn;
    case NF_PEN_AIC:
        return 2.0 * (k + 1);
    case NF_PEN_HQ:
        /* log log n is negative below n = 3; a negative penalty makes no sense. */
        return n >= 3 ? 2.0 * (k + 1) * log(logn) : 0;
    case NF_PEN_MANUAL:
        return p->value;
    }
    return 0;
}

const char *nf_penalty_name(const struct nf_penalty *p)
{
    switch (p->kind) {
    case NF_PEN_MBIC:
        return "MBIC";
    case NF_PEN_BIC:
        return "BIC";
    case NF_PEN_AIC:
        return "AIC";
    case NF_PEN_HQ:
        return "HQ";
    case NF_PEN_MANUAL:
        return "manual";
    }
    return "?";
}

double nf_sigma_estimate(const double *x, size_t n, size_t stride, size_t block)
{
    size_t nb, i, j;
    double *d, med, mad, sd, sigma;
    if (block < 1)
        block = 1;
    nb = n / block;
    if (nb < 3)
        return 1;
    /* Differences of consecutive block means (block 1: of the rows themselves). */
    d = nf_xmalloc(nb * sizeof *d);
    for (i = 0; i < nb; i++) {
        double s = 0;
        for (j = 0; j < block; j++)
            s += x[(i * block + j) * stride];
        d[i] = s / (double)block;
    }
    for (i = 0; i + 1 < nb; i++)
        d[i] = d[i + 1] - d[i];
    sd = gsl_stats_sd(d, 1, nb - 1);
    gsl_sort(d, 1, nb - 1);
    med = gsl_stats_median_from_sorted_data(d, 1, nb - 1);
    for (i = 0; i + 1 < nb; i++)
        d[i] = fabs(d[i] - med);
    gsl_sort(d, 1, nb - 1);
    mad = gsl_stats_median_from_sorted_data(d, 1, nb - 1);
    free(d);
    sigma = mad / (M_SQRT2 * 0.6744897501960817);
    if (!(sigma > 0))
        sigma = sd / M_SQRT2;
    if (!(sigma > 0) || !isfinite(sigma))
        return 1;
    return sigma * sqrt((double)block);
}
