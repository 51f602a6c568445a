/*
 * featinfo.c - what a column means to a person. The 116 interval features,
 * the per-flow context features and the flow medians have their label,
 * category and unit in lib/features.def, lib/context.def and
 * lib/medians.def; here are the flow record's
 * counters, which only nf-explain labels, and what each sum feature
 * counts in nf-window's records (for attribution).
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <stdio.h>
#include <string.h>

#include "featinfo.h"

/* The flow record's counters (docs/records.md; lib/flow.c owns the keys). */
static const struct nf_feature flow_counters[] = {
    {"IN_BYTES", "bytes in the flow's direction", NF_CAT_FLOW, NF_UNIT_BYTES, 1},
    {"IN_PKTS", "packets in the flow's direction", NF_CAT_FLOW, NF_UNIT_PACKETS, 1},
    {"OUT_BYTES", "bytes in the reverse direction", NF_CAT_FLOW, NF_UNIT_BYTES, 1},
    {"OUT_PKTS", "packets in the reverse direction", NF_CAT_FLOW, NF_UNIT_PACKETS, 1},
    {"FLOW_DURATION_MILLISECONDS", "flow duration", NF_CAT_FLOW, NF_UNIT_MS, 1},
    {"FLOWS", "flows aggregated in the record", NF_CAT_FLOW, NF_UNIT_FLOWS, 1},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const struct nf_feature *nfx_feat_find(const char *name)
{
    const struct nf_feature *f;
    size_t i;
    if ((f = nf_feature_find(name)) != NULL || (f = nf_context_find(name)) != NULL ||
        (f = nf_median_find(name)) != NULL)
        return f;
    for (i = 0; i < NELEM(flow_counters); i++)
        if (strcmp(flow_counters[i].name, name) == 0)
            return &flow_counters[i];
    return NULL;
}

struct nf_feature nfx_feat_of(const char *name)
{
    const struct nf_feature *f = nfx_feat_find(name);
    if (f)
        return *f;
    struct nf_feature unknown = {name, name, NF_CAT_UNKNOWN, NF_UNIT_NUMBER, 0};
    return unknown;
}

/*
 * What each sum and share feature counts (docs/features.md): the features
 * attribution splits over keys. TCP_mean_* and UDP_mean_* divide by the
 * number of protocol numbers of their class, which is 1 (or the sum is 0),
 * so they are the sum itself; Other_mean_* divide by a count of protocols
 * and are not sums, nor are means and SDs over records or subnet counts.
 */
static const struct nfx_quantity quantities[] = {
    {NF_F_n, NFX_Q_ALL, NFX_Q_ANY, NFX_Q_RECORDS},
    {NF_F_flows, NFX_Q_ALL, NFX_Q_ANY, NFX_Q_FLOWS},
    {NF_F_bytes, NFX_Q_ALL, NFX_Q_ANY, NFX_Q_BYTES},
    {NF_F_packets, NFX_Q_ALL, NFX_Q_ANY, NFX_Q_PACKETS},
    {NF_F_in_n, NFX_Q_IN, NFX_Q_ANY, NFX_Q_RECORDS},
    {NF_F_in_flows, NFX_Q_IN, NFX_Q_ANY, NFX_Q_FLOWS},
    {NF_F_in_packets, NFX_Q_IN, NFX_Q_ANY, NFX_Q_PACKETS},
    {NF_F_in_bytes, NFX_Q_IN, NFX_Q_ANY, NFX_Q_BYTES},
    {NF_F_out_n, NFX_Q_OUT, NFX_Q_ANY, NFX_Q_RECORDS},
    {NF_F_out_flows, NFX_Q_OUT, NFX_Q_ANY, NFX_Q_FLOWS},
    {NF_F_out_packets, NFX_Q_OUT, NFX_Q_ANY, NFX_Q_PACKETS},
    {NF_F_out_bytes, NFX_Q_OUT, NFX_Q_ANY, NFX_Q_BYTES},
    {NF_F_TCP_n_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_RECORDS},
    {NF_F_TCP_bytes_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_packets_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_TCP_flows_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_n_share_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_RECORDS},
    {NF_F_TCP_bytes_share_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_packets_share_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_TCP_flows_share_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_mean_flows_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_mean_bytes_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_mean_packets_in, NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_TCP_n_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_RECORDS},
    {NF_F_TCP_bytes_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_packets_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_TCP_flows_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_n_share_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_RECORDS},
    {NF_F_TCP_bytes_share_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_packets_share_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_TCP_flows_share_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_mean_flows_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS},
    {NF_F_TCP_mean_bytes_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES},
    {NF_F_TCP_mean_packets_out, NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS},
    {NF_F_UDP_n_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_RECORDS},
    {NF_F_UDP_bytes_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_packets_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_UDP_flows_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_n_share_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_RECORDS},
    {NF_F_UDP_bytes_share_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_packets_share_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_UDP_flows_share_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_mean_flows_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_mean_bytes_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_mean_packets_in, NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_UDP_n_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_RECORDS},
    {NF_F_UDP_bytes_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_packets_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_UDP_flows_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_n_share_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_RECORDS},
    {NF_F_UDP_bytes_share_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_packets_share_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_UDP_flows_share_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_mean_flows_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS},
    {NF_F_UDP_mean_bytes_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES},
    {NF_F_UDP_mean_packets_out, NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS},
    {NF_F_Other_n_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_RECORDS},
    {NF_F_Other_bytes_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_BYTES},
    {NF_F_Other_packets_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_PACKETS},
    {NF_F_Other_flows_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_FLOWS},
    {NF_F_Other_n_share_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_RECORDS},
    {NF_F_Other_bytes_share_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_BYTES},
    {NF_F_Other_packets_share_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_PACKETS},
    {NF_F_Other_flows_share_in, NFX_Q_IN, NFX_Q_OTHER, NFX_Q_FLOWS},
    {NF_F_Other_n_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_RECORDS},
    {NF_F_Other_bytes_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_BYTES},
    {NF_F_Other_packets_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_PACKETS},
    {NF_F_Other_flows_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_FLOWS},
    {NF_F_Other_n_share_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_RECORDS},
    {NF_F_Other_bytes_share_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_BYTES},
    {NF_F_Other_packets_share_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_PACKETS},
    {NF_F_Other_flows_share_out, NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_FLOWS},
};

const struct nfx_quantity *nfx_quantity_of(const char *feature)
{
    const struct nf_feature *f = nf_feature_find(feature);
    size_t i;
    if (!f)
        return NULL;
    for (i = 0; i < NELEM(quantities); i++)
        if (quantities[i].feature == f - nf_features)
            return &quantities[i];
    return NULL;
}

const char *nfx_quantity_name(const struct nfx_quantity *q)
{
    return nf_features[q->feature].name;
}

int nfx_quantity_share(const struct nfx_quantity *q)
{
    return nf_features[q->feature].unit == NF_UNIT_SHARE;
}

const char *nfx_quantity_counts(const struct nfx_quantity *q, char *buf, size_t size)
{
    static const char *measure[] = {"records", "flows", "packets", "bytes"};
    static const char *proto[] = {"", "TCP ", "UDP ", "other-protocol "};
    static const char *dir[] = {"with an internal side", "whose destination is internal",
                                "whose source is internal"};
    if (nfx_quantity_share(q))
        snprintf(buf, size, "%s of %srecords %s over %s of all records %s", measure[q->measure],
                 proto[q->proto], dir[q->dir], measure[q->measure], dir[q->dir]);
    else
        snprintf(buf, size, "%s of %srecords %s", measure[q->measure], proto[q->proto], dir[q->dir]);
    return buf;
}
