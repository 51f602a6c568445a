/*
 * perflow.h - context features of each flow over its window (--per-flow):
 * the flows of one window are buffered, then written back unchanged with
 * the context features appended (named in lib/context.def).
 * docs/features.md defines each one.
 */
#ifndef NF_PERFLOW_H
#define NF_PERFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "feature.h"
#include "jsonw.h"
#include "strtab.h"

struct pf_flow {
    size_t moff;      /* members text in the arena */
    size_t mlen;
    uint32_t src, dst;
    int64_t first;    /* FIRST_SWITCHED, or INT64_MIN when null */
    double in_pkts, in_bytes;
    uint16_t dport;
    uint8_t proto;
    uint8_t syn;
    double inter;     /* filled at flush */
};

struct perflow {
    struct pf_flow *flows;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
    struct strtab srcs, dsts, pairs, sprotos, sports;
    /* per source / destination / (source, value) accumulators, sized at flush */
    double *s_flows, *s_pkts, *s_bytes, *s_syn, *s_dst, *s_ent_proto, *s_ent_port, *d_src;
    double *vcount;
    size_t s_cap, d_cap, v_cap;
    uint32_t *order;
    size_t order_cap;
};

void perflow_init(struct perflow *pf);
void perflow_free(struct perflow *pf);
/* Buffers one flow of the current window; members = its text between the braces. */
void perflow_add(struct perflow *pf, const char *members, size_t mlen, const char *src,
                 size_t srclen, const char *dst, size_t dstlen, int64_t first, double in_pkts,
                 double in_bytes, unsigned dport, unsigned proto, unsigned tcp_flags);
/* Writes the buffered flows with their context features and empties the window. */
void perflow_flush(struct perflow *pf, struct nf_jw *w);

#endif
