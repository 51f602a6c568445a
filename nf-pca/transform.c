/*
 * transform.c - the columns of nf-pca --transform log1p (transform.h).
 *
 * Why counts only: a shift that adds or removes a share of the traffic
 * (a new service, a silent subnet) moves a count in proportion to the
 * traffic, ten times more by day than by night, so in the additive PCA
 * and STL residual its step is cut at every day/night ramp; on the log
 * scale it is one constant step (docs/method.md). Shares and coefficients
 * are bounded already; means and SDs per record are not counts.
 *
 * The counts are the interval features with the is-count flag of
 * lib/features.def.
 */
#include "transform.h"

#include "feature.h"

int transform_is_count(const char *name)
{
    const struct nf_feature *f = nf_feature_find(name);
    return f && f->is_count;
}

size_t transform_choose_log1p(char *const *names, size_t p, unsigned char *log1p)
{
    size_t j, n = 0;
    for (j = 0; j < p; j++) {
        log1p[j] = (unsigned char)transform_is_count(names[j]);
        n += log1p[j];
    }
    return n;
}
