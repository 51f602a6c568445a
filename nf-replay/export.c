/*
 * export.c - the NetFlow v9 / IPFIX encoder of nf-replay (export.h).
 *
 * Field ids are those nf-parse's decoder reads (nf-parse/netflow_decode.c),
 * so that nf-parse gives back the flows nf-replay was given. A template
 * is keyed by the set of fields a flow has (enum has below); each flow is
 * one data record of its template. Times: IPFIX sends absolute
 * milliseconds (flowStart/EndMilliseconds, 152/153); v9 sends sysUptime
 * milliseconds (FIRST/LAST_SWITCHED, 22/21) relative to the header, which
 * the collector turns back into epoch ms through the header's unix
 * seconds and uptime, exact to the ms within +-24.8 days of the header.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

/* The fields a flow has: one template per combination in use. */
enum has {
    H_V6 = 1u << 0,       /* IPv6 addresses (else IPv4) */
    H_TIME = 1u << 1,     /* first/last packet times */
    H_REVERSE = 1u << 2,  /* OUT_PKTS / OUT_BYTES not both 0 */
    H_FLOWS = 1u << 3,    /* FLOWS other than 1 */
    H_TOS = 1u << 4,
    H_DTOS = 1u << 5,
    H_IN_SNMP = 1u << 6,
    H_OUT_SNMP = 1u << 7,
    H_SRC_AS = 1u << 8,
    H_DST_AS = 1u << 9,
    H_SRC_MASK = 1u << 10,
    H_DST_MASK = 1u << 11,
    H_NH4 = 1u << 12,
    H_NH6 = 1u << 13,
    H_DIR = 1u << 14,
    H_SAMPLING = 1u << 15,
    H_ICMP = 1u << 16,    /* ICMP / ICMPv6: type and code in their own field */
};

/* What a template field carries. */
enum what {
    W_SRC4, W_DST4, W_SRC6, W_DST6, W_SPORT, W_DPORT, W_PROTO, W_FLAGS,
    W_FIRST, W_LAST, W_BYTES, W_PKTS, W_RBYTES, W_RPKTS, W_FLOWS,
    W_TOS, W_DTOS, W_IN_SNMP, W_OUT_SNMP, W_SRC_AS, W_DST_AS,
    W_SRC_MASK, W_DST_MASK, W_NH4, W_NH6, W_DIR, W_SAMPLING, W_ICMP,
};

struct field {
    uint16_t type, len;
    uint8_t what;
};

#define MAX_FIELDS 32

struct tmpl {
    uint32_t has;
    uint16_t id;
    uint16_t nfields;
    uint16_t rec_len;
    struct field f[MAX_FIELDS];
};

/* v9: flow times must lie within this many ms of the header (int32 uptime deltas). */
#define V9_SPAN 2147483000LL

struct rp_exporter {
    struct rp_options o;
    rp_send_fn send;
    void *arg;
    struct tmpl *t;
    size_t nt, capt;
    struct tmpl *last_t;
    unsigned since_templates;  /* data datagrams since templates were last sent */
    int refresh_due;           /* resend them before the next data datagram */

    uint8_t buf[RP_MAX_SIZE];
    size_t len;                /* 0: no datagram begun */
    size_t set_start;          /* offset of the open set's header; 0: none */
    uint16_t set_id;
    unsigned data_records;     /* in this datagram */
    unsigned all_records;      /* v9 header count: template and data records */
    int64_t header_ms;

    int64_t clock_ms;          /* latest record time seen: the export clock */
    int has_clock;
    int64_t boot_ms;           /* v9: when sysUptime was 0 */
    int has_boot;
    uint32_t v9_packets;       /* v9 sequence: export packets sent */
    uint32_t ipfix_records;    /* IPFIX sequence: data records sent */
    struct rp_counts c;
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}
/* Big-endian v in len bytes (1, 2, 4 or 8). */
static void putn(uint8_t *p, uint64_t v, unsigned len)
{
    switch (len) {
    case 1: p[0] = (uint8_t)v; break;
    case 2: put16(p, (uint16_t)v); break;
    case 4: put32(p, (uint32_t)v); break;
    default: put64(p, v); break;
    }
}

/* ---- templates -------------------------------------------------------- */

static uint32_t has_of(const struct nf_flow *f)
{
    uint32_t h = 0, p = f->present;
    if (f->src.family == 6)
        h |= H_V6;
    if (f->has_time)
        h |= H_TIME;
    if (f->out_pkts || f->out_bytes)
        h |= H_REVERSE;
    if (f->flows != 1)
        h |= H_FLOWS;
    if (f->proto == 1 || f->proto == 58)
        h |= H_ICMP;
    if (p & NF_HAS_SRC_TOS) h |= H_TOS;
    if (p & NF_HAS_DST_TOS) h |= H_DTOS;
    if (p & NF_HAS_INPUT_SNMP) h |= H_IN_SNMP;
    if (p & NF_HAS_OUTPUT_SNMP) h |= H_OUT_SNMP;
    if (p & NF_HAS_SRC_AS) h |= H_SRC_AS;
    if (p & NF_HAS_DST_AS) h |= H_DST_AS;
    if (p & NF_HAS_SRC_MASK) h |= H_SRC_MASK;
    if (p & NF_HAS_DST_MASK) h |= H_DST_MASK;
    if (p & NF_HAS_NEXT_HOP)
        h |= f->next_hop.family == 6 ? H_NH6 : H_NH4;
    if (p & NF_HAS_DIRECTION) h |= H_DIR;
    if (p & NF_HAS_SAMPLING) h |= H_SAMPLING;
    return h;
}

static void add_field(struct tmpl *t, uint16_t type, uint16_t len, enum what w)
{
    t->f[t->nfields].type = type;
    t->f[t->nfields].len = len;
    t->f[t->nfields].what = (uint8_t)w;
    t->nfields++;
    t->rec_len = (uint16_t)(t->rec_len + len);
}

/*
 * The fields of a template, in one fixed order. The ids are the same in
 * v9 and IPFIX for all of these; only some lengths and the time fields
 * differ.
 */
static void build_tmpl(struct tmpl *t, uint32_t has, enum rp_protocol proto)
{
    int v9 = proto == RP_V9, v6 = (has & H_V6) != 0;
    memset(t, 0, sizeof *t);
    t->has = has;
    add_field(t, v6 ? 27 : 8, v6 ? 16 : 4, v6 ? W_SRC6 : W_SRC4);
    add_field(t, v6 ? 28 : 12, v6 ? 16 : 4, v6 ? W_DST6 : W_DST4);
    add_field(t, 7, 2, W_SPORT);
    add_field(t, 11, 2, W_DPORT);
    if (has & H_ICMP) /* icmpTypeCodeIPv4 / IPv6: collectors (nfdump) read it, not port 11 */
        add_field(t, v6 ? 139 : 32, 2, W_ICMP);
    add_field(t, 4, 1, W_PROTO);
    add_field(t, 6, v9 ? 1 : 2, W_FLAGS); /* tcpControlBits is 16 bits in IPFIX */
    if (has & H_TIME) {
        add_field(t, v9 ? 22 : 152, v9 ? 4 : 8, W_FIRST);
        add_field(t, v9 ? 21 : 153, v9 ? 4 : 8, W_LAST);
    }
    add_field(t, 1, 8, W_BYTES);
    add_field(t, 2, 8, W_PKTS);
    if (has & H_REVERSE) {
        add_field(t, 232, 8, W_RBYTES); /* responderOctets */
        add_field(t, 299, 8, W_RPKTS);  /* responderPackets */
    }
    if (has & H_FLOWS) add_field(t, 3, 8, W_FLOWS);
    if (has & H_TOS) add_field(t, 5, 1, W_TOS);
    if (has & H_DTOS) add_field(t, 55, 1, W_DTOS);
    if (has & H_IN_SNMP) add_field(t, 10, 4, W_IN_SNMP);
    if (has & H_OUT_SNMP) add_field(t, 14, 4, W_OUT_SNMP);
    if (has & H_SRC_AS) add_field(t, 16, 4, W_SRC_AS);
    if (has & H_DST_AS) add_field(t, 17, 4, W_DST_AS);
    if (has & H_SRC_MASK) add_field(t, v6 ? 29 : 9, 1, W_SRC_MASK);
    if (has & H_DST_MASK) add_field(t, v6 ? 30 : 13, 1, W_DST_MASK);
    if (has & H_NH4) add_field(t, 15, 4, W_NH4);
    if (has & H_NH6) add_field(t, 62, 16, W_NH6);
    if (has & H_DIR) add_field(t, 61, 1, W_DIR);
    if (has & H_SAMPLING) add_field(t, 34, 4, W_SAMPLING);
}

static size_t tmpl_bytes(const struct tmpl *t)
{
    return 4 + 4 * (size_t)t->nfields;
}

/* ---- datagrams -------------------------------------------------------- */

static size_t header_len(const struct rp_exporter *x)
{
    return x->o.protocol == RP_V9 ? 20 : 16;
}

static void begin(struct rp_exporter *x, int64_t header_ms)
{
    x->len = header_len(x);
    x->set_start = 0;
    x->data_records = x->all_records = 0;
    x->header_ms = header_ms < 0 ? 0 : header_ms;
    if (x->o.protocol == RP_V9 && !x->has_boot) {
        /* the exporter has been up a day when the replay starts */
        x->boot_ms = x->header_ms / 1000 * 1000 - 86400000;
        x->has_boot = 1;
    }
}

static void close_set(struct rp_exporter *x)
{
    if (!x->set_start)
        return;
    if (x->o.protocol == RP_V9)
        while ((x->len - x->set_start) % 4) /* RFC 3954: sets end on 4-byte boundaries */
            x->buf[x->len++] = 0;
    put16(x->buf + x->set_start + 2, (uint16_t)(x->len - x->set_start));
    x->set_start = 0;
}

static void open_set(struct rp_exporter *x, uint16_t id)
{
    close_set(x);
    x->set_start = x->len;
    x->set_id = id;
    put16(x->buf + x->len, id);
    x->len += 4;
}

/* Header seconds: unsigned 32 bits. */
static uint32_t header_secs(int64_t ms)
{
    int64_t s = ms / 1000;
    return s > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static void finish(struct rp_exporter *x)
{
    uint8_t *h = x->buf;
    close_set(x);
    if (x->o.protocol == RP_V9) {
        uint32_t secs = header_secs(x->header_ms);
        put16(h, 9);
        put16(h + 2, (uint16_t)x->all_records);
        put32(h + 4, (uint32_t)((int64_t)secs * 1000 - x->boot_ms));
        put32(h + 8, secs);
        put32(h + 12, x->v9_packets++);
        put32(h + 16, x->o.domain);
    } else {
        put16(h, 10);
        put16(h + 2, (uint16_t)x->len);
        put32(h + 4, header_secs(x->header_ms));
        put32(h + 8, x->ipfix_records);
        put32(h + 12, x->o.domain);
        x->ipfix_records += x->data_records;
    }
    x->c.datagrams++;
    x->c.bytes += x->len;
    if (x->data_records == 0)
        x->c.template_datagrams++;
    x->send(x->arg, x->buf, x->len, x->header_ms);
    x->len = 0;
}

static void write_template(struct rp_exporter *x, const struct tmpl *t)
{
    uint8_t *p = x->buf + x->len;
    put16(p, t->id);
    put16(p + 2, t->nfields);
    p += 4;
    for (uint16_t i = 0; i < t->nfields; i++, p += 4) {
        put16(p, t->f[i].type);
        put16(p + 2, t->f[i].len);
    }
    x->len += tmpl_bytes(t);
    x->all_records++;
}

/*
 * Every template in use, in datagrams of their own (as many as they
 * need), before the data datagram being filled goes out.
 */
static void send_templates(struct rp_exporter *x)
{
    uint16_t set_id = x->o.protocol == RP_V9 ? 0 : 2;
    size_t saved_len = x->len, saved_set = x->set_start;
    unsigned saved_data = x->data_records, saved_all = x->all_records;
    int64_t saved_header = x->header_ms;
    uint8_t *held = NULL;
    if (saved_len) { /* a data datagram is being filled: keep it aside */
        held = nf_xmalloc(saved_len);
        memcpy(held, x->buf, saved_len);
    }
    begin(x, x->clock_ms);
    open_set(x, set_id);
    for (size_t i = 0; i < x->nt; i++) {
        if (x->len + tmpl_bytes(&x->t[i]) + 3 > x->o.max_size) {
            finish(x);
            begin(x, x->clock_ms);
            open_set(x, set_id);
        }
        write_template(x, &x->t[i]);
    }
    finish(x);
    x->since_templates = 0;
    x->refresh_due = 0;
    if (held) {
        memcpy(x->buf, held, saved_len);
        free(held);
        x->len = saved_len;
        x->set_start = saved_set;
        x->data_records = saved_data;
        x->all_records = saved_all;
        x->header_ms = saved_header;
    }
}

static const struct tmpl *template_for(struct rp_exporter *x, uint32_t has)
{
    struct tmpl *t;
    if (x->last_t && x->last_t->has == has)
        return x->last_t;
    for (size_t i = 0; i < x->nt; i++)
        if (x->t[i].has == has)
            return x->last_t = &x->t[i];
    if (x->nt >= RP_MAX_TEMPLATES)
        nf_die("more than %d combinations of flow fields: one template each is too many",
               RP_MAX_TEMPLATES);
    if (x->nt == x->capt) {
        x->capt = x->capt ? x->capt * 2 : 8;
        x->t = nf_xrealloc(x->t, x->capt * sizeof *x->t);
    }
    t = &x->t[x->nt];
    build_tmpl(t, has, x->o.protocol);
    t->id = (uint16_t)(256 + x->nt);
    x->nt++;
    x->c.templates++;
    send_templates(x); /* a new template goes out before its first record */
    return x->last_t = t;
}

/* ---- records ---------------------------------------------------------- */

/* Absolute ms for IPFIX: unsigned 64 bits, so nothing before 1970. */
static uint64_t abs_ms(struct rp_exporter *x, int64_t ms)
{
    if (ms < 0) {
        x->c.clipped_times++;
        return 0;
    }
    return (uint64_t)ms;
}

/* v9: ms since boot of the exporter, mod 2^32, as FIRST/LAST_SWITCHED carry it. */
static uint32_t uptime_ms(const struct rp_exporter *x, int64_t ms)
{
    return (uint32_t)(uint64_t)(ms - x->boot_ms);
}

static void write_record(struct rp_exporter *x, const struct tmpl *t, const struct nf_flow *f,
                         int64_t first_ms)
{
    uint8_t *p = x->buf + x->len;
    for (uint16_t i = 0; i < t->nfields; i++) {
        const struct field *fd = &t->f[i];
        uint64_t v = 0;
        switch (fd->what) {
        case W_SRC4: memcpy(p, f->src.b, 4); break;
        case W_DST4: memcpy(p, f->dst.b, 4); break;
        case W_SRC6: memcpy(p, f->src.b, 16); break;
        case W_DST6: memcpy(p, f->dst.b, 16); break;
        case W_NH4: memcpy(p, f->next_hop.b, 4); break;
        case W_NH6: memcpy(p, f->next_hop.b, 16); break;
        case W_SPORT: v = f->src_port; break;
        case W_DPORT: v = t->has & H_ICMP ? 0 : f->dst_port; break;
        case W_ICMP: v = f->dst_port; break; /* type * 256 + code */
        case W_PROTO: v = f->proto; break;
        case W_FLAGS: v = f->tcp_flags & 0xff; break;
        case W_FIRST:
            v = x->o.protocol == RP_V9 ? uptime_ms(x, first_ms) : abs_ms(x, first_ms);
            break;
        case W_LAST:
            v = x->o.protocol == RP_V9 ? uptime_ms(x, f->last_ms) : abs_ms(x, f->last_ms);
            break;
        case W_BYTES: v = f->in_bytes; break;
        case W_PKTS: v = f->in_pkts; break;
        case W_RBYTES: v = f->out_bytes; break;
        case W_RPKTS: v = f->out_pkts; break;
        case W_FLOWS: v = f->flows; break;
        case W_TOS: v = f->src_tos; break;
        case W_DTOS: v = f->dst_tos; break;
        case W_IN_SNMP: v = f->input_snmp; break;
        case W_OUT_SNMP: v = f->output_snmp; break;
        case W_SRC_AS: v = f->src_as; break;
        case W_DST_AS: v = f->dst_as; break;
        case W_SRC_MASK: v = f->src_mask; break;
        case W_DST_MASK: v = f->dst_mask; break;
        case W_DIR: v = f->direction; break;
        case W_SAMPLING:
            v = f->sampling_interval;
            if (v > UINT32_MAX) {
                v = UINT32_MAX;
                x->c.clipped_sampling++;
            }
            break;
        }
        if (fd->what != W_SRC4 && fd->what != W_DST4 && fd->what != W_SRC6 &&
            fd->what != W_DST6 && fd->what != W_NH4 && fd->what != W_NH6)
            putn(p, v, fd->len);
        p += fd->len;
    }
    x->len += t->rec_len;
    x->data_records++;
    x->all_records++;
}

/* v9: can a time be carried as an uptime delta from a header of header_ms? */
static int v9_in_span_at(int64_t header_ms, int64_t ms)
{
    int64_t e = (int64_t)header_secs(header_ms < 0 ? 0 : header_ms) * 1000;
    return ms - e < V9_SPAN && e - ms < V9_SPAN;
}

static int v9_in_span(const struct rp_exporter *x, int64_t ms)
{
    return v9_in_span_at(x->header_ms, ms);
}

/*
 * Sends the data datagram being filled. The refresh falls due after
 * every refresh data datagrams; the templates go out before the next one
 * (none after the last datagram of the input).
 */
static void send_data(struct rp_exporter *x)
{
    finish(x);
    if (x->o.refresh && ++x->since_templates >= x->o.refresh)
        x->refresh_due = 1;
}

/* Room for one more record of t in the datagram being filled? */
static int fits(const struct rp_exporter *x, const struct tmpl *t)
{
    size_t need = t->rec_len + 3; /* v9 set padding at worst */
    if (!(x->set_start && x->set_id == t->id))
        need += 4 + 3;
    if (x->o.max_records && x->data_records >= x->o.max_records)
        return 0;
    return x->len + need <= x->o.max_size;
}

/* The time a record stands at on the export clock: when its flow ended. */
static int record_time(const struct nf_flow *f, int64_t *ms)
{
    if (f->has_time) {
        *ms = f->last_ms;
        return 1;
    }
    if (f->present & NF_HAS_EXPORT_TIME) {
        *ms = f->export_ms;
        return 1;
    }
    return 0;
}

void rp_add(struct rp_exporter *x, const struct nf_flow *f)
{
    const struct tmpl *t;
    int64_t ms, first_ms = f->first_ms;
    if (record_time(f, &ms) && (!x->has_clock || ms > x->clock_ms)) {
        x->clock_ms = ms;
        x->has_clock = 1;
    }
    t = template_for(x, has_of(f));
    if (x->len && !fits(x, t))
        send_data(x);
    if (x->len && x->o.protocol == RP_V9 && f->has_time &&
        !(v9_in_span(x, f->first_ms) && v9_in_span(x, f->last_ms)))
        send_data(x);
    if (!x->len) {
        if (x->refresh_due)
            send_templates(x);
        /* v9 carries times relative to the header: a record far behind the clock gets its own */
        int64_t h = x->clock_ms;
        if (x->o.protocol == RP_V9 && f->has_time && !v9_in_span_at(h, f->last_ms))
            h = f->last_ms;
        begin(x, h);
    }
    if (x->o.protocol == RP_V9 && f->has_time && !v9_in_span(x, first_ms)) {
        first_ms = f->last_ms - V9_SPAN + 1000; /* a flow lasting more than 24.8 days */
        x->c.clipped_times++;
    }
    if (!(x->set_start && x->set_id == t->id))
        open_set(x, t->id);
    write_record(x, t, f, first_ms);
    x->c.flows++;
}

void rp_flush(struct rp_exporter *x)
{
    if (x->len && x->data_records)
        send_data(x);
}

unsigned rp_pending(const struct rp_exporter *x)
{
    return x->len ? x->data_records : 0;
}

const struct rp_counts *rp_counts(const struct rp_exporter *x)
{
    return &x->c;
}

struct rp_exporter *rp_new(const struct rp_options *o, rp_send_fn send, void *arg)
{
    struct rp_exporter *x = nf_xcalloc(1, sizeof *x);
    x->o = *o;
    if (x->o.max_size > RP_MAX_SIZE)
        x->o.max_size = RP_MAX_SIZE;
    if (x->o.max_size < RP_MIN_SIZE)
        x->o.max_size = RP_MIN_SIZE;
    x->send = send;
    x->arg = arg;
    return x;
}

void rp_free(struct rp_exporter *x)
{
    if (!x)
        return;
    free(x->t);
    free(x);
}
