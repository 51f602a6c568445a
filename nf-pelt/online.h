/*
 * online.h - nf-pelt --online: change points confirmed as rows arrive,
 * with memory bounded by the window (docs/nf-pelt.md, "Online mode").
 */
#ifndef NF_PELT_ONLINE_H
#define NF_PELT_ONLINE_H

#include <stddef.h>

#include "cost.h"
#include "err.h"
#include "baseline.h"
#include "penalty.h"

struct nf_online_opts {
    const char *time_key;            /* NULL = WINDOW_START */
    char **columns, **exclude;       /* globs, as --columns / --exclude */
    size_t ncolumns, nexclude;
    const struct nf_cost_kind *kind;
    struct nf_penalty pen;
    size_t minseg;
    double sigma;                    /* > 0: fixed; 0: estimated from the first window */
    int sigma_diff;                  /* --sigma diff: block 1 */
    int sigma_ar1;                   /* --sigma ar1 (the default; ar1.h) on the first window */
    size_t window;                   /* W rows segmented at each step */
    int joint;
    size_t confirm;                  /* rows the new segment lasts before it is reported */
    size_t max_delay;                /* a change first confirmed later than this is not reported (0: any) */
    int verbose;                     /* -v: each change left out by max_delay on stderr */
    size_t relearn;                  /* rows after a reported change spent learning its noise (0: none) */
    int64_t relearn_period_ms;       /* a learned span this long also gives a profile (0: none) */
    const struct nf_pelt_baseline *base; /* --baseline: columns, scales, centres from it */
    int64_t report_since_ms;         /* --report-since: changes confirmed at an earlier row are not written */
    int report_since_given;
};

void nf_pelt_online(const struct nf_online_opts *o, char **paths, int npaths,
                    struct nf_rejects *rej);

#endif
