/*
 * flow.h - the flow record of docs/records.md: one struct that every
 * decoder fills, one writer that prints it in the fixed key order, and
 * one reader that validates a record coming back in as JSON.
 */
#ifndef NF_FLOW_H
#define NF_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "addr.h"
#include "jsonw.h"

/* Optional fields: a bit per field in nf_flow.present. */
enum {
    NF_HAS_SRC_TOS = 1u << 0,
    NF_HAS_DST_TOS = 1u << 1,
    NF_HAS_INPUT_SNMP = 1u << 2,
    NF_HAS_OUTPUT_SNMP = 1u << 3,
    NF_HAS_SRC_AS = 1u << 4,
    NF_HAS_DST_AS = 1u << 5,
    NF_HAS_SRC_MASK = 1u << 6,
    NF_HAS_DST_MASK = 1u << 7,
    NF_HAS_NEXT_HOP = 1u << 8,
    NF_HAS_DIRECTION = 1u << 9,
    NF_HAS_EXPORTER = 1u << 10,
    NF_HAS_DOMAIN = 1u << 11,
    NF_HAS_SAMPLING = 1u << 12,
    NF_HAS_EXPORT_TIME = 1u << 13,
};

struct nf_flow {
    uint64_t id;
    struct nf_addr src, dst;
    uint16_t src_port, dst_port;
    uint8_t proto;
    uint16_t tcp_flags;
    int has_time;              /* 0: the source gave no timestamps (written as null) */
    int64_t first_ms, last_ms; /* epoch ms UTC */
    uint64_t duration_ms;
    uint64_t in_pkts, in_bytes, out_pkts, out_bytes, flows;

    uint32_t present; /* NF_HAS_* */
    uint8_t src_tos, dst_tos, src_mask, dst_mask, direction;
    uint32_t input_snmp, output_snmp, src_as, dst_as, domain_id;
    struct nf_addr next_hop, exporter;
    uint64_t sampling_interval;
    int64_t export_ms;
};

/* Every key the flow record owns, in output order (for pass-through skip lists). */
extern const char *const nf_flow_keys[];
extern const size_t nf_flow_nkeys;

/* Writes the members of f (no braces), in the fixed order. */
void nf_flow_write_members(struct nf_jw *w, const struct nf_flow *f);
/* A whole record: begin, members, end. */
void nf_flow_write(struct nf_jw *w, const struct nf_flow *f);

/*
 * Reads a flow record back from JSON. Required keys must be present with
 * the right type; optional keys are taken when present. On failure returns
 * -1 and a reason in why (e.g. "IN_BYTES: expected an unsigned integer").
 */
int nf_flow_from_json(const cJSON *obj, struct nf_flow *f, char *why, size_t whylen);

/* TCP flag bits as in NetFlow (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128). */
enum {
    NF_TCP_FIN = 0x01, NF_TCP_SYN = 0x02, NF_TCP_RST = 0x04, NF_TCP_PSH = 0x08,
    NF_TCP_ACK = 0x10, NF_TCP_URG = 0x20, NF_TCP_ECE = 0x40, NF_TCP_CWR = 0x80,
};

#endif
