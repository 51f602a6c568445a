/*
 * json_collectors.c - the JSON flow records that two collectors people
 * run write, mapped onto the record contract (docs/records.md):
 *   - pmacct (nfacctd/sfacctd print, Kafka or AMQP plugins with
 *     output: json): ip_src, ip_dst, port_src, port_dst, ip_proto,
 *     tcp_flags, packets, bytes, flows, tos, iface_in, iface_out,
 *     mask_src, mask_dst, as_src, as_dst, peer_ip_src,
 *     timestamp_start, timestamp_end, timestamp_export, sampling_rate;
 *   - GoFlow2 (its JSON format): v1's SrcAddr, DstAddr, SrcPort,
 *     DstPort, Proto, Bytes, Packets, TimeFlowStartNs, TimeFlowEndNs,
 *     SequenceNum, SamplerAddress, SamplingRate, InIf, OutIf, SrcAS,
 *     DstAS, SrcNet, DstNet, IPTos, TCPFlags, TimeReceived, and v2's
 *     snake_case names of the same fields (src_addr, time_flow_start_ns).
 * Each line is one JSON object read with cJSON; a key that is absent is
 * left out of the record; a key of the wrong kind rejects the line naming
 * the key. Keys not mapped are not passed through (they are the
 * collector's, not flow data).
 */
#include "parse.h"

#include "csv_fields.h"
#include "rec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The first of the names present in obj (pmacct and GoFlow2 v1/v2 spell fields apart). */
static const cJSON *field(const cJSON *obj, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);
    if ((!v || cJSON_IsNull(v)) && b)
        v = cJSON_GetObjectItemCaseSensitive(obj, b);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

/* An unsigned integer as a JSON number or a decimal string. 1 found, 0 absent, -1 bad. */
static int get_u64(const cJSON *v, uint64_t max, uint64_t *out)
{
    if (!v)
        return 0;
    if (cJSON_IsString(v))
        return fld_u64(v->valuestring, strlen(v->valuestring), max, out) == 0 ? 1 : -1;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > (double)max ||
        v->valuedouble != floor(v->valuedouble))
        return -1;
    /* cJSON keeps numbers as double: exact up to 2^53, which byte counts stay below */
    *out = (uint64_t)v->valuedouble;
    return 1;
}

static int get_addr(const cJSON *v, struct nf_addr *a)
{
    if (!v)
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    return nf_addr_parse(v->valuestring, strlen(v->valuestring), a) == 0 ? 1 : -1;
}

/* A protocol as a number or a name ("udp", "TCP", "ipv6-icmp"). */
static int get_proto(const cJSON *v, uint8_t *out)
{
    uint64_t n;
    int rc;
    if (v && cJSON_IsString(v)) {
        rc = fld_protocol(v->valuestring, strlen(v->valuestring));
        if (rc < 0)
            return -1;
        *out = (uint8_t)rc;
        return 1;
    }
    rc = get_u64(v, 255, &n);
    if (rc == 1)
        *out = (uint8_t)n;
    return rc;
}

/*
 * pmacct's tcp_flags: a number, a decimal string, or (newer releases with
 * tcpflags_encode) an array of flag names such as ["SYN","ACK"].
 */
static int get_tcp_flags(const cJSON *v, uint16_t *out)
{
    static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    uint64_t n;
    int rc;
    if (v && cJSON_IsArray(v)) {
        const cJSON *e;
        *out = 0;
        cJSON_ArrayForEach(e, v) {
            size_t i;
            if (!cJSON_IsString(e))
                return -1;
            for (i = 0; i < 8; i++)
                if (strcasecmp(e->valuestring, names[i]) == 0)
                    break;
            if (i == 8)
                return -1;
            *out |= (uint16_t)(1u << i);
        }
        return 1;
    }
    rc = get_u64(v, 255, &n);
    if (rc == 1)
        *out = (uint16_t)n;
    return rc;
}

/*
 * pmacct's timestamps: "2023-02-28 10:26:01.123456" in UTC (or the --tz
 * zone), or seconds since the epoch with timestamps_since_epoch
 * ("1677577561.123456" or a number). A zero time is no time.
 */
static int get_pmacct_time(const cJSON *v, struct nf_tz *tz, int64_t *ms)
{
    const char *s;
    size_t n;
    uint64_t whole;
    if (!v)
        return 0;
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble < 0 || v->valuedouble > 1e13)
            return -1;
        *ms = (int64_t)llround(v->valuedouble * 1000.0);
        return *ms ? 1 : 0;
    }
    if (!cJSON_IsString(v))
        return -1;
    s = v->valuestring;
    n = strlen(s);
    if (fld_seconds_ms(s, n, &whole) == 0) {
        *ms = (int64_t)whole;
        return *ms ? 1 : 0;
    }
    if (nf_time_parse(s, n, tz, ms) != 0)
        return -1;
    return strncmp(s, "1970-01-01 00:00:00", 19) == 0 ? 0 : 1;
}

/* GoFlow2 times: ns (v1 TimeFlowStartNs, v2 time_flow_start_ns) or seconds (v1 TimeFlowStart). */
static int get_goflow_time(const cJSON *obj, const char *ns1, const char *ns2, const char *s1,
                           int64_t *ms)
{
    const cJSON *ns = field(obj, ns1, ns2);
    uint64_t v;
    int rc;
    if (ns && cJSON_IsNumber(ns)) {
        /*
         * cJSON holds numbers as doubles: epoch ns are exact to about 256 ns,
         * so rounding to the ms is exact except within 256 ns of a half ms.
         */
        if (ns->valuedouble < 0 || ns->valuedouble > 1e20)
            return -1;
        *ms = (int64_t)llround(ns->valuedouble / 1e6);
        return *ms ? 1 : 0;
    }
    rc = get_u64(ns, UINT64_MAX, &v);
    if (rc == 1) {
        *ms = (int64_t)(v / 1000000);
        return *ms ? 1 : 0;
    }
    if (rc < 0)
        return -1;
    rc = get_u64(field(obj, s1, NULL), 100000000000ull, &v);
    if (rc == 1)
        *ms = (int64_t)v * 1000;
    return rc == 1 && *ms ? 1 : rc;
}

#define TAKE(expr, key)                                                                   \
    do {                                                                                  \
        int rc_ = (expr);                                                                 \
        if (rc_ < 0) {                                                                    \
            snprintf(why, whylen, "%s: not a value nf-parse can read", key);              \
            return -1;                                                                    \
        }                                                                                 \
    } while (0)

static void set_times(struct nf_flow *f, int hs, int64_t s, int he, int64_t e)
{
    if (!hs && !he)
        return;
    if (!hs)
        s = e;
    if (!he)
        e = s;
    f->has_time = 1;
    f->first_ms = s;
    f->last_ms = e;
    f->duration_ms = e > s ? (uint64_t)(e - s) : 0;
}

static int pmacct_flow(const cJSON *o, struct parse_ctx *ctx, struct nf_flow *f, char *why,
                       size_t whylen)
{
    uint64_t u;
    int64_t s = 0, e = 0, x = 0;
    int hs, he, rc;
    if (!field(o, "ip_src", NULL) || !field(o, "ip_dst", NULL)) {
        snprintf(why, whylen, "ip_src and ip_dst: required (aggregate on src_host, dst_host)");
        return -1;
    }
    TAKE(get_addr(field(o, "ip_src", NULL), &f->src), "ip_src");
    TAKE(get_addr(field(o, "ip_dst", NULL), &f->dst), "ip_dst");
    TAKE(rc = get_u64(field(o, "port_src", NULL), 65535, &u), "port_src");
    if (rc == 1)
        f->src_port = (uint16_t)u;
    TAKE(rc = get_u64(field(o, "port_dst", NULL), 65535, &u), "port_dst");
    if (rc == 1)
        f->dst_port = (uint16_t)u;
    TAKE(get_proto(field(o, "ip_proto", NULL), &f->proto), "ip_proto");
    TAKE(get_tcp_flags(field(o, "tcp_flags", NULL), &f->tcp_flags), "tcp_flags");
    TAKE(get_u64(field(o, "packets", NULL), UINT64_MAX, &f->in_pkts), "packets");
    TAKE(get_u64(field(o, "bytes", NULL), UINT64_MAX, &f->in_bytes), "bytes");
    TAKE(rc = get_u64(field(o, "flows", NULL), UINT64_MAX, &u), "flows");
    if (rc == 1 && u > 0)
        f->flows = u;
    TAKE(rc = get_u64(field(o, "tos", NULL), 255, &u), "tos");
    if (rc == 1) {
        f->src_tos = (uint8_t)u;
        f->present |= NF_HAS_SRC_TOS;
    }
    TAKE(rc = get_u64(field(o, "iface_in", NULL), UINT32_MAX, &u), "iface_in");
    if (rc == 1) {
        f->input_snmp = (uint32_t)u;
        f->present |= NF_HAS_INPUT_SNMP;
    }
    TAKE(rc = get_u64(field(o, "iface_out", NULL), UINT32_MAX, &u), "iface_out");
    if (rc == 1) {
        f->output_snmp = (uint32_t)u;
        f->present |= NF_HAS_OUTPUT_SNMP;
    }
    TAKE(rc = get_u64(field(o, "as_src", NULL), UINT32_MAX, &u), "as_src");
    if (rc == 1) {
        f->src_as = (uint32_t)u;
        f->present |= NF_HAS_SRC_AS;
    }
    TAKE(rc = get_u64(field(o, "as_dst", NULL), UINT32_MAX, &u), "as_dst");
    if (rc == 1) {
        f->dst_as = (uint32_t)u;
        f->present |= NF_HAS_DST_AS;
    }
    TAKE(rc = get_u64(field(o, "mask_src", NULL), 128, &u), "mask_src");
    if (rc == 1) {
        f->src_mask = (uint8_t)u;
        f->present |= NF_HAS_SRC_MASK;
    }
    TAKE(rc = get_u64(field(o, "mask_dst", NULL), 128, &u), "mask_dst");
    if (rc == 1) {
        f->dst_mask = (uint8_t)u;
        f->present |= NF_HAS_DST_MASK;
    }
    TAKE(rc = get_addr(field(o, "peer_ip_src", NULL), &f->exporter), "peer_ip_src");
    if (rc == 1)
        f->present |= NF_HAS_EXPORTER;
    TAKE(rc = get_u64(field(o, "sampling_rate", NULL), UINT32_MAX, &u), "sampling_rate");
    if (rc == 1 && u > 0) {
        f->sampling_interval = u;
        f->present |= NF_HAS_SAMPLING;
    }
    TAKE(hs = get_pmacct_time(field(o, "timestamp_start", NULL), &ctx->tz, &s), "timestamp_start");
    TAKE(he = get_pmacct_time(field(o, "timestamp_end", NULL), &ctx->tz, &e), "timestamp_end");
    set_times(f, hs == 1, s, he == 1, e);
    TAKE(rc = get_pmacct_time(field(o, "timestamp_export", NULL), &ctx->tz, &x), "timestamp_export");
    if (rc == 1) {
        f->export_ms = x;
        f->present |= NF_HAS_EXPORT_TIME;
    }
    return 0;
}

static int goflow2_flow(const cJSON *o, struct nf_flow *f, char *why, size_t whylen)
{
    uint64_t u;
    int64_t s = 0, e = 0;
    int hs, he, rc;
    if (!field(o, "SrcAddr", "src_addr") || !field(o, "DstAddr", "dst_addr")) {
        snprintf(why, whylen, "SrcAddr and DstAddr (src_addr, dst_addr): required");
        return -1;
    }
    TAKE(get_addr(field(o, "SrcAddr", "src_addr"), &f->src), "SrcAddr");
    TAKE(get_addr(field(o, "DstAddr", "dst_addr"), &f->dst), "DstAddr");
    TAKE(rc = get_u64(field(o, "SrcPort", "src_port"), 65535, &u), "SrcPort");
    if (rc == 1)
        f->src_port = (uint16_t)u;
    TAKE(rc = get_u64(field(o, "DstPort", "dst_port"), 65535, &u), "DstPort");
    if (rc == 1)
        f->dst_port = (uint16_t)u;
    TAKE(get_proto(field(o, "Proto", "proto"), &f->proto), "Proto");
    TAKE(get_tcp_flags(field(o, "TCPFlags", "tcp_flags"), &f->tcp_flags), "TCPFlags");
    TAKE(get_u64(field(o, "Packets", "packets"), UINT64_MAX, &f->in_pkts), "Packets");
    TAKE(get_u64(field(o, "Bytes", "bytes"), UINT64_MAX, &f->in_bytes), "Bytes");
    TAKE(rc = get_u64(field(o, "IPTos", "ip_tos"), 255, &u), "IPTos");
    if (rc == 1) {
        f->src_tos = (uint8_t)u;
        f->present |= NF_HAS_SRC_TOS;
    }
    TAKE(rc = get_u64(field(o, "InIf", "in_if"), UINT32_MAX, &u), "InIf");
    if (rc == 1) {
        f->input_snmp = (uint32_t)u;
        f->present |= NF_HAS_INPUT_SNMP;
    }
    TAKE(rc = get_u64(field(o, "OutIf", "out_if"), UINT32_MAX, &u), "OutIf");
    if (rc == 1) {
        f->output_snmp = (uint32_t)u;
        f->present |= NF_HAS_OUTPUT_SNMP;
    }
    TAKE(rc = get_u64(field(o, "SrcAS", "src_as"), UINT32_MAX, &u), "SrcAS");
    if (rc == 1) {
        f->src_as = (uint32_t)u;
        f->present |= NF_HAS_SRC_AS;
    }
    TAKE(rc = get_u64(field(o, "DstAS", "dst_as"), UINT32_MAX, &u), "DstAS");
    if (rc == 1) {
        f->dst_as = (uint32_t)u;
        f->present |= NF_HAS_DST_AS;
    }
    TAKE(rc = get_u64(field(o, "SrcNet", "src_net"), 128, &u), "SrcNet");
    if (rc == 1) {
        f->src_mask = (uint8_t)u;
        f->present |= NF_HAS_SRC_MASK;
    }
    TAKE(rc = get_u64(field(o, "DstNet", "dst_net"), 128, &u), "DstNet");
    if (rc == 1) {
        f->dst_mask = (uint8_t)u;
        f->present |= NF_HAS_DST_MASK;
    }
    TAKE(rc = get_addr(field(o, "SamplerAddress", "sampler_address"), &f->exporter),
         "SamplerAddress");
    if (rc == 1)
        f->present |= NF_HAS_EXPORTER;
    TAKE(rc = get_u64(field(o, "SamplingRate", "sampling_rate"), UINT32_MAX, &u), "SamplingRate");
    if (rc == 1 && u > 0) {
        f->sampling_interval = u;
        f->present |= NF_HAS_SAMPLING;
    }
    TAKE(hs = get_goflow_time(o, "TimeFlowStartNs", "time_flow_start_ns", "TimeFlowStart", &s),
         "TimeFlowStartNs");
    TAKE(he = get_goflow_time(o, "TimeFlowEndNs", "time_flow_end_ns", "TimeFlowEnd", &e),
         "TimeFlowEndNs");
    set_times(f, hs == 1, s, he == 1, e);
    TAKE(rc = get_goflow_time(o, "TimeReceivedNs", "time_received_ns", "TimeReceived", &s),
         "TimeReceivedNs");
    if (rc == 1) {
        f->export_ms = s;
        f->present |= NF_HAS_EXPORT_TIME;
    }
    return 0;
}

void parse_collector_json(struct parse_ctx *ctx, FILE *in, const char *name, int goflow2)
{
    struct nf_lines lines;
    cJSON *obj;
    nf_lines_init_stream(&lines, in, name);
    while ((obj = nf_rec_next(&lines, &ctx->rej)) != NULL) {
        struct nf_flow flow;
        char why[160];
        int rc;
        memset(&flow, 0, sizeof flow);
        flow.flows = 1;
        rc = goflow2 ? goflow2_flow(obj, &flow, why, sizeof why)
                     : pmacct_flow(obj, ctx, &flow, why, sizeof why);
        cJSON_Delete(obj);
        if (rc != 0) {
            nf_reject(&ctx->rej, name, lines.lineno, lines.buf, lines.len, "%s", why);
            continue;
        }
        parse_emit(ctx, &flow);
    }
    nf_lines_free(&lines);
}
