/*
 * medians.h - the five flow medians of --flow-medians (lib/medians.def,
 * docs/features.md "Flow medians"): over the flows between an internal
 * and an external address, what the internal side sent, what the
 * external side sent, and the external side's packet size, each as the
 * median over flows. A window with fewer than min_flows such flows pools
 * the windows before it, nearest first and at most span_ms back, until it
 * has them: a night window's handful of flows cannot move a median.
 */
#ifndef NF_MEDIANS_H
#define NF_MEDIANS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "feature.h"
#include "flow.h"

/*
 * One window's values, a column per median (NF_M_*). Every qualifying flow
 * adds to the first four; the packet size only when the external side
 * sent packets, so len[NF_M_int_packets_median] is the window's flows.
 */
struct msample {
    int64_t start;  /* the window */
    double *col[NF_NMEDIANS];
    size_t len[NF_NMEDIANS], cap[NF_NMEDIANS];
};

struct medians {
    const struct nf_cidr_list *internal;
    size_t min_flows;
    int64_t span_ms;
    struct msample cur;
    struct msample *past;  /* windows before cur within span, oldest first */
    size_t npast, cappast;
    double *scratch;       /* a pooled column, sorted for its median */
    size_t capscratch;
    uint64_t crossing;     /* flows between internal and external, all windows */
};

void medians_init(struct medians *m, const struct nf_cidr_list *internal, size_t min_flows,
                  int64_t span_ms);
void medians_free(struct medians *m);
/* One flow of the window being read; flows with both ends on one side are not counted. */
void medians_add(struct medians *m, const struct nf_flow *f);
/*
 * The medians of the window starting at start (its flows are the ones added
 * since the last call) into out, 0 where no flow qualifies; the window then
 * joins the pool of the next ones.
 */
void medians_compute(struct medians *m, int64_t start, double out[NF_NMEDIANS]);

#endif
