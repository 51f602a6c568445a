/*
 * netflow_decode.c - NetFlow v5, v9 (RFC 3954) and IPFIX (RFC 7011)
 * datagram decoding into struct nf_flow.
 *
 * Every read is bounds-checked against the set or record it belongs to;
 * every loop advances by at least one byte or stops; templates, samplers,
 * exporters and pending data are capped (netflow_decode.h). Templates are
 * compiled once into one action per field, so decoding a record is a
 * single pass over its fields.
 */
#include "netflow_decode.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define NTP_EPOCH_OFFSET 2208988800ull /* seconds from 1900-01-01 to 1970-01-01 */
#define PEN_REVERSE 29305u             /* RFC 5103 reverse information elements */
#define VARLEN 65535u

/* What a field does to the record being decoded. */
enum act {
    A_SKIP = 0,
    A_SRC4, A_DST4, A_SRC6, A_DST6, A_NH4, A_NH6,
    A_SPORT, A_DPORT, A_PROTO, A_FLAGS, A_TOS, A_DTOS,
    A_BYTES, A_PKTS, A_TBYTES, A_TPKTS, A_PBYTES, A_PPKTS, A_IBYTES, A_IPKTS,
    A_RBYTES, A_RPKTS, A_FLOWS,
    A_IN_SNMP, A_OUT_SNMP, A_SRC_AS, A_DST_AS, A_SRC_MASK, A_DST_MASK, A_DIR,
    A_FIRST_UP, A_LAST_UP, A_START_S, A_END_S, A_START_MS, A_END_MS,
    A_START_NTP, A_END_NTP, A_START_DUS, A_END_DUS, A_SYSINIT, A_DUR_MS, A_DUR_US,
    A_ICMP, A_ICMP_TYPE, A_ICMP_CODE,
    A_SAMPLER_ID, A_SAMP_INTERVAL, A_SAMP_PKT_INTERVAL, A_SAMP_PKT_SPACE,
    A_SAMP_SIZE, A_SAMP_POP, A_SAMP_ALGO,
};

struct field {
    uint16_t type, len; /* len VARLEN: variable (IPFIX) */
    uint32_t pen;
    uint8_t act;
};

struct exporter;

/*
 * Sequence numbers of one exporter key (v9: export packets, v5/IPFIX:
 * records). Gaps still open may be filled by late arrivals; a number far
 * from the stream (beyond SEQ_JUMP) is held as a candidate until the next
 * datagram says whether it was a reset (the next one continues it) or a
 * stray (the next one continues the old stream).
 */
#define SEQ_GAPS 64
#define SEQ_JUMP_PACKETS 65536u   /* v9: beyond this a number is a jump, not a gap */
#define SEQ_JUMP_RECORDS 1048576u /* v5, IPFIX */
struct seq_gap {
    uint32_t start, len;
};
struct seq_state {
    int has, unknown_advance, has_cand, cand_near;
    uint32_t first, next, cand_start, cand_next; /* first: where the stream began (or restarted) */
    struct seq_gap gap[SEQ_GAPS]; /* open gaps, oldest first */
    size_t ngap;
};

struct tmpl {
    uint16_t id;
    uint8_t is_option;
    uint16_t nfields;
    uint32_t min_len;   /* bytes of a record at least (variable fields count 1) */
    int has_var;
    struct field *f;
    uint8_t *raw;       /* the template record as sent, to spot identical resends */
    size_t raw_len;
    size_t mem;         /* bytes this template holds, counted in the memory budget */
    struct exporter *ex;
    size_t slot;        /* index in ex->t */
    struct tmpl *newer, *older; /* the decoder's least-recently-used list */
};

struct sampler {
    uint64_t id, interval;
};

struct exporter {
    struct nf_addr addr;
    uint8_t version; /* 9 or 10; 5 for v5 (engine type/id as domain) */
    uint32_t domain;
    struct tmpl **t;
    size_t nt, capt;
    struct tmpl *last;          /* last template used: data sets come in runs */
    struct sampler *s;
    size_t ns, caps;
    uint64_t default_sampling;  /* options without a sampler id; 0 = none */
    int64_t sys_init_ms;        /* IPFIX systemInitTimeMilliseconds from options */
    int has_sys_init;
    struct seq_state seq;
    size_t slot;                /* index in d->ex */
    uint64_t last_use;          /* d->clock when a datagram last came from this key */
};

/* A data set that arrived before its template. */
struct pending {
    struct exporter *ex;
    uint16_t set_id;
    uint8_t version;
    uint32_t unix_secs, uptime;
    int64_t export_ms;
    uint8_t *bytes;
    size_t len;
    struct pending *next;
};

struct nfd {
    nfd_emit_fn emit;
    void *arg;
    struct exporter **ex;
    size_t nex;
    struct exporter *last_ex;
    struct pending *pend, *pend_tail;
    size_t npend, pend_bytes, pend_limit;
    /* The memory budget: templates plus pending data sets (nfd_set_memory). */
    size_t mem_budget, tmpl_bytes;
    struct tmpl *newest, *oldest;
    uint64_t clock;             /* messages seen: the exporters' use stamps */
    struct nfd_stats st;
};

/* The header fields a record's times are relative to. */
struct msg {
    struct exporter *ex;
    int version;
    uint32_t unix_secs, uptime;
    int64_t export_ms;
};

/* Errors carry the byte offset into the datagram. */
struct errbuf {
    size_t *off;
    char *why;
    size_t whylen;
};

static int fail(struct errbuf *e, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct errbuf *e, size_t off, const char *fmt, ...)
{
    va_list ap;
    *e->off = off;
    va_start(ap, fmt);
    vsnprintf(e->why, e->whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* Big-endian unsigned of 1..8 bytes (reduced-size encoding); longer: its last 8. */
static inline uint64_t rdn(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    /* The common widths as single loads: this ran once per field of every record. */
    switch (n) {
    case 1: return p[0];
    case 2: return rd16(p);
    case 4: return rd32(p);
    case 8: return (uint64_t)rd32(p) << 32 | rd32(p + 4);
    }
    if (n > 8) {
        p += n - 8;
        n = 8;
    }
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ---- templates -------------------------------------------------------- */

static uint8_t action_of(uint32_t pen, uint16_t type, uint16_t len)
{
    if (pen == PEN_REVERSE) {
        switch (type) {
        case 1: case 85: return A_RBYTES;
        case 2: case 86: return A_RPKTS;
        default: return A_SKIP;
        }
    }
    if (pen != 0)
        return A_SKIP;
    switch (type) {
    case 1: return A_BYTES;
    case 2: return A_PKTS;
    case 3: return A_FLOWS;
    case 4: return A_PROTO;
    case 5: return A_TOS;
    case 6: return A_FLAGS;
    case 7: return A_SPORT;
    case 8: return len == 4 ? A_SRC4 : A_SKIP;
    case 9: case 29: return A_SRC_MASK;
    case 10: return A_IN_SNMP;
    case 11: return A_DPORT;
    case 12: return len == 4 ? A_DST4 : A_SKIP;
    case 13: case 30: return A_DST_MASK;
    case 14: return A_OUT_SNMP;
    case 15: return len == 4 ? A_NH4 : A_SKIP;
    case 16: return A_SRC_AS;
    case 17: return A_DST_AS;
    case 21: return A_LAST_UP;
    case 22: return A_FIRST_UP;
    case 23: return A_PBYTES;
    case 24: return A_PPKTS;
    case 27: return len == 16 ? A_SRC6 : A_SKIP;
    case 28: return len == 16 ? A_DST6 : A_SKIP;
    case 32: case 139: return A_ICMP;
    case 34: return A_SAMP_INTERVAL;
    case 48: case 302: return A_SAMPLER_ID;
    case 50: return A_SAMP_INTERVAL; /* samplerRandomInterval / FLOW_SAMPLER_RANDOM_INTERVAL */
    case 55: return A_DTOS;
    case 61: return A_DIR;
    case 62: return len == 16 ? A_NH6 : A_SKIP;
    case 85: return A_TBYTES;
    case 86: return A_TPKTS;
    case 150: return A_START_S;
    case 151: return A_END_S;
    case 152: return A_START_MS;
    case 153: return A_END_MS;
    case 154: case 156: return A_START_NTP;
    case 155: case 157: return A_END_NTP;
    case 158: return A_START_DUS;
    case 159: return A_END_DUS;
    case 160: return A_SYSINIT;
    case 161: return A_DUR_MS;
    case 162: return A_DUR_US;
    case 176: case 178: return A_ICMP_TYPE;
    case 177: case 179: return A_ICMP_CODE;
    case 231: return A_IBYTES; /* initiatorOctets (Cisco ASA NF_F_FWD_FLOW_DELTA_BYTES) */
    case 232: return A_RBYTES; /* responderOctets */
    case 298: return A_IPKTS;  /* initiatorPackets */
    case 299: return A_RPKTS;  /* responderPackets */
    case 304: return A_SAMP_ALGO;
    case 305: return A_SAMP_PKT_INTERVAL;
    case 306: return A_SAMP_PKT_SPACE;
    case 309: return A_SAMP_SIZE;
    case 310: return A_SAMP_POP;
    default: return A_SKIP;
    }
}

static void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    free(t->f);
    free(t->raw);
    free(t);
}

static void lru_unlink(struct nfd *d, struct tmpl *t)
{
    if (t->newer)
        t->newer->older = t->older;
    else
        d->newest = t->older;
    if (t->older)
        t->older->newer = t->newer;
    else
        d->oldest = t->newer;
    t->newer = t->older = NULL;
}

static void lru_push(struct nfd *d, struct tmpl *t)
{
    t->older = d->newest;
    t->newer = NULL;
    if (d->newest)
        d->newest->newer = t;
    else
        d->oldest = t;
    d->newest = t;
}

/* A template was used: it goes to the front of the eviction queue. */
static void lru_touch(struct nfd *d, struct tmpl *t)
{
    if (d->newest == t)
        return;
    lru_unlink(d, t);
    lru_push(d, t);
}

/* Takes the template in slot i out of its exporter and frees it. */
static void remove_tmpl(struct nfd *d, struct exporter *ex, size_t i)
{
    struct tmpl *t = ex->t[i];
    if (ex->last == t)
        ex->last = NULL;
    lru_unlink(d, t);
    d->tmpl_bytes -= t->mem;
    ex->t[i] = ex->t[--ex->nt];
    ex->t[i]->slot = i;
    tmpl_free(t);
}

static struct tmpl *find_tmpl(struct nfd *d, struct exporter *ex, uint16_t id)
{
    struct tmpl *t = NULL;
    if (ex->last && ex->last->id == id) {
        t = ex->last;
    } else {
        for (size_t i = 0; i < ex->nt; i++)
            if (ex->t[i]->id == id) {
                t = ex->last = ex->t[i];
                break;
            }
    }
    if (t)
        lru_touch(d, t);
    return t;
}

static void drop_tmpl(struct nfd *d, struct exporter *ex, uint16_t id)
{
    for (size_t i = 0; i < ex->nt; i++) {
        if (ex->t[i]->id == id) {
            remove_tmpl(d, ex, i);
            return;
        }
    }
}

/*
 * Keeps templates and pending data inside the budget: evicts the least
 * recently used templates (of any exporter) but never keep, the one just
 * installed.
 */
static void fit_budget(struct nfd *d, const struct tmpl *keep)
{
    while (d->tmpl_bytes + d->pend_bytes > d->mem_budget && d->oldest && d->oldest != keep) {
        struct tmpl *t = d->oldest;
        remove_tmpl(d, t->ex, t->slot);
        d->st.templates_evicted++;
    }
}

/* Installs t (replacing a template of the same id). Returns -1 when the cap is hit. */
static int put_tmpl(struct nfd *d, struct exporter *ex, struct tmpl *t)
{
    t->ex = ex;
    /* its three allocations with malloc's overhead, and its slot in ex->t */
    t->mem = sizeof *t + (size_t)t->nfields * sizeof *t->f + t->raw_len + 3 * 16 + sizeof t;
    for (size_t i = 0; i < ex->nt; i++) {
        if (ex->t[i]->id == t->id) {
            remove_tmpl(d, ex, i);
            break;
        }
    }
    if (ex->nt >= NFD_MAX_TEMPLATES)
        return -1;
    if (ex->nt == ex->capt) {
        ex->capt = ex->capt ? ex->capt * 2 : 16;
        ex->t = nf_xrealloc(ex->t, ex->capt * sizeof *ex->t);
    }
    t->slot = ex->nt;
    ex->t[ex->nt++] = t;
    lru_push(d, t);
    d->tmpl_bytes += t->mem;
    fit_budget(d, t);
    if (d->tmpl_bytes + d->pend_bytes > d->st.memory_peak)
        d->st.memory_peak = d->tmpl_bytes + d->pend_bytes;
    return 0;
}

/* ---- exporters -------------------------------------------------------- */

static void pending_free(struct pending *p);
static void seq_finish(struct nfd *d, struct exporter *ex);

static void exporter_free(struct nfd *d, struct exporter *ex)
{
    while (ex->nt > 0)
        remove_tmpl(d, ex, ex->nt - 1);
    free(ex->t);
    free(ex->s);
    free(ex);
}

/* Drops the data sets still waiting under ex: they become undecodable. */
static void drop_pending_of(struct nfd *d, const struct exporter *ex)
{
    struct pending **pp = &d->pend, *q, *prev = NULL;
    while ((q = *pp) != NULL) {
        if (q->ex != ex) {
            prev = q;
            pp = &q->next;
            continue;
        }
        *pp = q->next;
        if (d->pend_tail == q)
            d->pend_tail = prev;
        d->npend--;
        d->pend_bytes -= q->len;
        d->st.undecodable_sets++;
        d->st.undecodable_bytes += q->len;
        pending_free(q);
    }
}

/*
 * The key table is full: the key that sent nothing for longest goes, with
 * its templates and pending data (a flood of spoofed observation domains
 * then costs old keys, not the whole collector).
 */
static void evict_exporter(struct nfd *d)
{
    size_t lru = 0;
    struct exporter *ex;
    for (size_t i = 1; i < d->nex; i++)
        if (d->ex[i]->last_use < d->ex[lru]->last_use)
            lru = i;
    ex = d->ex[lru];
    seq_finish(d, ex);
    drop_pending_of(d, ex);
    if (d->last_ex == ex)
        d->last_ex = NULL;
    d->ex[lru] = d->ex[--d->nex];
    d->ex[lru]->slot = lru;
    exporter_free(d, ex);
    d->st.exporters_evicted++;
}

static struct exporter *get_exporter(struct nfd *d, const struct nf_addr *a, uint8_t version,
                                     uint32_t domain)
{
    static const struct nf_addr none;
    struct exporter *ex;
    if (!a)
        a = &none;
    d->clock++;
    ex = d->last_ex;
    if (ex && ex->version == version && ex->domain == domain && nf_addr_equal(&ex->addr, a))
        goto found;
    for (size_t i = 0; i < d->nex; i++) {
        ex = d->ex[i];
        if (ex->version == version && ex->domain == domain && nf_addr_equal(&ex->addr, a))
            goto found;
    }
    if (d->nex >= NFD_MAX_EXPORTERS)
        evict_exporter(d);
    if ((d->nex & (d->nex - 1)) == 0 || d->nex == 0)
        d->ex = nf_xrealloc(d->ex, (d->nex ? d->nex * 2 : 4) * sizeof *d->ex);
    ex = nf_xcalloc(1, sizeof *ex);
    ex->addr = *a;
    ex->version = version;
    ex->domain = domain;
    ex->slot = d->nex;
    d->ex[d->nex++] = ex;
found:
    ex->last_use = d->clock;
    return d->last_ex = ex;
}

static void set_sampler(struct exporter *ex, uint64_t id, uint64_t interval)
{
    for (size_t i = 0; i < ex->ns; i++) {
        if (ex->s[i].id == id) {
            ex->s[i].interval = interval;
            return;
        }
    }
    if (ex->ns >= NFD_MAX_SAMPLERS)
        return;
    if (ex->ns == ex->caps) {
        ex->caps = ex->caps ? ex->caps * 2 : 8;
        ex->s = nf_xrealloc(ex->s, ex->caps * sizeof *ex->s);
    }
    ex->s[ex->ns].id = id;
    ex->s[ex->ns].interval = interval;
    ex->ns++;
}

static uint64_t sampler_interval(const struct exporter *ex, uint64_t id)
{
    for (size_t i = 0; i < ex->ns; i++)
        if (ex->s[i].id == id)
            return ex->s[i].interval;
    return 0;
}

/* ---- life cycle ------------------------------------------------------- */

struct nfd *nfd_new(size_t pending_limit, nfd_emit_fn emit, void *arg)
{
    struct nfd *d = nf_xcalloc(1, sizeof *d);
    d->emit = emit;
    d->arg = arg;
    d->pend_limit = pending_limit ? pending_limit : NFD_DEFAULT_PENDING;
    d->mem_budget = NFD_DEFAULT_MEMORY;
    return d;
}

void nfd_set_memory(struct nfd *d, size_t bytes)
{
    d->mem_budget = bytes < NFD_MIN_MEMORY ? NFD_MIN_MEMORY : bytes;
}

size_t nfd_memory(const struct nfd *d)
{
    return d->mem_budget;
}

static void pending_free(struct pending *p)
{
    free(p->bytes);
    free(p);
}

void nfd_new_source(struct nfd *d)
{
    for (size_t i = 0; i < d->nex; i++) {
        seq_finish(d, d->ex[i]);
        memset(&d->ex[i]->seq, 0, sizeof d->ex[i]->seq);
    }
}

void nfd_flush_pending(struct nfd *d)
{
    struct pending *p = d->pend, *next;
    for (size_t i = 0; i < d->nex; i++)
        seq_finish(d, d->ex[i]);
    for (; p; p = next) {
        next = p->next;
        d->st.undecodable_sets++;
        d->st.undecodable_bytes += p->len;
        pending_free(p);
    }
    d->pend = d->pend_tail = NULL;
    d->npend = d->pend_bytes = 0;
}

void nfd_free(struct nfd *d)
{
    if (!d)
        return;
    nfd_flush_pending(d);
    for (size_t i = 0; i < d->nex; i++)
        exporter_free(d, d->ex[i]);
    free(d->ex);
    free(d);
}

const struct nfd_stats *nfd_stats(const struct nfd *d)
{
    return &d->st;
}

/* ---- records ---------------------------------------------------------- */

/* Values of one record that need the whole record before they mean anything. */
struct rec {
    uint64_t bytes, pkts, tbytes, tpkts, pbytes, ppkts, ibytes, ipkts, rbytes, rpkts;
    uint8_t have_bytes, have_pkts; /* bit per source: 1 delta 2 total 4 post 8 initiator */
    int64_t start_ms, end_ms;
    uint8_t have_start, have_end;
    uint64_t first_up, last_up;
    uint8_t have_first_up, have_last_up;
    uint64_t start_dus, end_dus;
    uint8_t have_start_dus, have_end_dus;
    uint64_t dur_ms;
    uint8_t have_dur;
    int64_t sys_init;
    uint8_t have_sys_init;
    uint64_t sampler_id, samp_interval, pkt_interval, pkt_space, samp_size, samp_pop, samp_algo;
    uint8_t have_sampler_id;
    uint8_t icmp_type, icmp_code, have_icmp_tc, have_icmp;
    uint16_t icmp;
    uint32_t src4, dst4;
    uint8_t have_addr; /* 1 src4, 2 dst4, 4 src6, 8 dst6 */
};

/*
 * Time values are kept within +-MAX_MS (about year 5100) so that sums and
 * differences of a few of them never overflow: the exporter controls
 * every bit of these fields.
 */
#define MAX_MS 100000000000000LL

static int64_t clamp_ms(uint64_t v)
{
    return v > (uint64_t)MAX_MS ? MAX_MS : (int64_t)v;
}

static int64_t secs_to_ms(uint64_t v)
{
    return v > (uint64_t)(MAX_MS / 1000) ? MAX_MS : (int64_t)v * 1000;
}

static int64_t ntp_to_ms(uint64_t v)
{
    uint64_t secs = v >> 32, frac = v & 0xffffffffu;
    return ((int64_t)secs - (int64_t)NTP_EPOCH_OFFSET) * 1000 + (int64_t)((frac * 1000) >> 32);
}

/*
 * Reads one record's fields into f and r. Returns the bytes used, or 0
 * when the record does not fit in the n bytes left.
 */
static size_t read_record(const struct tmpl *t, const uint8_t *p, size_t n, struct nf_flow *f,
                          struct rec *r)
{
    size_t off = 0;
    for (uint16_t i = 0; i < t->nfields; i++) {
        const struct field *fd = &t->f[i];
        size_t len = fd->len;
        const uint8_t *v;
        uint64_t u;
        if (len == VARLEN) {
            if (off + 1 > n)
                return 0;
            len = p[off++];
            if (len == 255) {
                if (off + 2 > n)
                    return 0;
                len = rd16(p + off);
                off += 2;
            }
        }
        if (len > n - off)
            return 0;
        v = p + off;
        off += len;
        if (fd->act == A_SKIP || len == 0)
            continue;
        switch (fd->act) {
        case A_SRC4: if (len == 4) { r->src4 = rd32(v); r->have_addr |= 1; } break;
        case A_DST4: if (len == 4) { r->dst4 = rd32(v); r->have_addr |= 2; } break;
        case A_SRC6: if (len == 16) { nf_addr_v6(&f->src, v); r->have_addr |= 4; } break;
        case A_DST6: if (len == 16) { nf_addr_v6(&f->dst, v); r->have_addr |= 8; } break;
        case A_NH4:
            if (len == 4) {
                nf_addr_v4(&f->next_hop, rd32(v));
                f->present |= NF_HAS_NEXT_HOP;
            }
            break;
        case A_NH6:
            if (len == 16) {
                nf_addr_v6(&f->next_hop, v);
                f->present |= NF_HAS_NEXT_HOP;
            }
            break;
        default:
            break;
        }
        if (len > 8)
            continue;
        u = rdn(v, len);
        switch (fd->act) {
        case A_SPORT: f->src_port = (uint16_t)u; break;
        case A_DPORT: f->dst_port = (uint16_t)u; break;
        case A_PROTO: f->proto = (uint8_t)u; break;
        case A_FLAGS: f->tcp_flags = (uint16_t)(u & 0xff); break;
        case A_TOS: f->src_tos = (uint8_t)u; f->present |= NF_HAS_SRC_TOS; break;
        case A_DTOS: f->dst_tos = (uint8_t)u; f->present |= NF_HAS_DST_TOS; break;
        case A_BYTES: r->bytes = u; r->have_bytes |= 1; break;
        case A_PKTS: r->pkts = u; r->have_pkts |= 1; break;
        case A_TBYTES: r->tbytes = u; r->have_bytes |= 2; break;
        case A_TPKTS: r->tpkts = u; r->have_pkts |= 2; break;
        case A_PBYTES: r->pbytes = u; r->have_bytes |= 4; break;
        case A_PPKTS: r->ppkts = u; r->have_pkts |= 4; break;
        case A_IBYTES: r->ibytes = u; r->have_bytes |= 8; break;
        case A_IPKTS: r->ipkts = u; r->have_pkts |= 8; break;
        case A_RBYTES: r->rbytes = u; break;
        case A_RPKTS: r->rpkts = u; break;
        case A_FLOWS: if (u) f->flows = u; break;
        case A_IN_SNMP: f->input_snmp = (uint32_t)u; f->present |= NF_HAS_INPUT_SNMP; break;
        case A_OUT_SNMP: f->output_snmp = (uint32_t)u; f->present |= NF_HAS_OUTPUT_SNMP; break;
        case A_SRC_AS: f->src_as = (uint32_t)u; f->present |= NF_HAS_SRC_AS; break;
        case A_DST_AS: f->dst_as = (uint32_t)u; f->present |= NF_HAS_DST_AS; break;
        case A_SRC_MASK: f->src_mask = (uint8_t)u; f->present |= NF_HAS_SRC_MASK; break;
        case A_DST_MASK: f->dst_mask = (uint8_t)u; f->present |= NF_HAS_DST_MASK; break;
        case A_DIR: f->direction = (uint8_t)u; f->present |= NF_HAS_DIRECTION; break;
        case A_FIRST_UP: r->first_up = (uint64_t)clamp_ms(u); r->have_first_up = 1; break;
        case A_LAST_UP: r->last_up = (uint64_t)clamp_ms(u); r->have_last_up = 1; break;
        case A_START_S: r->start_ms = secs_to_ms(u); r->have_start = 1; break;
        case A_END_S: r->end_ms = secs_to_ms(u); r->have_end = 1; break;
        case A_START_MS: r->start_ms = clamp_ms(u); r->have_start = 1; break;
        case A_END_MS: r->end_ms = clamp_ms(u); r->have_end = 1; break;
        case A_START_NTP: if (len == 8) { r->start_ms = ntp_to_ms(u); r->have_start = 1; } break;
        case A_END_NTP: if (len == 8) { r->end_ms = ntp_to_ms(u); r->have_end = 1; } break;
        case A_START_DUS: r->start_dus = (uint64_t)clamp_ms(u); r->have_start_dus = 1; break;
        case A_END_DUS: r->end_dus = (uint64_t)clamp_ms(u); r->have_end_dus = 1; break;
        case A_SYSINIT: r->sys_init = clamp_ms(u); r->have_sys_init = 1; break;
        case A_DUR_MS: r->dur_ms = (uint64_t)clamp_ms(u); r->have_dur = 1; break;
        case A_DUR_US: r->dur_ms = (uint64_t)clamp_ms(u / 1000); r->have_dur = 1; break;
        case A_ICMP: r->icmp = (uint16_t)u; r->have_icmp = 1; break;
        case A_ICMP_TYPE: r->icmp_type = (uint8_t)u; r->have_icmp_tc |= 1; break;
        case A_ICMP_CODE: r->icmp_code = (uint8_t)u; r->have_icmp_tc |= 2; break;
        case A_SAMPLER_ID: r->sampler_id = u; r->have_sampler_id = 1; break;
        case A_SAMP_INTERVAL: r->samp_interval = u; break;
        case A_SAMP_PKT_INTERVAL: r->pkt_interval = u; break;
        case A_SAMP_PKT_SPACE: r->pkt_space = u; break;
        case A_SAMP_SIZE: r->samp_size = u; break;
        case A_SAMP_POP: r->samp_pop = u; break;
        case A_SAMP_ALGO: r->samp_algo = u; break;
        default: break;
        }
    }
    return off;
}

/*
 * The sampling interval a record states itself (options or data); 0 =
 * none. samplingInterval / samplerRandomInterval (34, 50) directly; PSAMP
 * (RFC 5477) by selectorAlgorithm (304): 1 systematic count-based is
 * (samplingPacketInterval + samplingPacketSpace) / samplingPacketInterval
 * (305, 306), 3 random n-out-of-N is samplingPopulation / samplingSize
 * (310, 309). Cisco sends both sets with algorithm 3 and interval 1.
 */
static uint64_t record_interval(const struct rec *r)
{
    if (r->samp_interval)
        return r->samp_interval;
    if (r->samp_algo == 3 && r->samp_size && r->samp_pop >= r->samp_size)
        return r->samp_pop / r->samp_size;
    if (r->pkt_interval)
        return (r->pkt_interval + r->pkt_space) / r->pkt_interval;
    if (r->samp_size && r->samp_pop >= r->samp_size)
        return r->samp_pop / r->samp_size;
    return 0;
}

static void option_record(struct exporter *ex, const struct rec *r)
{
    uint64_t interval = record_interval(r);
    if (r->have_sys_init) {
        ex->sys_init_ms = r->sys_init;
        ex->has_sys_init = 1;
    }
    if (!interval)
        return;
    if (r->have_sampler_id)
        set_sampler(ex, r->sampler_id, interval);
    else
        ex->default_sampling = interval;
}

/*
 * ms from the export to a sysUptime stamp. The uptime counter is 32 bits
 * and wraps after 49.7 days, so the difference is taken modulo 2^32: a
 * flow that started just before the wrap is still in the past.
 */
static int64_t uptime_delta(uint32_t stamp, uint32_t uptime)
{
    return (int64_t)(int32_t)(stamp - uptime);
}

/* sysUptime-relative ms to epoch ms through the header (v9) or the init time (IPFIX). */
static int uptime_to_ms(const struct msg *m, const struct rec *r, uint64_t up, int64_t *out)
{
    if (m->version == 9) {
        *out = m->export_ms + uptime_delta((uint32_t)up, m->uptime);
        return 1;
    }
    if (r->have_sys_init) {
        *out = r->sys_init + (int64_t)up;
        return 1;
    }
    if (m->ex->has_sys_init) {
        *out = m->ex->sys_init_ms + (int64_t)up;
        return 1;
    }
    return 0;
}

static void finish_flow(struct nfd *d, const struct msg *m, struct nf_flow *f, struct rec *r)
{
    int hs = r->have_start, he = r->have_end;
    int64_t s = r->start_ms, e = r->end_ms;
    uint64_t interval;

    if (!hs && r->have_first_up)
        hs = uptime_to_ms(m, r, r->first_up, &s);
    if (!he && r->have_last_up)
        he = uptime_to_ms(m, r, r->last_up, &e);
    if (!hs && r->have_start_dus) {
        s = m->export_ms - (int64_t)(r->start_dus / 1000);
        hs = 1;
    }
    if (!he && r->have_end_dus) {
        e = m->export_ms - (int64_t)(r->end_dus / 1000);
        he = 1;
    }
    if (r->have_dur) {
        if (hs && !he) {
            e = s + (int64_t)r->dur_ms;
            he = 1;
        } else if (he && !hs) {
            s = e - (int64_t)r->dur_ms;
            hs = 1;
        }
    }
    if (hs && !he) {
        e = s;
        he = 1;
    } else if (he && !hs) {
        s = e;
        hs = 1;
    }
    if (hs) {
        f->has_time = 1;
        f->first_ms = s;
        f->last_ms = e;
        f->duration_ms = e > s ? (uint64_t)(e - s) : 0;
    }

    /*
     * Templates with both IPv4 and IPv6 address fields (Cisco SRv6/MPLS
     * exports) fill the family that does not apply with zeros: take the
     * IPv4 pair unless it is absent or zero while IPv6 is there.
     */
    if ((r->have_addr & 3) &&
        !((r->have_addr & 12) && r->src4 == 0 && r->dst4 == 0)) {
        nf_addr_v4(&f->src, r->src4);
        nf_addr_v4(&f->dst, r->dst4);
    } else if (!(r->have_addr & 12)) {
        nf_addr_v4(&f->src, 0);
        nf_addr_v4(&f->dst, 0);
    }

    if (r->have_bytes & 1) f->in_bytes = r->bytes;
    else if (r->have_bytes & 2) f->in_bytes = r->tbytes;
    else if (r->have_bytes & 8) f->in_bytes = r->ibytes;
    else if (r->have_bytes & 4) f->in_bytes = r->pbytes;
    if (r->have_pkts & 1) f->in_pkts = r->pkts;
    else if (r->have_pkts & 2) f->in_pkts = r->tpkts;
    else if (r->have_pkts & 8) f->in_pkts = r->ipkts;
    else if (r->have_pkts & 4) f->in_pkts = r->ppkts;
    f->out_bytes = r->rbytes;
    f->out_pkts = r->rpkts;

    /* ICMP: type*256+code in the destination port, as NetFlow does. */
    if (f->proto == 1 || f->proto == 58) {
        if (r->have_icmp)
            f->dst_port = r->icmp;
        else if (r->have_icmp_tc)
            f->dst_port = (uint16_t)(r->icmp_type << 8 | r->icmp_code);
    }

    interval = record_interval(r);
    if (!interval && r->have_sampler_id)
        interval = sampler_interval(m->ex, r->sampler_id);
    if (!interval)
        interval = m->ex->default_sampling;
    if (interval) {
        f->sampling_interval = interval;
        f->present |= NF_HAS_SAMPLING;
    }
    d->st.flows++;
    d->emit(d->arg, f);
}

static void flow_init(struct nf_flow *f, const struct msg *m)
{
    memset(f, 0, sizeof *f);
    f->flows = 1;
    f->export_ms = m->export_ms;
    f->present = NF_HAS_EXPORT_TIME;
    if (m->ex->addr.family) {
        f->exporter = m->ex->addr;
        f->present |= NF_HAS_EXPORTER;
    }
    if (m->version != 5) {
        f->domain_id = m->ex->domain;
        f->present |= NF_HAS_DOMAIN;
    }
}

/* Decodes the records of one data set whose template is known; returns how many. */
static uint32_t data_set(struct nfd *d, const struct msg *m, const struct tmpl *t, const uint8_t *p,
                     size_t n)
{
    size_t off = 0;
    uint32_t count = 0;
    while (n - off >= t->min_len) {
        struct nf_flow f;
        struct rec r;
        size_t used;
        flow_init(&f, m);
        memset(&r, 0, sizeof r);
        used = read_record(t, p + off, n - off, &f, &r);
        if (used == 0)
            break; /* a variable-length record cut short: the rest is padding */
        off += used;
        count++;
        if (t->is_option) {
            d->st.option_records++;
            option_record(m->ex, &r);
        } else {
            finish_flow(d, m, &f, &r);
        }
    }
    return count;
}

static void pend_push(struct nfd *d, const struct msg *m, uint16_t set_id, const uint8_t *p,
                      size_t n)
{
    struct pending *q;
    /* Pending data may take a quarter of the budget: templates keep the rest. */
    if (d->npend >= d->pend_limit || d->pend_bytes + n > d->mem_budget / 4) {
        d->st.pending_dropped++;
        d->st.undecodable_sets++;
        d->st.undecodable_bytes += n;
        return;
    }
    q = nf_xcalloc(1, sizeof *q);
    q->ex = m->ex;
    q->set_id = set_id;
    q->version = (uint8_t)m->version;
    q->unix_secs = m->unix_secs;
    q->uptime = m->uptime;
    q->export_ms = m->export_ms;
    q->bytes = nf_xmalloc(n ? n : 1);
    memcpy(q->bytes, p, n);
    q->len = n;
    if (d->pend_tail)
        d->pend_tail->next = q;
    else
        d->pend = q;
    d->pend_tail = q;
    d->npend++;
    d->pend_bytes += n;
    d->st.pending_sets++;
    fit_budget(d, NULL);
    if (d->tmpl_bytes + d->pend_bytes > d->st.memory_peak)
        d->st.memory_peak = d->tmpl_bytes + d->pend_bytes;
}

/* A template just arrived: decode the data that waited for it, in arrival order. */
static void pend_release(struct nfd *d, struct exporter *ex, const struct tmpl *t)
{
    struct pending **pp = &d->pend, *q, *prev = NULL;
    while ((q = *pp) != NULL) {
        if (q->ex == ex && q->set_id == t->id) {
            struct msg m = {ex, q->version, q->unix_secs, q->uptime, q->export_ms};
            *pp = q->next;
            if (d->pend_tail == q)
                d->pend_tail = prev;
            d->npend--;
            d->pend_bytes -= q->len;
            d->st.pending_decoded++;
            data_set(d, &m, t, q->bytes, q->len);
            pending_free(q);
            continue;
        }
        prev = q;
        pp = &q->next;
    }
}

/*
 * Parses one template record at p (n bytes left in the set). ipfix: field
 * specifiers may carry enterprise numbers. nscope: leading scope fields
 * (v9 scope types are another namespace, so they are skipped). Returns
 * bytes used, or -1 (error set).
 */
static long template_record(struct nfd *d, const struct msg *m, const uint8_t *p, size_t n,
                            size_t base, int ipfix, int is_option, uint16_t id,
                            uint16_t nfields, uint16_t nscope, size_t hdr, struct errbuf *e)
{
    struct tmpl *t, *old;
    size_t off = hdr;
    uint32_t min_len = 0;

    if (id < 256)
        return fail(e, base, "template ID %u is below 256", id);
    if (nfields == 0)
        return fail(e, base, "template %u has no fields", id);
    if (nfields > NFD_MAX_FIELDS)
        return fail(e, base, "template %u has %u fields (at most %d)", id, nfields,
                    NFD_MAX_FIELDS);
    t = nf_xcalloc(1, sizeof *t);
    t->id = id;
    t->is_option = (uint8_t)is_option;
    t->nfields = nfields;
    t->f = nf_xcalloc(nfields, sizeof *t->f);
    for (uint16_t i = 0; i < nfields; i++) {
        struct field *fd = &t->f[i];
        if (n - off < 4) {
            tmpl_free(t);
            return fail(e, base + off, "template %u: field %u of %u past the end of its set", id,
                        i + 1, nfields);
        }
        fd->type = rd16(p + off);
        fd->len = rd16(p + off + 2);
        off += 4;
        if (ipfix && (fd->type & 0x8000)) {
            if (n - off < 4) {
                tmpl_free(t);
                return fail(e, base + off, "template %u: enterprise number past the end of its set",
                            id);
            }
            fd->type &= 0x7fff;
            fd->pen = rd32(p + off);
            off += 4;
        }
        if (fd->len == VARLEN) {
            t->has_var = 1;
            min_len += 1;
        } else {
            min_len += fd->len;
        }
        fd->act = i < nscope && !ipfix ? A_SKIP : action_of(fd->pen, fd->type, fd->len);
    }
    if (min_len == 0) {
        tmpl_free(t);
        return fail(e, base, "template %u describes zero-length records", id);
    }
    t->min_len = min_len;
    d->st.templates++;
    old = find_tmpl(d, m->ex, id);
    if (old && old->raw_len == off && memcmp(old->raw, p, off) == 0 &&
        old->is_option == is_option) {
        tmpl_free(t); /* the periodic resend of a template we have */
        return (long)off;
    }
    if (old)
        d->st.template_changes++; /* same id, new layout: data from now on decode by it */
    t->raw = nf_xmalloc(off);
    memcpy(t->raw, p, off);
    t->raw_len = off;
    if (put_tmpl(d, m->ex, t) < 0) {
        tmpl_free(t);
        return fail(e, base, "more than %d templates for one exporter", NFD_MAX_TEMPLATES);
    }
    if (d->pend)
        pend_release(d, m->ex, t);
    return (long)off;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* v9 template set (id 0) and options template set (id 1). */
static int v9_template_set(struct nfd *d, const struct msg *m, const uint8_t *p, size_t n,
                           size_t base, int is_option, struct errbuf *e)
{
    size_t off = 0;
    while (n - off >= (is_option ? 6u : 4u)) {
        uint16_t id = rd16(p + off);
        long used;
        if (id == 0 && all_zero(p + off, n - off))
            break; /* padding */
        if (!is_option) {
            uint16_t count = rd16(p + off + 2);
            used = template_record(d, m, p + off, n - off, base + off, 0, 0, id, count, 0, 4, e);
        } else {
            uint16_t scope_len = rd16(p + off + 2), opt_len = rd16(p + off + 4);
            if (scope_len % 4 || opt_len % 4)
                return fail(e, base + off,
                            "options template %u: scope length %u or option length %u "
                            "not a multiple of 4", id, scope_len, opt_len);
            used = template_record(d, m, p + off, n - off, base + off, 0, 1, id,
                                   (uint16_t)((scope_len + opt_len) / 4), scope_len / 4, 6, e);
        }
        if (used < 0)
            return -1;
        off += (size_t)used;
    }
    return 0;
}

/* IPFIX template set (id 2) and options template set (id 3), with withdrawals. */
static int ipfix_template_set(struct nfd *d, const struct msg *m, const uint8_t *p, size_t n,
                              size_t base, uint16_t set_id, struct errbuf *e)
{
    size_t off = 0;
    int is_option = set_id == 3;
    while (n - off >= 4) {
        uint16_t id = rd16(p + off), count = rd16(p + off + 2), nscope = 0;
        size_t hdr = 4;
        long used;
        if (count == 0) {
            if (id == 0)
                break; /* padding */
            d->st.withdrawals++;
            if (id == set_id) { /* withdraw all templates of this kind */
                for (size_t i = m->ex->nt; i-- > 0;)
                    if (m->ex->t[i]->is_option == is_option)
                        remove_tmpl(d, m->ex, i);
            } else {
                drop_tmpl(d, m->ex, id);
            }
            off += 4;
            continue;
        }
        if (is_option) {
            if (n - off < 6)
                return fail(e, base + off, "options template %u: header past the end of its set",
                            id);
            nscope = rd16(p + off + 4);
            hdr = 6;
            if (nscope > count)
                return fail(e, base + off, "options template %u: %u scope fields of %u", id,
                            nscope, count);
        }
        used = template_record(d, m, p + off, n - off, base + off, 1, is_option, id, count,
                               nscope, hdr, e);
        if (used < 0)
            return -1;
        off += (size_t)used;
    }
    return 0;
}

/* Returns the records decoded now; *waited is set when the set waits for its template. */
static uint32_t data_or_pending(struct nfd *d, const struct msg *m, uint16_t set_id,
                                const uint8_t *p, size_t n, int *waited)
{
    const struct tmpl *t = find_tmpl(d, m->ex, set_id);
    if (t)
        return data_set(d, m, t, p, n);
    pend_push(d, m, set_id, p, n);
    *waited = 1;
    return 0;
}

/* ---- sequence numbers ------------------------------------------------- */

/* Counts of the stream's unit: export packets for v9, records otherwise. */
static void count_lost(struct nfd *d, int packets, int64_t n)
{
    if (packets)
        d->st.lost_packets = (uint64_t)((int64_t)d->st.lost_packets + n);
    else
        d->st.lost_records = (uint64_t)((int64_t)d->st.lost_records + n);
}

static void open_gap(struct nfd *d, struct seq_state *q, uint32_t start, uint32_t len, int packets)
{
    if (q->ngap == SEQ_GAPS) { /* the oldest gap stays lost: too late to be filled now */
        memmove(q->gap, q->gap + 1, (SEQ_GAPS - 1) * sizeof q->gap[0]);
        q->ngap--;
    }
    q->gap[q->ngap].start = start;
    q->gap[q->ngap].len = len;
    q->ngap++;
    count_lost(d, packets, len);
}

/*
 * A datagram numbered [s, s+len) behind the stream: takes what it covers
 * out of the open gaps (splitting one when it lands inside). Returns the
 * count it filled.
 */
static uint32_t fill_gaps(struct seq_state *q, uint32_t s, uint32_t len)
{
    uint32_t filled = 0;
    if (len == 0)
        len = 1; /* a message of no records still shows its number arrived */
    for (size_t i = 0; i < q->ngap; i++) {
        struct seq_gap *g = &q->gap[i];
        uint32_t lo = s - g->start, hi; /* offsets into the gap, modulo 2^32 */
        uint32_t from, to;
        if (lo < g->len) {
            from = lo;
        } else if ((uint32_t)(g->start - s) < len) {
            from = 0;
        } else {
            continue;
        }
        hi = s + len - g->start;
        to = hi < g->len && hi > from ? hi : g->len;
        if (from == 0 && to == g->len) {
            filled += g->len;
            memmove(g, g + 1, (q->ngap - i - 1) * sizeof *g);
            q->ngap--;
            i--;
        } else if (from == 0) {
            filled += to;
            g->start += to;
            g->len -= to;
        } else if (to == g->len) {
            filled += g->len - from;
            g->len = from;
        } else if (q->ngap < SEQ_GAPS) { /* inside: the gap splits in two */
            memmove(g + 2, g + 1, (q->ngap - i - 1) * sizeof *g);
            g[1].start = g->start + to;
            g[1].len = g->len - to;
            g->len = from;
            q->ngap++;
            filled += to - from;
            i++;
        } else {
            filled += to - from; /* no room to split: keep the front part open */
            g->len = from;
        }
    }
    return filled;
}

/* The main stream went on: a candidate held before it was a stray or a duplicate. */
static void drop_candidate(struct nfd *d, struct seq_state *q)
{
    if (!q->has_cand)
        return;
    if (q->cand_near)
        d->st.duplicates++;
    else
        d->st.seq_outliers++;
    q->has_cand = 0;
}

/* s continues the stream at q->next or jumps at most SEQ_JUMP ahead. */
static void advance_stream(struct nfd *d, struct seq_state *q, uint32_t s, uint32_t advance,
                           int exact, int packets)
{
    uint32_t ahead = s - q->next;
    if (ahead && !q->unknown_advance)
        open_gap(d, q, q->next, ahead, packets);
    q->next = exact ? s + advance : s;
    q->unknown_advance = !exact;
}

/*
 * One datagram's sequence number s; advance is its count (records or 1
 * packet), exact = 0 when some of its records waited for their template
 * (IPFIX), so the next number is not known.
 */
static void check_seq(struct nfd *d, struct exporter *ex, uint32_t s, uint32_t advance, int exact,
                      int packets)
{
    struct seq_state *q = &ex->seq;
    uint32_t jump = packets ? SEQ_JUMP_PACKETS : SEQ_JUMP_RECORDS;
    uint32_t ahead = s - q->next, behind = q->next - s;
    if (!q->has) {
        q->has = 1;
        q->first = s;
        q->next = exact ? s + advance : s;
        q->unknown_advance = !exact;
        return;
    }
    /* A candidate continued exactly beats the old stream continued with a gap. */
    if (ahead != 0 && q->has_cand && s == q->cand_next)
        goto reset;
    if (ahead <= jump) {
        drop_candidate(d, q);
        advance_stream(d, q, s, advance, exact, packets);
        return;
    }
    if (behind <= jump) {
        uint32_t filled = fill_gaps(q, s, advance);
        if (filled) {
            count_lost(d, packets, -(int64_t)filled);
            d->st.late++;
            drop_candidate(d, q);
            return;
        }
    }
    /* Far from the stream, or behind it on numbers already seen. */
    if (q->has_cand && (uint32_t)(s - q->cand_next) <= jump) {
reset:
        d->st.seq_resets++;
        q->ngap = 0;
        q->has_cand = 0;
        q->first = q->cand_start;
        q->next = q->cand_next;
        q->unknown_advance = 0;
        advance_stream(d, q, s, advance, exact, packets);
        return;
    }
    drop_candidate(d, q);
    q->has_cand = 1;
    q->cand_near = behind <= q->next - q->first; /* on numbers the stream has had */
    q->cand_start = s;
    q->cand_next = s + advance;
}

/* End of input: a candidate nothing followed is counted as what it looked like. */
static void seq_finish(struct nfd *d, struct exporter *ex)
{
    drop_candidate(d, &ex->seq);
}

/* ---- versions --------------------------------------------------------- */

static int decode_v5(struct nfd *d, const uint8_t *p, size_t n, const struct nf_addr *a,
                     struct errbuf *e)
{
    uint16_t count;
    struct msg m;
    uint64_t interval;
    if (n < 24)
        return fail(e, n, "NetFlow v5 header needs 24 bytes, datagram has %zu", n);
    count = rd16(p + 2);
    if (count == 0 || count > 30)
        return fail(e, 2, "NetFlow v5 record count %u (1 to 30 allowed)", count);
    if (24 + (size_t)count * 48 > n)
        return fail(e, n, "NetFlow v5 header says %u records (%zu bytes), datagram has %zu",
                    count, 24 + (size_t)count * 48, n);
    m.ex = get_exporter(d, a, 5, rd16(p + 20)); /* engine type and id */
    m.version = 5;
    m.uptime = rd32(p + 4);
    m.unix_secs = rd32(p + 8);
    m.export_ms = (int64_t)m.unix_secs * 1000 + rd32(p + 12) / 1000000;
    check_seq(d, m.ex, rd32(p + 16), count, 1, 0);
    interval = rd16(p + 22) & 0x3fff;
    d->st.v5++;
    for (uint16_t i = 0; i < count; i++) {
        const uint8_t *r = p + 24 + (size_t)i * 48;
        struct nf_flow f;
        flow_init(&f, &m);
        nf_addr_v4(&f.src, rd32(r));
        nf_addr_v4(&f.dst, rd32(r + 4));
        nf_addr_v4(&f.next_hop, rd32(r + 8));
        f.input_snmp = rd16(r + 12);
        f.output_snmp = rd16(r + 14);
        f.in_pkts = rd32(r + 16);
        f.in_bytes = rd32(r + 20);
        f.first_ms = m.export_ms + uptime_delta(rd32(r + 24), m.uptime);
        f.last_ms = m.export_ms + uptime_delta(rd32(r + 28), m.uptime);
        f.has_time = 1;
        f.duration_ms = f.last_ms > f.first_ms ? (uint64_t)(f.last_ms - f.first_ms) : 0;
        f.src_port = rd16(r + 32);
        f.dst_port = rd16(r + 34);
        f.tcp_flags = r[37];
        f.proto = r[38];
        f.src_tos = r[39];
        f.src_as = rd16(r + 40);
        f.dst_as = rd16(r + 42);
        f.src_mask = r[44];
        f.dst_mask = r[45];
        f.present |= NF_HAS_NEXT_HOP | NF_HAS_INPUT_SNMP | NF_HAS_OUTPUT_SNMP | NF_HAS_SRC_TOS |
                     NF_HAS_SRC_AS | NF_HAS_DST_AS | NF_HAS_SRC_MASK | NF_HAS_DST_MASK;
        if (interval > 1) {
            f.sampling_interval = interval;
            f.present |= NF_HAS_SAMPLING;
        }
        d->st.flows++;
        d->emit(d->arg, &f);
    }
    return 0;
}

/*
 * Walks the flowsets of a v9 packet without decoding them: every length
 * must fit, and the header's count (records, or flowsets for some
 * exporters) can never be below the number of flowsets. Returns the end
 * of the last flowset (zero fill after it is allowed), or -1.
 */
static long v9_walk(const uint8_t *p, size_t n, uint16_t count, struct errbuf *e)
{
    size_t off = 20, nsets = 0;
    while (n - off >= 4) {
        uint16_t id = rd16(p + off), len = rd16(p + off + 2);
        if (len < 4) {
            if (all_zero(p + off, n - off))
                break;
            return fail(e, off + 2, "flowset %u length %u (at least 4)", id, len);
        }
        if (len > n - off)
            return fail(e, off + 2,
                        "flowset %u length %u runs past the datagram end (%zu bytes left)", id, len,
                        n - off);
        nsets++;
        off += len;
    }
    if (nsets > count)
        return fail(e, 2, "header count %u, but the packet holds %zu flowsets", count, nsets);
    return (long)off;
}

static int decode_v9(struct nfd *d, const uint8_t *p, size_t n, const struct nf_addr *a,
                     struct errbuf *e)
{
    struct msg m;
    size_t off = 20, end;
    long walked;
    if (n < 20)
        return fail(e, n, "NetFlow v9 header needs 20 bytes, datagram has %zu", n);
    walked = v9_walk(p, n, rd16(p + 2), e);
    if (walked < 0)
        return -1;
    end = (size_t)walked;
    m.ex = get_exporter(d, a, 9, rd32(p + 16));
    m.version = 9;
    m.uptime = rd32(p + 4);
    m.unix_secs = rd32(p + 8);
    m.export_ms = (int64_t)m.unix_secs * 1000;
    check_seq(d, m.ex, rd32(p + 12), 1, 1, 1);
    d->st.v9++;
    while (off < end) {
        uint16_t id = rd16(p + off), len = rd16(p + off + 2);
        if (id == 0 || id == 1) {
            if (v9_template_set(d, &m, p + off + 4, len - 4u, off + 4, id, e) < 0)
                return -1;
        } else if (id >= 256) {
            int waited = 0;
            data_or_pending(d, &m, id, p + off + 4, len - 4u, &waited);
        }
        off += len;
    }
    return 0;
}

static int decode_ipfix_message(struct nfd *d, const uint8_t *p, size_t n, size_t base,
                                const struct nf_addr *a, struct errbuf *e)
{
    struct msg m;
    size_t off = 16;
    uint32_t records = 0, seq = rd32(p + 8);
    int waited = 0;
    m.ex = get_exporter(d, a, 10, rd32(p + 12));
    m.version = 10;
    m.uptime = 0;
    m.unix_secs = rd32(p + 4);
    m.export_ms = (int64_t)m.unix_secs * 1000;
    /* Lengths first, so a message that lies about them yields nothing. */
    for (off = 16; n - off >= 4;) {
        uint16_t id = rd16(p + off), len = rd16(p + off + 2);
        if (len < 4)
            return fail(e, base + off + 2, "set %u length %u (at least 4)", id, len);
        if (len > n - off)
            return fail(e, base + off + 2,
                        "set %u length %u runs past the message end (%zu bytes left)", id, len,
                        n - off);
        off += len;
    }
    if (n - off != 0)
        return fail(e, base + off, "%zu stray bytes after the last set", n - off);
    d->st.ipfix++;
    {
        for (off = 16; off < n;) {
            uint16_t id = rd16(p + off), len = rd16(p + off + 2);
            if (id == 2 || id == 3) {
                if (ipfix_template_set(d, &m, p + off + 4, len - 4u, base + off + 4, id, e) < 0)
                    return -1;
            } else if (id >= 256) {
                records += data_or_pending(d, &m, id, p + off + 4, len - 4u, &waited);
            }
            off += len;
        }
        check_seq(d, m.ex, seq, records, !waited, 0);
    }
    return 0;
}

static int decode_ipfix(struct nfd *d, const uint8_t *p, size_t n, const struct nf_addr *a,
                        struct errbuf *e)
{
    size_t off = 0;
    while (off < n) {
        uint16_t version, len;
        if (n - off < 16)
            return fail(e, off, "IPFIX message header needs 16 bytes, %zu left", n - off);
        version = rd16(p + off);
        len = rd16(p + off + 2);
        if (version != 10)
            return fail(e, off, "IPFIX message version %u (expected 10)", version);
        if (len < 16)
            return fail(e, off + 2, "IPFIX message length %u (at least 16)", len);
        if (len > n - off)
            return fail(e, off + 2, "IPFIX message length %u, only %zu bytes left", len, n - off);
        if (decode_ipfix_message(d, p + off, len, off, a, e) < 0)
            return -1;
        off += len;
    }
    return 0;
}

int nfd_datagram(struct nfd *d, const uint8_t *p, size_t n, const struct nf_addr *exporter,
                 size_t *err_off, char *why, size_t whylen)
{
    struct errbuf e = {err_off, why, whylen};
    uint16_t version;
    int rc;
    d->st.datagrams++;
    if (n < 4) {
        rc = fail(&e, 0, "%zu bytes is too short for a NetFlow/IPFIX header", n);
    } else {
        version = rd16(p);
        switch (version) {
        case 5: rc = decode_v5(d, p, n, exporter, &e); break;
        case 9: rc = decode_v9(d, p, n, exporter, &e); break;
        case 10: rc = decode_ipfix(d, p, n, exporter, &e); break;
        default: rc = fail(&e, 0, "unknown export version %u (expected 5, 9 or 10)", version);
        }
    }
    if (rc < 0)
        d->st.rejected++;
    return rc;
}

int nfd_looks_like_export(const uint8_t *p, size_t n)
{
    if (n < 4)
        return 0;
    switch (rd16(p)) {
    case 5: {
        size_t count = rd16(p + 2);
        return n >= 24 && count >= 1 && count <= 30 && 24 + count * 48 <= n;
    }
    case 9:
        return n >= 20 && rd16(p + 2) > 0;
    case 10:
        return n >= 16 && rd16(p + 2) >= 16 && rd16(p + 2) <= n;
    default:
        return 0;
    }
}
