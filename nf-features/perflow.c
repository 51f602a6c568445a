/*
 * perflow.c - per-flow context features. Every per-source and
 * per-destination figure comes from string tables that are emptied
 * after each window, so memory follows the largest window.
 */
#include "perflow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* The context features in context.def's order, counts as unsigned integers. */
static void write_context(struct nf_jw *w, const double v[NF_NCONTEXT])
{
    int i;
    for (i = 0; i < NF_NCONTEXT; i++) {
        if (nf_context[i].is_count)
            nf_jw_u64(w, nf_context[i].name, (uint64_t)v[i]);
        else
            nf_jw_double(w, nf_context[i].name, v[i]);
    }
}

void perflow_init(struct perflow *pf)
{
    memset(pf, 0, sizeof *pf);
    strtab_init(&pf->srcs);
    strtab_init(&pf->dsts);
    strtab_init(&pf->pairs);
    strtab_init(&pf->sprotos);
    strtab_init(&pf->sports);
}

void perflow_free(struct perflow *pf)
{
    free(pf->flows);
    free(pf->arena);
    strtab_free(&pf->srcs);
    strtab_free(&pf->dsts);
    strtab_free(&pf->pairs);
    strtab_free(&pf->sprotos);
    strtab_free(&pf->sports);
    free(pf->s_flows);
    free(pf->s_pkts);
    free(pf->s_bytes);
    free(pf->s_syn);
    free(pf->s_dst);
    free(pf->s_ent_proto);
    free(pf->s_ent_port);
    free(pf->d_src);
    free(pf->vcount);
    free(pf->order);
    memset(pf, 0, sizeof *pf);
}

void perflow_add(struct perflow *pf, const char *members, size_t mlen, const char *src,
                 size_t srclen, const char *dst, size_t dstlen, int64_t first, double in_pkts,
                 double in_bytes, unsigned dport, unsigned proto, unsigned tcp_flags)
{
    struct pf_flow *f;
    if (pf->n == pf->cap) {
        pf->cap = pf->cap ? pf->cap * 2 : 1024;
        pf->flows = nf_xrealloc(pf->flows, pf->cap * sizeof *pf->flows);
    }
    if (pf->alen + mlen > pf->acap) {
        while (pf->alen + mlen > pf->acap)
            pf->acap = pf->acap ? pf->acap * 2 : 65536;
        pf->arena = nf_xrealloc(pf->arena, pf->acap);
    }
    f = &pf->flows[pf->n++];
    f->moff = pf->alen;
    f->mlen = mlen;
    if (mlen)
        memcpy(pf->arena + pf->alen, members, mlen);
    pf->alen += mlen;
    f->src = strtab_put(&pf->srcs, src, srclen, NULL);
    f->dst = strtab_put(&pf->dsts, dst, dstlen, NULL);
    f->first = first;
    f->in_pkts = in_pkts;
    f->in_bytes = in_bytes;
    f->dport = (uint16_t)dport;
    f->proto = (uint8_t)proto;
    /* SYN counts only on TCP flows: other protocols have no flags to trust. */
    f->syn = proto == 6 && (tcp_flags & 2);
}

/* Resizes a per-window array of doubles to n entries. */
static double *grow(double *p, size_t n)
{
    return nf_xrealloc(p, (n ? n : 1) * sizeof *p);
}

/* Source, then start time, then input order: the order inter_arrival_ms walks. */
static const struct pf_flow *sort_flows;
static int by_src_time(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const struct pf_flow *x = &sort_flows[i], *y = &sort_flows[j];
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Adds -p log2 p of every (source, value) count of t to ent[source]. */
static void add_entropy(const struct strtab *t, const double *count, const double *s_flows,
                        double *ent)
{
    size_t i;
    for (i = 0; i < t->n; i++) {
        uint32_t s;
        double p;
        memcpy(&s, strtab_key(t, (uint32_t)i, NULL), sizeof s);
        p = count[i] / s_flows[s];
        ent[s] -= p * log2(p);
    }
}

static void count_values(struct perflow *pf, struct strtab *t, int which)
{
    size_t i;
    if (pf->v_cap < pf->n) {
        pf->v_cap = pf->n;
        pf->vcount = grow(pf->vcount, pf->v_cap);
    }
    for (i = 0; i < pf->n; i++) {
        const struct pf_flow *f = &pf->flows[i];
        unsigned char key[6];
        int added;
        uint32_t v;
        memcpy(key, &f->src, 4);
        if (which == 0) {
            key[4] = f->proto;
            v = strtab_put(t, key, 5, &added);
        } else {
            memcpy(key + 4, &f->dport, 2);
            v = strtab_put(t, key, 6, &added);
        }
        if (added)
            pf->vcount[v] = 0;
        pf->vcount[v] += 1;
    }
}

void perflow_flush(struct perflow *pf, struct nf_jw *w)
{
    size_t i, ns = pf->srcs.n, nd = pf->dsts.n, norder = 0;
    if (pf->n == 0)
        return;
    if (pf->s_cap < ns) {
        pf->s_cap = ns;
        pf->s_flows = grow(pf->s_flows, ns);
        pf->s_pkts = grow(pf->s_pkts, ns);
        pf->s_bytes = grow(pf->s_bytes, ns);
        pf->s_syn = grow(pf->s_syn, ns);
        pf->s_dst = grow(pf->s_dst, ns);
        pf->s_ent_proto = grow(pf->s_ent_proto, ns);
        pf->s_ent_port = grow(pf->s_ent_port, ns);
    }
    if (pf->d_cap < nd) {
        pf->d_cap = nd;
        pf->d_src = grow(pf->d_src, nd);
    }
    memset(pf->s_flows, 0, ns * sizeof(double));
    memset(pf->s_pkts, 0, ns * sizeof(double));
    memset(pf->s_bytes, 0, ns * sizeof(double));
    memset(pf->s_syn, 0, ns * sizeof(double));
    memset(pf->s_dst, 0, ns * sizeof(double));
    memset(pf->s_ent_proto, 0, ns * sizeof(double));
    memset(pf->s_ent_port, 0, ns * sizeof(double));
    memset(pf->d_src, 0, nd * sizeof(double));

    for (i = 0; i < pf->n; i++) {
        const struct pf_flow *f = &pf->flows[i];
        uint32_t key[2] = {f->src, f->dst};
        int added;
        pf->s_flows[f->src] += 1;
        pf->s_pkts[f->src] += f->in_pkts;
        pf->s_bytes[f->src] += f->in_bytes;
        pf->s_syn[f->src] += f->syn;
        strtab_put(&pf->pairs, key, sizeof key, &added);
        if (added) {
            pf->s_dst[f->src] += 1;
            pf->d_src[f->dst] += 1;
        }
    }
    count_values(pf, &pf->sprotos, 0);
    add_entropy(&pf->sprotos, pf->vcount, pf->s_flows, pf->s_ent_proto);
    count_values(pf, &pf->sports, 1);
    add_entropy(&pf->sports, pf->vcount, pf->s_flows, pf->s_ent_port);

    /* inter_arrival_ms: gap to the previous start of the same source in this window. */
    if (pf->order_cap < pf->n) {
        pf->order_cap = pf->n;
        pf->order = nf_xrealloc(pf->order, pf->order_cap * sizeof *pf->order);
    }
    for (i = 0; i < pf->n; i++) {
        pf->flows[i].inter = 0;
        if (pf->flows[i].first != INT64_MIN)
            pf->order[norder++] = (uint32_t)i;
    }
    sort_flows = pf->flows;
    qsort(pf->order, norder, sizeof *pf->order, by_src_time);
    for (i = 1; i < norder; i++) {
        struct pf_flow *cur = &pf->flows[pf->order[i]];
        const struct pf_flow *prev = &pf->flows[pf->order[i - 1]];
        if (cur->src == prev->src)
            cur->inter = (double)(cur->first - prev->first);
    }

    /* dst_flows_in_window needs flows per destination: reuse vcount. */
    if (pf->v_cap < nd) {
        pf->v_cap = nd;
        pf->vcount = grow(pf->vcount, pf->v_cap);
    }
    memset(pf->vcount, 0, nd * sizeof(double));
    for (i = 0; i < pf->n; i++)
        pf->vcount[pf->flows[i].dst] += 1;

    for (i = 0; i < pf->n; i++) {
        const struct pf_flow *f = &pf->flows[i];
        double v[NF_NCONTEXT];
        nf_jw_begin(w);
        nf_jw_members(w, pf->arena + f->moff, f->mlen);
        v[NF_C_avg_in_packet_size] = f->in_pkts != 0 ? f->in_bytes / f->in_pkts : 0;
        v[NF_C_inter_arrival_ms] = f->inter;
        v[NF_C_src_flows_in_window] = pf->s_flows[f->src];
        v[NF_C_dst_flows_in_window] = pf->vcount[f->dst];
        v[NF_C_src_IN_PKTS_sum] = pf->s_pkts[f->src];
        v[NF_C_src_IN_BYTES_sum] = pf->s_bytes[f->src];
        v[NF_C_src_flag_SYN] = pf->s_syn[f->src];
        v[NF_C_src_entropy_PROTOCOL] = pf->s_ent_proto[f->src];
        v[NF_C_src_entropy_L4_DST_PORT] = pf->s_ent_port[f->src];
        v[NF_C_src_distinct_dst] = pf->s_dst[f->src];
        v[NF_C_dst_distinct_src] = pf->d_src[f->dst];
        write_context(w, v);
        nf_jw_end(w);
    }
    pf->n = 0;
    pf->alen = 0;
    strtab_clear(&pf->srcs);
    strtab_clear(&pf->dsts);
    strtab_clear(&pf->pairs);
    strtab_clear(&pf->sprotos);
    strtab_clear(&pf->sports);
}
