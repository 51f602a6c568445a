/*
 * featinfo.c - what a column means to a person: a label, a category and a
 * unit for each of the 116 interval features (docs/features.md, after the
 * VDS feature list), the flow record keys and the per-flow context
 * features. Labels are written so that they can start a sentence
 * ("UDP share of ingress bytes rose from 12 % to 48 %").
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <stdio.h>
#include <string.h>

#include "featinfo.h"

static const struct nfx_feat interval_features[] = {
    {"n", "records", NFX_CAT_VOLUME, NFX_UNIT_RECORDS},
    {"flows", "flows", NFX_CAT_VOLUME, NFX_UNIT_FLOWS},
    {"bytes", "bytes", NFX_CAT_VOLUME, NFX_UNIT_BYTES},
    {"packets", "packets", NFX_CAT_VOLUME, NFX_UNIT_PACKETS},
    {"in_n", "ingress records", NFX_CAT_VOLUME, NFX_UNIT_RECORDS},
    {"in_flows", "ingress flows", NFX_CAT_VOLUME, NFX_UNIT_FLOWS},
    {"in_packets", "ingress packets", NFX_CAT_VOLUME, NFX_UNIT_PACKETS},
    {"in_bytes", "ingress bytes", NFX_CAT_VOLUME, NFX_UNIT_BYTES},
    {"out_n", "egress records", NFX_CAT_VOLUME, NFX_UNIT_RECORDS},
    {"out_flows", "egress flows", NFX_CAT_VOLUME, NFX_UNIT_FLOWS},
    {"out_packets", "egress packets", NFX_CAT_VOLUME, NFX_UNIT_PACKETS},
    {"out_bytes", "egress bytes", NFX_CAT_VOLUME, NFX_UNIT_BYTES},
    {"n_protocols", "protocols seen", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_COUNT},
    {"n_protocols_ingress", "ingress protocols seen", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_COUNT},
    {"n_protocols_egress", "egress protocols seen", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_COUNT},
    {"dom_prot_share_in", "dominant protocol's share of ingress flows", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_SHARE},
    {"dom_prot_share_out", "dominant protocol's share of egress flows", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_SHARE},
    {"dom_prot_share_total", "dominant protocol's share of all flows", NFX_CAT_PROTOCOL_MIX, NFX_UNIT_SHARE},
    {"n_receiving_subnets", "subnets receiving data", NFX_CAT_SUBNETS, NFX_UNIT_COUNT},
    {"n_sending_subnets", "subnets sending data", NFX_CAT_SUBNETS, NFX_UNIT_COUNT},
    {"TCP_n_in", "TCP ingress records", NFX_CAT_TCP, NFX_UNIT_RECORDS},
    {"TCP_bytes_in", "TCP ingress bytes", NFX_CAT_TCP, NFX_UNIT_BYTES},
    {"TCP_packets_in", "TCP ingress packets", NFX_CAT_TCP, NFX_UNIT_PACKETS},
    {"TCP_flows_in", "TCP ingress flows", NFX_CAT_TCP, NFX_UNIT_FLOWS},
    {"TCP_n_share_in", "TCP share of ingress records", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_bytes_share_in", "TCP share of ingress bytes", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_packets_share_in", "TCP share of ingress packets", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_flows_share_in", "TCP share of ingress flows", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_n_out", "TCP egress records", NFX_CAT_TCP, NFX_UNIT_RECORDS},
    {"TCP_bytes_out", "TCP egress bytes", NFX_CAT_TCP, NFX_UNIT_BYTES},
    {"TCP_packets_out", "TCP egress packets", NFX_CAT_TCP, NFX_UNIT_PACKETS},
    {"TCP_flows_out", "TCP egress flows", NFX_CAT_TCP, NFX_UNIT_FLOWS},
    {"TCP_n_share_out", "TCP share of egress records", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_bytes_share_out", "TCP share of egress bytes", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_packets_share_out", "TCP share of egress packets", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"TCP_flows_share_out", "TCP share of egress flows", NFX_CAT_TCP, NFX_UNIT_SHARE},
    {"UDP_n_in", "UDP ingress records", NFX_CAT_UDP, NFX_UNIT_RECORDS},
    {"UDP_bytes_in", "UDP ingress bytes", NFX_CAT_UDP, NFX_UNIT_BYTES},
    {"UDP_packets_in", "UDP ingress packets", NFX_CAT_UDP, NFX_UNIT_PACKETS},
    {"UDP_flows_in", "UDP ingress flows", NFX_CAT_UDP, NFX_UNIT_FLOWS},
    {"UDP_n_share_in", "UDP share of ingress records", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_bytes_share_in", "UDP share of ingress bytes", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_packets_share_in", "UDP share of ingress packets", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_flows_share_in", "UDP share of ingress flows", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_n_out", "UDP egress records", NFX_CAT_UDP, NFX_UNIT_RECORDS},
    {"UDP_bytes_out", "UDP egress bytes", NFX_CAT_UDP, NFX_UNIT_BYTES},
    {"UDP_packets_out", "UDP egress packets", NFX_CAT_UDP, NFX_UNIT_PACKETS},
    {"UDP_flows_out", "UDP egress flows", NFX_CAT_UDP, NFX_UNIT_FLOWS},
    {"UDP_n_share_out", "UDP share of egress records", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_bytes_share_out", "UDP share of egress bytes", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_packets_share_out", "UDP share of egress packets", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"UDP_flows_share_out", "UDP share of egress flows", NFX_CAT_UDP, NFX_UNIT_SHARE},
    {"Other_n_in", "other-protocol ingress records", NFX_CAT_OTHER, NFX_UNIT_RECORDS},
    {"Other_bytes_in", "other-protocol ingress bytes", NFX_CAT_OTHER, NFX_UNIT_BYTES},
    {"Other_packets_in", "other-protocol ingress packets", NFX_CAT_OTHER, NFX_UNIT_PACKETS},
    {"Other_flows_in", "other-protocol ingress flows", NFX_CAT_OTHER, NFX_UNIT_FLOWS},
    {"Other_n_share_in", "other-protocol share of ingress records", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_bytes_share_in", "other-protocol share of ingress bytes", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_packets_share_in", "other-protocol share of ingress packets", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_flows_share_in", "other-protocol share of ingress flows", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_n_out", "other-protocol egress records", NFX_CAT_OTHER, NFX_UNIT_RECORDS},
    {"Other_bytes_out", "other-protocol egress bytes", NFX_CAT_OTHER, NFX_UNIT_BYTES},
    {"Other_packets_out", "other-protocol egress packets", NFX_CAT_OTHER, NFX_UNIT_PACKETS},
    {"Other_flows_out", "other-protocol egress flows", NFX_CAT_OTHER, NFX_UNIT_FLOWS},
    {"Other_n_share_out", "other-protocol share of egress records", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_bytes_share_out", "other-protocol share of egress bytes", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_packets_share_out", "other-protocol share of egress packets", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"Other_flows_share_out", "other-protocol share of egress flows", NFX_CAT_OTHER, NFX_UNIT_SHARE},
    {"mean_flows", "mean flows per record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"mean_bytes", "mean bytes per record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"mean_packets", "mean packets per record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sd_flows", "SD of flows per record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"sd_bytes", "SD of bytes per record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"sd_packets", "SD of packets per record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"mean_in_flows", "mean flows per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"mean_in_bytes", "mean bytes per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"mean_in_packets", "mean packets per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sd_in_flows", "SD of flows per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"sd_in_bytes", "SD of bytes per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"sd_in_packets", "SD of packets per ingress record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"mean_out_flows", "mean flows per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"mean_out_bytes", "mean bytes per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"mean_out_packets", "mean packets per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sd_out_flows", "SD of flows per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"sd_out_bytes", "SD of bytes per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"sd_out_packets", "SD of packets per egress record", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"mean_packets_per_in_flows", "mean packets per ingress flow", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sd_packets_per_in_flows", "SD of packets per ingress flow", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"mean_packets_per_out_flows", "mean packets per egress flow", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sd_packets_per_out_flows", "SD of packets per egress flow", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"mean_bytes_per_in_packets", "mean bytes per ingress packet", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"sd_bytes_per_in_packets", "SD of bytes per ingress packet", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"mean_bytes_per_out_packets", "mean bytes per egress packet", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"sd_bytes_per_out_packets", "SD of bytes per egress packet", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"Other_mean_flows_in", "other-protocol ingress flows per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"Other_mean_bytes_in", "other-protocol ingress bytes per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"Other_mean_packets_in", "other-protocol ingress packets per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"Other_mean_flows_out", "other-protocol egress flows per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"Other_mean_bytes_out", "other-protocol egress bytes per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"Other_mean_packets_out", "other-protocol egress packets per other protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"TCP_mean_flows_in", "TCP ingress flows per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"TCP_mean_bytes_in", "TCP ingress bytes per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"TCP_mean_packets_in", "TCP ingress packets per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"TCP_mean_flows_out", "TCP egress flows per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"TCP_mean_bytes_out", "TCP egress bytes per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"TCP_mean_packets_out", "TCP egress packets per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"UDP_mean_flows_in", "UDP ingress flows per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"UDP_mean_bytes_in", "UDP ingress bytes per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"UDP_mean_packets_in", "UDP ingress packets per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"UDP_mean_flows_out", "UDP egress flows per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_FLOWS},
    {"UDP_mean_bytes_out", "UDP egress bytes per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_BYTES},
    {"UDP_mean_packets_out", "UDP egress packets per protocol", NFX_CAT_PER_RECORD, NFX_UNIT_PACKETS},
    {"sym_coeff", "direction symmetry of records", NFX_CAT_SYMMETRY, NFX_UNIT_COEFF},
    {"sym_coeff_flows", "direction symmetry of flows", NFX_CAT_SYMMETRY, NFX_UNIT_COEFF},
    {"sym_coeff_bytes", "direction symmetry of bytes", NFX_CAT_SYMMETRY, NFX_UNIT_COEFF},
    {"sym_coeff_packets", "direction symmetry of packets", NFX_CAT_SYMMETRY, NFX_UNIT_COEFF},
};

static const struct nfx_feat flow_features[] = {
    {"IN_BYTES", "bytes in the flow's direction", NFX_CAT_FLOW, NFX_UNIT_BYTES},
    {"IN_PKTS", "packets in the flow's direction", NFX_CAT_FLOW, NFX_UNIT_PACKETS},
    {"OUT_BYTES", "bytes in the reverse direction", NFX_CAT_FLOW, NFX_UNIT_BYTES},
    {"OUT_PKTS", "packets in the reverse direction", NFX_CAT_FLOW, NFX_UNIT_PACKETS},
    {"FLOW_DURATION_MILLISECONDS", "flow duration", NFX_CAT_FLOW, NFX_UNIT_MS},
    {"FLOWS", "flows aggregated in the record", NFX_CAT_FLOW, NFX_UNIT_FLOWS},
    {"avg_in_packet_size", "average packet size", NFX_CAT_FLOW, NFX_UNIT_BYTES},
    {"inter_arrival_ms", "gap since the source's previous flow", NFX_CAT_FLOW, NFX_UNIT_MS},
    {"src_flows_in_window", "flows of the source in the window", NFX_CAT_CONTEXT, NFX_UNIT_FLOWS},
    {"dst_flows_in_window", "flows of the destination in the window", NFX_CAT_CONTEXT, NFX_UNIT_FLOWS},
    {"src_IN_PKTS_sum", "packets sent by the source in the window", NFX_CAT_CONTEXT, NFX_UNIT_PACKETS},
    {"src_IN_BYTES_sum", "bytes sent by the source in the window", NFX_CAT_CONTEXT, NFX_UNIT_BYTES},
    {"src_flag_SYN", "SYN flows of the source in the window", NFX_CAT_CONTEXT, NFX_UNIT_FLOWS},
    {"src_entropy_PROTOCOL", "protocol entropy of the source", NFX_CAT_CONTEXT, NFX_UNIT_BITS},
    {"src_entropy_L4_DST_PORT", "destination-port entropy of the source", NFX_CAT_CONTEXT, NFX_UNIT_BITS},
    {"src_distinct_dst", "distinct destinations of the source", NFX_CAT_CONTEXT, NFX_UNIT_HOSTS},
    {"dst_distinct_src", "distinct sources of the destination", NFX_CAT_CONTEXT, NFX_UNIT_HOSTS},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const category_names[NFX_NCAT] = {
    [NFX_CAT_VOLUME] = "volume",
    [NFX_CAT_PROTOCOL_MIX] = "protocol mix",
    [NFX_CAT_SUBNETS] = "subnets",
    [NFX_CAT_TCP] = "TCP",
    [NFX_CAT_UDP] = "UDP",
    [NFX_CAT_OTHER] = "other protocols",
    [NFX_CAT_PER_RECORD] = "per-record size",
    [NFX_CAT_SYMMETRY] = "direction symmetry",
    [NFX_CAT_FLOW] = "flow record",
    [NFX_CAT_CONTEXT] = "source and destination context",
    [NFX_CAT_UNKNOWN] = "other columns",
};

const struct nfx_feat *nfx_feat_find(const char *name)
{
    for (size_t i = 0; i < NELEM(interval_features); i++)
        if (strcmp(interval_features[i].name, name) == 0)
            return &interval_features[i];
    for (size_t i = 0; i < NELEM(flow_features); i++)
        if (strcmp(flow_features[i].name, name) == 0)
            return &flow_features[i];
    return NULL;
}

struct nfx_feat nfx_feat_of(const char *name)
{
    const struct nfx_feat *f = nfx_feat_find(name);
    if (f)
        return *f;
    struct nfx_feat unknown = {name, name, NFX_CAT_UNKNOWN, NFX_UNIT_NUMBER};
    return unknown;
}

const struct nfx_feat *nfx_interval_feature(size_t i)
{
    return i < NELEM(interval_features) ? &interval_features[i] : NULL;
}

size_t nfx_interval_feature_count(void)
{
    return NELEM(interval_features);
}

const char *nfx_category_name(enum nfx_category c)
{
    return (unsigned)c < NFX_NCAT ? category_names[c] : "other columns";
}

/*
 * What each sum and share feature counts (docs/features.md): the features
 * attribution splits over keys. TCP_mean_* and UDP_mean_* divide by the
 * number of protocol numbers of their class, which is 1 (or the sum is 0),
 * so they are the sum itself; Other_mean_* divide by a count of protocols
 * and are not sums, nor are means and SDs over records or subnet counts.
 */
static const struct nfx_quantity quantities[] = {
    {"n", NFX_Q_ALL, NFX_Q_ANY, NFX_Q_RECORDS, 0},
    {"flows", NFX_Q_ALL, NFX_Q_ANY, NFX_Q_FLOWS, 0},
    {"bytes", NFX_Q_ALL, NFX_Q_ANY, NFX_Q_BYTES, 0},
    {"packets", NFX_Q_ALL, NFX_Q_ANY, NFX_Q_PACKETS, 0},
    {"in_n", NFX_Q_IN, NFX_Q_ANY, NFX_Q_RECORDS, 0},
    {"in_flows", NFX_Q_IN, NFX_Q_ANY, NFX_Q_FLOWS, 0},
    {"in_packets", NFX_Q_IN, NFX_Q_ANY, NFX_Q_PACKETS, 0},
    {"in_bytes", NFX_Q_IN, NFX_Q_ANY, NFX_Q_BYTES, 0},
    {"out_n", NFX_Q_OUT, NFX_Q_ANY, NFX_Q_RECORDS, 0},
    {"out_flows", NFX_Q_OUT, NFX_Q_ANY, NFX_Q_FLOWS, 0},
    {"out_packets", NFX_Q_OUT, NFX_Q_ANY, NFX_Q_PACKETS, 0},
    {"out_bytes", NFX_Q_OUT, NFX_Q_ANY, NFX_Q_BYTES, 0},
    {"TCP_n_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_RECORDS, 0},
    {"TCP_bytes_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES, 0},
    {"TCP_packets_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS, 0},
    {"TCP_flows_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS, 0},
    {"TCP_n_share_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_RECORDS, 1},
    {"TCP_bytes_share_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES, 1},
    {"TCP_packets_share_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS, 1},
    {"TCP_flows_share_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS, 1},
    {"TCP_mean_flows_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_FLOWS, 0},
    {"TCP_mean_bytes_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_BYTES, 0},
    {"TCP_mean_packets_in", NFX_Q_IN, NFX_Q_TCP, NFX_Q_PACKETS, 0},
    {"TCP_n_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_RECORDS, 0},
    {"TCP_bytes_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES, 0},
    {"TCP_packets_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS, 0},
    {"TCP_flows_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS, 0},
    {"TCP_n_share_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_RECORDS, 1},
    {"TCP_bytes_share_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES, 1},
    {"TCP_packets_share_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS, 1},
    {"TCP_flows_share_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS, 1},
    {"TCP_mean_flows_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_FLOWS, 0},
    {"TCP_mean_bytes_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_BYTES, 0},
    {"TCP_mean_packets_out", NFX_Q_OUT, NFX_Q_TCP, NFX_Q_PACKETS, 0},
    {"UDP_n_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_RECORDS, 0},
    {"UDP_bytes_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES, 0},
    {"UDP_packets_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS, 0},
    {"UDP_flows_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS, 0},
    {"UDP_n_share_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_RECORDS, 1},
    {"UDP_bytes_share_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES, 1},
    {"UDP_packets_share_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS, 1},
    {"UDP_flows_share_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS, 1},
    {"UDP_mean_flows_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_FLOWS, 0},
    {"UDP_mean_bytes_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_BYTES, 0},
    {"UDP_mean_packets_in", NFX_Q_IN, NFX_Q_UDP, NFX_Q_PACKETS, 0},
    {"UDP_n_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_RECORDS, 0},
    {"UDP_bytes_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES, 0},
    {"UDP_packets_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS, 0},
    {"UDP_flows_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS, 0},
    {"UDP_n_share_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_RECORDS, 1},
    {"UDP_bytes_share_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES, 1},
    {"UDP_packets_share_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS, 1},
    {"UDP_flows_share_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS, 1},
    {"UDP_mean_flows_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_FLOWS, 0},
    {"UDP_mean_bytes_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_BYTES, 0},
    {"UDP_mean_packets_out", NFX_Q_OUT, NFX_Q_UDP, NFX_Q_PACKETS, 0},
    {"Other_n_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_RECORDS, 0},
    {"Other_bytes_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_BYTES, 0},
    {"Other_packets_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_PACKETS, 0},
    {"Other_flows_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_FLOWS, 0},
    {"Other_n_share_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_RECORDS, 1},
    {"Other_bytes_share_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_BYTES, 1},
    {"Other_packets_share_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_PACKETS, 1},
    {"Other_flows_share_in", NFX_Q_IN, NFX_Q_OTHER, NFX_Q_FLOWS, 1},
    {"Other_n_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_RECORDS, 0},
    {"Other_bytes_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_BYTES, 0},
    {"Other_packets_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_PACKETS, 0},
    {"Other_flows_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_FLOWS, 0},
    {"Other_n_share_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_RECORDS, 1},
    {"Other_bytes_share_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_BYTES, 1},
    {"Other_packets_share_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_PACKETS, 1},
    {"Other_flows_share_out", NFX_Q_OUT, NFX_Q_OTHER, NFX_Q_FLOWS, 1},
};

const struct nfx_quantity *nfx_quantity_of(const char *feature)
{
    size_t i;
    for (i = 0; i < sizeof quantities / sizeof quantities[0]; i++)
        if (strcmp(quantities[i].feature, feature) == 0)
            return &quantities[i];
    return NULL;
}

const char *nfx_quantity_counts(const struct nfx_quantity *q, char *buf, size_t size)
{
    static const char *measure[] = {"records", "flows", "packets", "bytes"};
    static const char *proto[] = {"", "TCP ", "UDP ", "other-protocol "};
    static const char *dir[] = {"with an internal side", "whose destination is internal",
                                "whose source is internal"};
    if (q->share)
        snprintf(buf, size, "%s of %srecords %s over %s of all records %s", measure[q->measure],
                 proto[q->proto], dir[q->dir], measure[q->measure], dir[q->dir]);
    else
        snprintf(buf, size, "%s of %srecords %s", measure[q->measure], proto[q->proto], dir[q->dir]);
    return buf;
}
