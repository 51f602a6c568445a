/*
 * attrib_interval.h - which records made a flagged interval unusual: the
 * attribution of attrib.h for one interval against the --attrib-span
 * windows before it.
 */
#ifndef NFX_ATTRIB_INTERVAL_H
#define NFX_ATTRIB_INTERVAL_H
#include <stddef.h>

#include "attrib.h"
#include "explain.h"

/* One flagged interval: its row of the feature stream and its features, most unusual first. */
struct nfx_interval_req {
    size_t row;
    const char **features;
    size_t nfeatures;
};

/*
 * Fills out[i] for req[i] (NULL when the interval has no window before it),
 * reading ctx->records_path (and flows_path) once for all of them.
 */
void nfx_attrib_intervals(const struct nfx_ctx *ctx, const struct nf_table *ft, const struct nfx_interval_req *req,
                          size_t n, struct nfx_attrib **out);

#endif
