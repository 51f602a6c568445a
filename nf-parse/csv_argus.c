/*
 * csv_argus.c - Argus "binetflow" CSV as ra(1) and the CTU datasets print
 * it: StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,
 * TotPkts,TotBytes,SrcBytes,SrcPkts,Label. Columns are found by header
 * name. Argus flows are bidirectional: the source side becomes IN_*, the
 * rest of the totals OUT_*. Dir, State and a non-empty Label are kept as
 * ARGUS_DIR, ARGUS_STATE and LABEL after the flow members.
 */
#include "parse.h"

#include "csv_fields.h"
#include "csv_reader.h"
#include "csv_text.h"

#include <string.h>

enum col {
    A_START, A_DUR, A_PROTO, A_SADDR, A_SPORT, A_DIR, A_DADDR, A_DPORT, A_STATE,
    A_STOS, A_DTOS, A_TOTPKTS, A_TOTBYTES, A_SRCBYTES, A_SRCPKTS, A_LABEL, A_NCOLS
};

static const char *const col_names[A_NCOLS] = {
    "StartTime", "Dur", "Proto", "SrcAddr", "Sport", "Dir", "DstAddr", "Dport", "State",
    "sTos", "dTos", "TotPkts", "TotBytes", "SrcBytes", "SrcPkts", "Label",
};

static const int required[] = {A_START, A_DUR, A_PROTO, A_SADDR, A_DADDR, A_TOTPKTS, A_TOTBYTES};

struct argus {
    struct parse_ctx *ctx;
    const char *name;
    int have_header;
    int idx[A_NCOLS];
    size_t ncols;
    struct time_cache start_cache;
};

/* Argus records of non-IP protocols: kept, with PROTOCOL_NUM 0 and the name in ARGUS_PROTO. */
static int non_ip_protocol(const char *s)
{
    return strcmp(s, "arp") == 0 || strcmp(s, "rarp") == 0 || strcmp(s, "llc") == 0 ||
           strcmp(s, "ipx") == 0 || strcmp(s, "stp") == 0;
}

static void take_header(struct argus *p, const struct csv_row *row)
{
    int missing = fld_header_columns(row->field, row->n, col_names, A_NCOLS, required,
                                     sizeof required / sizeof required[0], p->idx);
    if (missing >= 0)
        nf_die("%s:%llu: Argus CSV header lacks the column '%s'", p->name,
               (unsigned long long)row->line, col_names[missing]);
    p->ncols = row->n;
    p->have_header = 1;
}

#define REJECT(...)                                                             \
    do {                                                                        \
        nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,    \
                  __VA_ARGS__);                                                 \
        return;                                                                 \
    } while (0)
#define HAS(col) (p->idx[col] >= 0)
#define FIELD(col) row->field[p->idx[col]]
#define FLEN(col) row->len[p->idx[col]]

/* A counter column into *out. */
#define NUM(col, max, out)                                                      \
    do {                                                                        \
        uint64_t v_;                                                            \
        if (fld_u64(FIELD(col), FLEN(col), (max), &v_) != 0)                    \
            REJECT("%s: not a number up to %llu ('%.80s')", col_names[col],        \
                   (unsigned long long)(max), FIELD(col));                      \
        (out) = v_;                                                             \
    } while (0)

/* A port, decimal or 0x hex; empty (ARP, IGMP) is 0. */
#define PORT(col, out)                                                          \
    do {                                                                        \
        uint64_t v_ = 0;                                                        \
        if (HAS(col) && FLEN(col) > 0 &&                                        \
            fld_u64_hex(FIELD(col), FLEN(col), 65535, &v_) != 0)                \
            REJECT("%s: not a port number ('%.80s')", col_names[col], FIELD(col)); \
        (out) = (uint16_t)v_;                                                   \
    } while (0)


/*
 * Argus prints a TCP flow's State as the flags seen from each side,
 * source first: "FSPA_FSRPA", "S_" (a lone SYN). TCP_FLAGS describes the
 * flow's own direction (IN_PKTS), so it takes the source side's letters.
 */
static uint16_t argus_source_flags(const char *state, size_t n)
{
    uint16_t flags = 0;
    size_t i;
    for (i = 0; i < n && state[i] != '_'; i++) {
        switch (state[i]) {
        case 'F': flags |= NF_TCP_FIN; break;
        case 'S': flags |= NF_TCP_SYN; break;
        case 'R': flags |= NF_TCP_RST; break;
        case 'P': flags |= NF_TCP_PSH; break;
        case 'A': flags |= NF_TCP_ACK; break;
        case 'U': flags |= NF_TCP_URG; break;
        case 'E': flags |= NF_TCP_ECE; break;
        case 'C': flags |= NF_TCP_CWR; break;
        default: return 0; /* not a flag string (e.g. "CON", "REQ"): no flags known */
        }
    }
    return flags;
}

static void take_flow(struct argus *p, const struct csv_row *row)
{
    struct nf_flow f;
    uint64_t tot_pkts, tot_bytes, src_pkts, src_bytes;
    int proto, non_ip = 0;
    if (row->n != p->ncols)
        REJECT("expected %zu fields as in the header, found %zu", p->ncols, row->n);
    memset(&f, 0, sizeof f);
    if (fld_time(&p->start_cache, FIELD(A_START), FLEN(A_START), &p->ctx->tz, &f.first_ms) != 0)
        REJECT("StartTime: not a time ('%.80s')", FIELD(A_START));
    if (fld_seconds_ms(FIELD(A_DUR), FLEN(A_DUR), &f.duration_ms) != 0 ||
        f.duration_ms > (uint64_t)INT64_MAX / 2)
        REJECT("Dur: not a duration in seconds ('%.80s')", FIELD(A_DUR));
    f.has_time = 1;
    f.last_ms = f.first_ms + (int64_t)f.duration_ms;
    proto = fld_protocol(FIELD(A_PROTO), FLEN(A_PROTO));
    if (proto < 0) {
        non_ip = non_ip_protocol(FIELD(A_PROTO));
        if (!non_ip)
            REJECT("Proto: unknown protocol ('%.80s')", FIELD(A_PROTO));
        proto = 0;
    }
    f.proto = (uint8_t)proto;
    if (nf_addr_parse(FIELD(A_SADDR), FLEN(A_SADDR), &f.src) != 0)
        REJECT("SrcAddr: not an IPv4 or IPv6 address ('%.80s')", FIELD(A_SADDR));
    if (nf_addr_parse(FIELD(A_DADDR), FLEN(A_DADDR), &f.dst) != 0)
        REJECT("DstAddr: not an IPv4 or IPv6 address ('%.80s')", FIELD(A_DADDR));
    PORT(A_SPORT, f.src_port);
    PORT(A_DPORT, f.dst_port);
    if (proto == 1 || proto == 58) {
        /*
         * Argus prints the ICMP type and code as Sport "0xCCTT" (code in
         * the high byte, e.g. 0x0403 for type 3 code 4, state URF) and the
         * echo identifier as Dport. NetFlow puts type*256+code in the
         * destination port and nothing in the source port.
         */
        f.dst_port = (uint16_t)(((f.src_port & 0xff) << 8) | (f.src_port >> 8));
        f.src_port = 0;
    }
    NUM(A_TOTPKTS, UINT64_MAX, tot_pkts);
    NUM(A_TOTBYTES, UINT64_MAX, tot_bytes);
    src_pkts = tot_pkts;
    src_bytes = tot_bytes;
    if (HAS(A_SRCPKTS))
        NUM(A_SRCPKTS, tot_pkts, src_pkts);
    if (HAS(A_SRCBYTES))
        NUM(A_SRCBYTES, tot_bytes, src_bytes);
    f.in_pkts = src_pkts;
    f.in_bytes = src_bytes;
    f.out_pkts = tot_pkts - src_pkts;
    f.out_bytes = tot_bytes - src_bytes;
    f.flows = 1;
    if (HAS(A_STOS) && FLEN(A_STOS) > 0) {
        NUM(A_STOS, 255, f.src_tos);
        f.present |= NF_HAS_SRC_TOS;
    }
    if (HAS(A_DTOS) && FLEN(A_DTOS) > 0) {
        NUM(A_DTOS, 255, f.dst_tos);
        f.present |= NF_HAS_DST_TOS;
    }
    if (proto == 6 && HAS(A_STATE))
        f.tcp_flags = argus_source_flags(FIELD(A_STATE), FLEN(A_STATE));
    emit_flow_begin(p->ctx, &f);
    if (non_ip)
        nf_jw_strn(&p->ctx->out, "ARGUS_PROTO", FIELD(A_PROTO), FLEN(A_PROTO));
    if (HAS(A_DIR) && FLEN(A_DIR) > 0)
        nf_jw_strn(&p->ctx->out, "ARGUS_DIR", FIELD(A_DIR), FLEN(A_DIR));
    if (HAS(A_STATE) && FLEN(A_STATE) > 0)
        nf_jw_strn(&p->ctx->out, "ARGUS_STATE", FIELD(A_STATE), FLEN(A_STATE));
    if (HAS(A_LABEL) && FLEN(A_LABEL) > 0)
        nf_jw_strn(&p->ctx->out, "LABEL", FIELD(A_LABEL), FLEN(A_LABEL));
    emit_flow_end(p->ctx);
}

static int on_row(void *arg, const struct csv_row *row)
{
    struct argus *p = arg;
    if (row->n > 1 && strcmp(row->field[0], "StartTime") == 0) {
        take_header(p, row);
        return 0;
    }
    if (!p->have_header)
        nf_die("%s:%llu: not an Argus CSV header (expected StartTime,Dur,Proto,SrcAddr,...)",
               p->name, (unsigned long long)row->line);
    take_flow(p, row);
    return 0;
}

void parse_argus_csv(struct parse_ctx *ctx, FILE *f, const char *name)
{
    struct argus p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.name = name;
    csv_read(f, name, on_row, &p, NULL);
}
