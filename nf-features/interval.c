/*
 * interval.c - the formulas of the 116 interval features (docs/features.md
 * has the table with every formula and the choices the published list
 * leaves open). Their names, order and number form are lib/features.def:
 * each value goes to its NF_F_<name> slot, so the order here is free.
 */
#include "interval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

enum { CAT_TCP, CAT_UDP, CAT_OTHER };

static int category(unsigned proto)
{
    return proto == 6 ? CAT_TCP : proto == 17 ? CAT_UDP : CAT_OTHER;
}

void interval_init(struct interval *iv, const struct nf_cidr_list *internal)
{
    memset(iv, 0, sizeof *iv);
    iv->internal = internal;
    strtab_init(&iv->subnets);
}

void interval_free(struct interval *iv)
{
    free(iv->recs);
    free(iv->sub_inside);
    free(iv->sub_role);
    strtab_free(&iv->subnets);
    memset(iv, 0, sizeof *iv);
}

/* Index of the subnet in this window's table; inside decided on first sight. */
static int64_t subnet(struct interval *iv, const char *text, size_t len, const char **why)
{
    int added;
    uint32_t i;
    if (len == 0 || len >= NF_CIDR_STRLEN) {
        *why = "not a CIDR prefix";
        return -1;
    }
    i = strtab_put(&iv->subnets, text, len, &added);
    if (!added)
        return i;
    if (i >= iv->sub_cap) {
        iv->sub_cap = iv->sub_cap ? iv->sub_cap * 2 : 256;
        iv->sub_inside = nf_xrealloc(iv->sub_inside, iv->sub_cap);
        iv->sub_role = nf_xrealloc(iv->sub_role, iv->sub_cap);
    }
    iv->sub_role[i] = 0;
    {
        struct nf_cidr c;
        if (nf_cidr_parse(text, len, &c) != 0) {
            /* Forget it again so a bad text never counts as a subnet. */
            iv->sub_inside[i] = -1;
            *why = "not a CIDR prefix";
            return -1;
        }
        /* A subnet is inside when its network address lies in an internal prefix. */
        iv->sub_inside[i] = (signed char)nf_cidr_list_contains(iv->internal, &c.net);
        if (iv->scope)
            scope_subnet(iv->scope, &c);
    }
    return i;
}

int interval_add(struct interval *iv, const char *src, size_t srclen, const char *dst,
                 size_t dstlen, unsigned proto, double flows, double packets, double bytes,
                 const char **why)
{
    int64_t s, d;
    struct agg *a;
    s = subnet(iv, src, srclen, why);
    if (s < 0 || iv->sub_inside[s] < 0) {
        *why = "SRC_NET: not a CIDR prefix";
        return -1;
    }
    d = subnet(iv, dst, dstlen, why);
    if (d < 0 || iv->sub_inside[d] < 0) {
        *why = "DST_NET: not a CIDR prefix";
        return -1;
    }
    if (iv->n == iv->cap) {
        iv->cap = iv->cap ? iv->cap * 2 : 1024;
        iv->recs = nf_xrealloc(iv->recs, iv->cap * sizeof *iv->recs);
    }
    a = &iv->recs[iv->n++];
    a->flows = flows;
    a->packets = packets;
    a->bytes = bytes;
    a->proto = (uint8_t)proto;
    a->dir = 0;
    if (iv->sub_inside[d]) {
        a->dir |= AGG_IN;
        iv->sub_role[s] |= 1; /* sends data to the internal subnets */
    }
    if (iv->sub_inside[s]) {
        a->dir |= AGG_OUT;
        iv->sub_role[d] |= 2; /* receives data from the internal subnets */
    }
    if (iv->scope)
        scope_record(iv->scope, a->dir);
    return 0;
}

/* Counters of one selection of records (all, ingress, egress, ...). */
struct sums {
    double n, flows, packets, bytes;
};

static void sums_add(struct sums *s, const struct agg *a)
{
    s->n += 1;
    s->flows += a->flows;
    s->packets += a->packets;
    s->bytes += a->bytes;
}

static double ratio(double num, double den)
{
    return den != 0 ? num / den : 0;
}

/* Sample standard deviation, two passes; 0 with fewer than two values. */
struct moments {
    double n, sum, ss;
};

static double mom_mean(const struct moments *m)
{
    return ratio(m->sum, m->n);
}

static double mom_sd(const struct moments *m)
{
    return m->n >= 2 ? sqrt(m->ss / (m->n - 1)) : 0;
}

/* What is measured of a record for the mean/sd features. */
enum measure { M_FLOWS, M_BYTES, M_PACKETS, M_PKT_PER_FLOW, M_BYTE_PER_PKT, M_COUNT };

/* The value of measure m for a, or 0 with *ok = 0 when the ratio's denominator is 0. */
static double measure(const struct agg *a, int m, int *ok)
{
    *ok = 1;
    switch (m) {
    case M_FLOWS: return a->flows;
    case M_BYTES: return a->bytes;
    case M_PACKETS: return a->packets;
    case M_PKT_PER_FLOW:
        *ok = a->flows != 0;
        return *ok ? a->packets / a->flows : 0;
    default:
        *ok = a->packets != 0;
        return *ok ? a->bytes / a->packets : 0;
    }
}

/* moments[sel][measure]: sel 0 all, 1 ingress, 2 egress. */
static void all_moments(const struct interval *iv, struct moments mo[3][M_COUNT])
{
    size_t i;
    int sel, m, ok;
    memset(mo, 0, sizeof(struct moments) * 3 * M_COUNT);
    for (i = 0; i < iv->n; i++) {
        const struct agg *a = &iv->recs[i];
        for (sel = 0; sel < 3; sel++) {
            if (!(sel == 0 ? a->dir != 0 : (a->dir & sel)))
                continue;
            for (m = 0; m < M_COUNT; m++) {
                double v = measure(a, m, &ok);
                if (ok) {
                    mo[sel][m].n += 1;
                    mo[sel][m].sum += v;
                }
            }
        }
    }
    for (i = 0; i < iv->n; i++) {
        const struct agg *a = &iv->recs[i];
        for (sel = 0; sel < 3; sel++) {
            if (!(sel == 0 ? a->dir != 0 : (a->dir & sel)))
                continue;
            for (m = 0; m < M_COUNT; m++) {
                double v = measure(a, m, &ok), d;
                if (!ok)
                    continue;
                d = v - mom_mean(&mo[sel][m]);
                mo[sel][m].ss += d * d;
            }
        }
    }
}

static double sym(double in, double out)
{
    return in + out != 0 ? (in - out) / (in + out) : 0;
}

/*
 * Features 21-68 of protocol class C (TCP, UDP, Other) in direction D (in,
 * out), written to out: the class's sums over the direction's records s,
 * and its shares of the direction's totals t.
 */
#define CLASS_SUMS(C, D, s, t)                                              \
    do {                                                                    \
        out[NF_F_##C##_n_##D] = (s)->n;                                     \
        out[NF_F_##C##_bytes_##D] = (s)->bytes;                             \
        out[NF_F_##C##_packets_##D] = (s)->packets;                         \
        out[NF_F_##C##_flows_##D] = (s)->flows;                             \
        out[NF_F_##C##_n_share_##D] = ratio((s)->n, (t)->n);                \
        out[NF_F_##C##_bytes_share_##D] = ratio((s)->bytes, (t)->bytes);    \
        out[NF_F_##C##_packets_share_##D] = ratio((s)->packets, (t)->packets); \
        out[NF_F_##C##_flows_share_##D] = ratio((s)->flows, (t)->flows);    \
    } while (0)

/* Features 95-112, written to out: the class's sums s over its nprot distinct protocol numbers in direction D. */
#define CLASS_PER_PROTOCOL(C, D, s, nprot)                                  \
    do {                                                                    \
        out[NF_F_##C##_mean_flows_##D] = ratio((s)->flows, (nprot));        \
        out[NF_F_##C##_mean_bytes_##D] = ratio((s)->bytes, (nprot));        \
        out[NF_F_##C##_mean_packets_##D] = ratio((s)->packets, (nprot));    \
    } while (0)

/*
 * Features 69-86, written to out: mean and sd of FLOWS, BYTES, PACKETS over
 * the records of selection sel (0 all, 1 ingress, 2 egress), whose keys
 * carry P (nothing, in_, out_).
 */
#define MOMENTS(P, sel)                                                     \
    do {                                                                    \
        out[NF_F_mean_##P##flows] = mom_mean(&mo[sel][M_FLOWS]);            \
        out[NF_F_mean_##P##bytes] = mom_mean(&mo[sel][M_BYTES]);            \
        out[NF_F_mean_##P##packets] = mom_mean(&mo[sel][M_PACKETS]);        \
        out[NF_F_sd_##P##flows] = mom_sd(&mo[sel][M_FLOWS]);                \
        out[NF_F_sd_##P##bytes] = mom_sd(&mo[sel][M_BYTES]);                \
        out[NF_F_sd_##P##packets] = mom_sd(&mo[sel][M_PACKETS]);            \
    } while (0)

void interval_compute(struct interval *iv, double out[NF_NFEATURES])
{
    struct sums tot = {0}, in = {0}, eg = {0};
    struct sums cat_in[3], cat_out[3];
    double pflows[3][256]; /* [all, in, out][protocol] flows */
    unsigned char pseen[3][256];
    double nprot[3] = {0}, ncatprot[3][2]; /* [category][in, out] distinct protocols */
    double dom[3] = {0};
    double recv = 0, send = 0;
    struct moments mo[3][M_COUNT];
    size_t i;
    int c, p;

    memset(cat_in, 0, sizeof cat_in);
    memset(cat_out, 0, sizeof cat_out);
    memset(pflows, 0, sizeof pflows);
    memset(pseen, 0, sizeof pseen);
    memset(ncatprot, 0, sizeof ncatprot);
    for (i = 0; i < iv->n; i++) {
        const struct agg *a = &iv->recs[i];
        if (!a->dir)
            continue;
        c = category(a->proto);
        sums_add(&tot, a);
        pflows[0][a->proto] += a->flows;
        pseen[0][a->proto] = 1;
        if (a->dir & AGG_IN) {
            sums_add(&in, a);
            sums_add(&cat_in[c], a);
            pflows[1][a->proto] += a->flows;
            pseen[1][a->proto] = 1;
        }
        if (a->dir & AGG_OUT) {
            sums_add(&eg, a);
            sums_add(&cat_out[c], a);
            pflows[2][a->proto] += a->flows;
            pseen[2][a->proto] = 1;
        }
    }
    for (p = 0; p < 256; p++) {
        int sel;
        for (sel = 0; sel < 3; sel++) {
            if (!pseen[sel][p])
                continue;
            nprot[sel] += 1;
            if (pflows[sel][p] > dom[sel])
                dom[sel] = pflows[sel][p];
        }
        if (pseen[1][p])
            ncatprot[category((unsigned)p)][0] += 1;
        if (pseen[2][p])
            ncatprot[category((unsigned)p)][1] += 1;
    }
    for (i = 0; i < iv->subnets.n; i++) {
        if (iv->sub_role[i] & 1)
            send += 1;
        if (iv->sub_role[i] & 2)
            recv += 1;
    }
    all_moments(iv, mo);

    /* 1-12 */
    out[NF_F_n] = tot.n;
    out[NF_F_flows] = tot.flows;
    out[NF_F_bytes] = tot.bytes;
    out[NF_F_packets] = tot.packets;
    out[NF_F_in_n] = in.n;
    out[NF_F_in_flows] = in.flows;
    out[NF_F_in_packets] = in.packets;
    out[NF_F_in_bytes] = in.bytes;
    out[NF_F_out_n] = eg.n;
    out[NF_F_out_flows] = eg.flows;
    out[NF_F_out_packets] = eg.packets;
    out[NF_F_out_bytes] = eg.bytes;
    /* 13-20 */
    out[NF_F_n_protocols] = nprot[0];
    out[NF_F_n_protocols_ingress] = nprot[1];
    out[NF_F_n_protocols_egress] = nprot[2];
    out[NF_F_dom_prot_share_in] = ratio(dom[1], in.flows);
    out[NF_F_dom_prot_share_out] = ratio(dom[2], eg.flows);
    out[NF_F_dom_prot_share_total] = ratio(dom[0], tot.flows);
    out[NF_F_n_receiving_subnets] = recv;
    out[NF_F_n_sending_subnets] = send;
    /* 21-68 */
    CLASS_SUMS(TCP, in, &cat_in[CAT_TCP], &in);
    CLASS_SUMS(TCP, out, &cat_out[CAT_TCP], &eg);
    CLASS_SUMS(UDP, in, &cat_in[CAT_UDP], &in);
    CLASS_SUMS(UDP, out, &cat_out[CAT_UDP], &eg);
    CLASS_SUMS(Other, in, &cat_in[CAT_OTHER], &in);
    CLASS_SUMS(Other, out, &cat_out[CAT_OTHER], &eg);
    /* 69-86: mean and sd of flows, bytes, packets per record; all, in, out */
    MOMENTS(, 0);
    MOMENTS(in_, 1);
    MOMENTS(out_, 2);
    /* 87-94: per-record ratios */
    out[NF_F_mean_packets_per_in_flows] = mom_mean(&mo[1][M_PKT_PER_FLOW]);
    out[NF_F_sd_packets_per_in_flows] = mom_sd(&mo[1][M_PKT_PER_FLOW]);
    out[NF_F_mean_packets_per_out_flows] = mom_mean(&mo[2][M_PKT_PER_FLOW]);
    out[NF_F_sd_packets_per_out_flows] = mom_sd(&mo[2][M_PKT_PER_FLOW]);
    out[NF_F_mean_bytes_per_in_packets] = mom_mean(&mo[1][M_BYTE_PER_PKT]);
    out[NF_F_sd_bytes_per_in_packets] = mom_sd(&mo[1][M_BYTE_PER_PKT]);
    out[NF_F_mean_bytes_per_out_packets] = mom_mean(&mo[2][M_BYTE_PER_PKT]);
    out[NF_F_sd_bytes_per_out_packets] = mom_sd(&mo[2][M_BYTE_PER_PKT]);
    /* 95-112 */
    CLASS_PER_PROTOCOL(Other, in, &cat_in[CAT_OTHER], ncatprot[CAT_OTHER][0]);
    CLASS_PER_PROTOCOL(Other, out, &cat_out[CAT_OTHER], ncatprot[CAT_OTHER][1]);
    CLASS_PER_PROTOCOL(TCP, in, &cat_in[CAT_TCP], ncatprot[CAT_TCP][0]);
    CLASS_PER_PROTOCOL(TCP, out, &cat_out[CAT_TCP], ncatprot[CAT_TCP][1]);
    CLASS_PER_PROTOCOL(UDP, in, &cat_in[CAT_UDP], ncatprot[CAT_UDP][0]);
    CLASS_PER_PROTOCOL(UDP, out, &cat_out[CAT_UDP], ncatprot[CAT_UDP][1]);
    /* 113-116 */
    out[NF_F_sym_coeff] = sym(in.n, eg.n);
    out[NF_F_sym_coeff_flows] = sym(in.flows, eg.flows);
    out[NF_F_sym_coeff_bytes] = sym(in.bytes, eg.bytes);
    out[NF_F_sym_coeff_packets] = sym(in.packets, eg.packets);

    iv->n = 0;
    strtab_clear(&iv->subnets);
}

void interval_write_value(struct nf_jw *w, const char *name, double v, int is_count)
{
    /* Whole values print as integers, the text nf_jw_double gives them, without printf. */
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        nf_jw_i64(w, name, (int64_t)v);
    else if (is_count && v >= 0 && v < 18446744073709551616.0 && v == floor(v))
        nf_jw_u64(w, name, (uint64_t)v);
    else
        nf_jw_double(w, name, v);
}

void interval_write_members(struct nf_jw *w, int64_t start, int64_t end, const double feat[NF_NFEATURES])
{
    int i;
    nf_jw_i64(w, "WINDOW_START", start);
    nf_jw_i64(w, "WINDOW_END", end);
    for (i = 0; i < NF_NFEATURES; i++)
        interval_write_value(w, nf_features[i].name, feat[i], nf_features[i].is_count);
}
