/* medians.c - the flow medians of --flow-medians (medians.h). */
#include "medians.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "err.h"

#define FLOWS_OF(s) ((s)->len[NF_M_int_packets_median])

void medians_init(struct medians *m, const struct nf_cidr_list *internal, size_t min_flows,
                  int64_t span_ms)
{
    memset(m, 0, sizeof *m);
    m->internal = internal;
    m->min_flows = min_flows;
    m->span_ms = span_ms;
}

static void sample_free(struct msample *s)
{
    int c;
    for (c = 0; c < NF_NMEDIANS; c++)
        free(s->col[c]);
    memset(s, 0, sizeof *s);
}

void medians_free(struct medians *m)
{
    size_t i;
    sample_free(&m->cur);
    for (i = 0; i < m->npast; i++)
        sample_free(&m->past[i]);
    free(m->past);
    free(m->scratch);
    memset(m, 0, sizeof *m);
}

static void push(struct msample *s, int c, double v)
{
    if (s->len[c] == s->cap[c]) {
        s->cap[c] = s->cap[c] ? 2 * s->cap[c] : 64;
        s->col[c] = nf_xrealloc(s->col[c], s->cap[c] * sizeof *s->col[c]);
    }
    s->col[c][s->len[c]++] = v;
}

void medians_add(struct medians *m, const struct nf_flow *f)
{
    int src_in = nf_cidr_list_contains(m->internal, &f->src);
    int dst_in = nf_cidr_list_contains(m->internal, &f->dst);
    /* IN_ counters are source to destination, OUT_ the reverse (docs/records.md) */
    double int_p = (double)(src_in ? f->in_pkts : f->out_pkts);
    double int_b = (double)(src_in ? f->in_bytes : f->out_bytes);
    double ext_p = (double)(src_in ? f->out_pkts : f->in_pkts);
    double ext_b = (double)(src_in ? f->out_bytes : f->in_bytes);
    if (src_in == dst_in)
        return;
    m->crossing++;
    push(&m->cur, NF_M_int_packets_median, int_p);
    push(&m->cur, NF_M_int_bytes_median, int_b);
    push(&m->cur, NF_M_ext_packets_median, ext_p);
    push(&m->cur, NF_M_ext_bytes_median, ext_b);
    if (ext_p > 0)
        push(&m->cur, NF_M_ext_packet_size_median, ext_b / ext_p);
}

/* Appends column c of s to the scratch pool at *n. */
static void pool_column(struct medians *m, const struct msample *s, int c, size_t *n)
{
    if (*n + s->len[c] > m->capscratch) {
        m->capscratch = 2 * (*n + s->len[c]);
        m->scratch = nf_xrealloc(m->scratch, m->capscratch * sizeof *m->scratch);
    }
    if (s->len[c])
        memcpy(m->scratch + *n, s->col[c], s->len[c] * sizeof *s->col[c]);
    *n += s->len[c];
}

/* The median of column c over the current window and past[from..]; 0 with no value. */
static double pooled_median(struct medians *m, size_t from, int c)
{
    size_t n = 0, i;
    pool_column(m, &m->cur, c, &n);
    for (i = from; i < m->npast; i++)
        pool_column(m, &m->past[i], c, &n);
    if (n == 0)
        return 0;
    gsl_sort(m->scratch, 1, n);
    return gsl_stats_median_from_sorted_data(m->scratch, 1, n);
}

/* Forgets the past windows that start more than span before start. */
static void drop_expired(struct medians *m, int64_t start)
{
    size_t old = 0, i;
    while (old < m->npast && m->past[old].start < start - m->span_ms)
        old++;
    if (old == 0)
        return;
    for (i = 0; i < old; i++)
        sample_free(&m->past[i]);
    memmove(m->past, m->past + old, (m->npast - old) * sizeof *m->past);
    m->npast -= old;
}

void medians_compute(struct medians *m, int64_t start, double out[NF_NMEDIANS])
{
    size_t from, flows;
    int c;
    drop_expired(m, start);
    /* whole windows, nearest first, until the pool has min_flows flows */
    flows = FLOWS_OF(&m->cur);
    for (from = m->npast; from > 0 && flows < m->min_flows; from--)
        flows += FLOWS_OF(&m->past[from - 1]);
    for (c = 0; c < NF_NMEDIANS; c++)
        out[c] = pooled_median(m, from, c);
    if (m->min_flows == 0 || m->span_ms <= 0) {
        sample_free(&m->cur); /* no window is ever pooled */
        return;
    }
    if (m->npast == m->cappast) {
        m->cappast = m->cappast ? 2 * m->cappast : 16;
        m->past = nf_xrealloc(m->past, m->cappast * sizeof *m->past);
    }
    m->cur.start = start;
    m->past[m->npast++] = m->cur;
    memset(&m->cur, 0, sizeof m->cur);
}
