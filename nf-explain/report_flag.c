/*
 * report_flag.c - "what is odd": one report per flagged nf-pca row, a flow
 * with its context features or an interval feature vector.
 *
 * The scored row is joined to its feature row (--features; by ID and time
 * key, by time key, or by row order: see docs/nf-explain.md), every
 * feature is placed against the baseline (the rows of the feature stream
 * not reported, or --baseline) by percentile and z-score, and the
 * explanation is assembled from sentences that each fire only when their
 * condition holds in the numbers. The same sentences go to Markdown and
 * to JSON.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib_interval.h"
#include "attrib_report.h"
#include "err.h"
#include "explain.h"
#include "featinfo.h"
#include "fmt.h"
#include "knowledge.h"
#include "markdown.h"
#include "ntime.h"
#include "plot.h"
#include "stats.h"

#define Z_UNUSUAL 3.0      /* |z| from which a feature is called far from the baseline */
#define PCT_HIGH 95.0      /* percentile from which a count is called high */
#define SCAN_MIN_SYN 10    /* SYN flows of a source before it can be a scan */
#define SCAN_MIN_ENTROPY 3.0 /* bits: at least 8 equally used destination ports */
#define TOP_CONTRIB 5

static const char *const flow_keys[] = {
    "ID", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_SRC_PORT", "L4_DST_PORT", "PROTOCOL_NUM", "TCP_FLAGS",
    "FIRST_SWITCHED", "LAST_SWITCHED", "FLOW_DURATION_MILLISECONDS", "IN_PKTS", "IN_BYTES",
    "OUT_PKTS", "OUT_BYTES",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sentences grouped in sections, rendered to Markdown and JSON ---- */

struct section {
    char title[96];
    char **lines;
    size_t n;
};

struct doc {
    struct section sec[8];
    size_t nsec;
};

static struct section *section_new(struct doc *d, const char *title)
{
    struct section *s = &d->sec[d->nsec++];
    snprintf(s->title, sizeof s->title, "%s", title);
    s->lines = NULL;
    s->n = 0;
    return s;
}

static void say(struct section *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct section *s, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        nf_die("out of memory");
    va_end(ap);
    s->lines = nf_xrealloc(s->lines, (s->n + 1) * sizeof *s->lines);
    s->lines[s->n++] = text;
}

static void doc_free(struct doc *d)
{
    size_t i, j;
    for (i = 0; i < d->nsec; i++) {
        for (j = 0; j < d->sec[i].n; j++)
            free(d->sec[i].lines[j]);
        free(d->sec[i].lines);
    }
    d->nsec = 0;
}

/* ---- the baseline ---- */

struct baseline {
    const struct nf_table *t;
    unsigned char *use;         /* rows of t in the baseline (NULL = all) */
    struct nfx_dist *dist;      /* per column, built on first use */
    unsigned char *built;
    size_t rows;
};

static const struct nfx_dist *dist_of(struct baseline *b, const char *name)
{
    long c = nfx_col(b->t, name);
    if (c < 0)
        return NULL;
    if (!b->built[c]) {
        nfx_dist_init(&b->dist[c], b->t->x + c, b->t->nrows, b->t->ncols, b->use);
        b->built[c] = 1;
    }
    return b->dist[c].n ? &b->dist[c] : NULL;
}

/* One feature of the reported row placed against the baseline. */
struct placed {
    const char *name;
    struct nf_feature fi;
    double value, median, pct, z;
    size_t n;
};

static int place(struct baseline *b, const cJSON *row, const char *name, struct placed *p)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, name);
    p->name = name;
    p->fi = nfx_feat_of(name);
    p->value = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    p->median = p->pct = p->z = NAN;
    p->n = 0;
    const struct nfx_dist *d = dist_of(b, name);
    if (d && isfinite(p->value)) {
        p->median = d->median;
        p->pct = nfx_dist_percentile(d, p->value);
        p->z = nfx_dist_z(d, p->value);
        p->n = d->n;
    }
    return isfinite(p->value);
}

/* "higher than 99.1 % of the 6,700 baseline flows (z = +3.21)" */
static const char *against(struct baseline *b, const struct placed *p, const char *what)
{
    const struct nfx_dist *d = dist_of(b, p->name);
    size_t below, equal, above;
    const char *z = "";

    if (!d || !isfinite(p->value))
        return "not in the baseline";
    nfx_dist_rank(d, p->value, &below, &equal);
    above = d->n - below - equal;
    if (isfinite(p->z))
        z = nfx_kept(" (z = %s)", nfx_signed(p->z).s);
    if (2 * equal >= d->n)
        return nfx_kept("the same value as %s of the %s baseline %s%s",
                        nfx_pct(100.0 * (double)equal / (double)d->n).s, nfx_num((double)d->n).s, what, z);
    if (below > above)
        return nfx_kept("higher than %s of the %s baseline %s%s",
                        nfx_pct(100.0 * (double)below / (double)d->n).s, nfx_num((double)d->n).s, what, z);
    if (above > below)
        return nfx_kept("lower than %s of the %s baseline %s%s",
                        nfx_pct(100.0 * (double)above / (double)d->n).s, nfx_num((double)d->n).s, what, z);
    return nfx_kept("at the middle of the %s baseline %s%s", nfx_num((double)d->n).s, what, z);
}

/* ---- one report ---- */

struct flagged {
    int rank;
    int is_flow;
    size_t srow, frow;
    cJSON *row;             /* feature row with the scored row's members added */
    double spe, t2, spe_limit, t2_limit;
    int spe_flag, t2_flag;
    int by_t2;              /* ranked by T2 (else SPE): nfx_rank_stat */
    double rank_key;
    int64_t time;
    int has_time;
    struct placed *feat;    /* placed features, table order */
    size_t nfeat;
    size_t *by_z;           /* indices into feat sorted by |z| */
    size_t nz;
    struct doc doc;
    /* model contributions */
    int have_proj;
    double proj_spe, proj_t2;
    size_t spe_top[TOP_CONTRIB], nspe_top, t2_top[TOP_CONTRIB], nt2_top;
    double *spe_share, *t2_share, *zmodel;
    int filled;               /* fill_row done (ahead of the loop when attributing) */
    struct nfx_attrib *attrib; /* which records made the interval unusual (--records), or NULL */
};

static double num(const cJSON *row, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1 : 0;
    return NAN;
}

/* A small whole number (protocol, port, flags), or -1 when absent or out of range. */
static int inum(const cJSON *row, const char *key)
{
    double v = num(row, key);
    return isfinite(v) && v >= 0 && v <= 65535 ? (int)v : -1;
}

static const char *str(const cJSON *row, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A string member as Markdown text, or NULL. */
static const char *md_str(const cJSON *row, const char *key)
{
    const char *s = str(row, key);
    return s ? nfx_md_text(s) : NULL;
}

static const struct placed *placed_of(const struct flagged *f, const char *name)
{
    size_t i;
    for (i = 0; i < f->nfeat; i++)
        if (strcmp(f->feat[i].name, name) == 0 && isfinite(f->feat[i].value))
            return &f->feat[i];
    return NULL;
}

static const struct flagged *sort_ctx;
static int by_abs_z(const void *a, const void *b)
{
    const struct placed *x = &sort_ctx->feat[*(const size_t *)a], *y = &sort_ctx->feat[*(const size_t *)b];
    double zx = isfinite(x->z) ? fabs(x->z) : -1, zy = isfinite(y->z) ? fabs(y->z) : -1;
    if (zx != zy)
        return zx < zy ? 1 : -1;
    return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Which features to place: flow measures and context, or every interval feature. */
static void place_features(struct flagged *f, struct baseline *b, const struct nf_table *ft)
{
    size_t i, j;
    f->feat = nf_xcalloc(ft->ncols + NELEM(flow_keys) + NF_NCONTEXT, sizeof *f->feat);
    f->nfeat = 0;
    if (f->is_flow) {
        static const char *const measures[] = {"FLOW_DURATION_MILLISECONDS", "IN_PKTS", "IN_BYTES", "OUT_PKTS", "OUT_BYTES"};
        for (i = 0; i < NELEM(measures); i++)
            if (place(b, f->row, measures[i], &f->feat[f->nfeat]))
                f->nfeat++;
        for (i = 0; i < NF_NCONTEXT; i++)
            if (place(b, f->row, nf_context[i].name, &f->feat[f->nfeat]))
                f->nfeat++;
    } else {
        for (j = 0; j < ft->ncols; j++) {
            if (strcmp(ft->colnames[j], "WINDOW_END") == 0)
                continue;
            if (place(b, f->row, ft->colnames[j], &f->feat[f->nfeat]))
                f->nfeat++;
        }
    }
    f->by_z = nf_xmalloc((f->nfeat ? f->nfeat : 1) * sizeof *f->by_z);
    f->nz = 0;
    for (i = 0; i < f->nfeat; i++)
        if (isfinite(f->feat[i].z))
            f->by_z[f->nz++] = i;
    sort_ctx = f;
    qsort(f->by_z, f->nz, sizeof *f->by_z, by_abs_z);
}

/* SPE and T2 contributions from the model, for the row's own values. */
static void project(const struct nfx_ctx *ctx, struct flagged *f)
{
    const struct nf_pca_model *m = ctx->model;
    double *x, *resid, *scores;
    size_t j, c, missing;

    if (!m)
        return;
    x = nf_xmalloc(m->p * sizeof *x);
    resid = nf_xmalloc(m->p * sizeof *resid);
    scores = nf_xmalloc(m->k * sizeof *scores);
    f->zmodel = nf_xcalloc(m->p, sizeof *f->zmodel);
    for (j = 0; j < m->p; j++)
        x[j] = num(f->row, m->columns[j]);
    missing = nf_pca_project(m, x, f->zmodel, scores, resid, &f->proj_spe, &f->proj_t2);
    if (missing < m->p) {
        f->have_proj = 1;
        f->spe_share = nf_xcalloc(m->p, sizeof *f->spe_share);
        f->t2_share = nf_xcalloc(m->k, sizeof *f->t2_share);
        for (j = 0; j < m->p; j++)
            f->spe_share[j] = f->proj_spe > 0 ? resid[j] * resid[j] / f->proj_spe : 0;
        for (c = 0; c < m->k; c++)
            f->t2_share[c] = f->proj_t2 > 0 ? scores[c] * scores[c] / m->eigenvalues[c] / f->proj_t2 : 0;
        f->nspe_top = nfx_top_indices(f->spe_share, m->p, 0, f->spe_top, TOP_CONTRIB);
        f->nt2_top = nfx_top_indices(f->t2_share, m->k, 0, f->t2_top, TOP_CONTRIB);
    }
    free(x);
    free(resid);
    free(scores);
}

static const char *what_rows(const struct flagged *f)
{
    return f->is_flow ? "flows" : "intervals";
}

/* "SPE 3.2× its limit", "SPE 3.2× and T² 1.4× their limits", "not flagged" for the index */
static const char *limit_text(const struct flagged *f)
{
    double rs = f->spe / f->spe_limit, rt = f->t2 / f->t2_limit;
    int ks = f->spe_flag && isfinite(rs) && f->spe_limit > 0, kt = f->t2_flag && isfinite(rt) && f->t2_limit > 0;
    if (ks && kt)
        return nfx_kept("SPE %s× and T² %s× their limits", nfx_fixed(rs, 1).s, nfx_fixed(rt, 1).s);
    if (ks || kt)
        return nfx_kept("%s %s× its limit", ks ? "SPE" : "T²", nfx_fixed(ks ? rs : rt, 1).s);
    if (f->spe_flag || f->t2_flag)
        return nfx_kept("%s%s%s (no limit given)", f->spe_flag ? "SPE" : "", f->spe_flag && f->t2_flag ? " and " : "",
                        f->t2_flag ? "T²" : "");
    return "not flagged";
}

/* ---- the explanation sections ---- */

static void why_flagged(struct flagged *f, struct section *s)
{
    int k;
    static const char *const what[2] = {"SPE (the squared residual off the model's principal subspace)",
                                        "Hotelling's T² (the distance inside the principal subspace)"};
    int selected_by_flag = 0;
    for (k = 0; k < 2; k++) {
        int flag = k ? f->t2_flag : f->spe_flag;
        double v = k ? f->t2 : f->spe, lim = k ? f->t2_limit : f->spe_limit;
        if (!flag)
            continue;
        selected_by_flag = 1;
        if (isfinite(v) && isfinite(lim) && lim > 0)
            say(s, "Flagged by %s: %s, %s× its limit of %s.", what[k], nfx_num(v).s, nfx_fixed(v / lim, 1).s, nfx_num(lim).s);
        else
            say(s, "Flagged by %s: %s (the row gives no limit).", what[k], nfx_num(v).s);
    }
    if (!selected_by_flag) {
        const char *sn = f->by_t2 ? "T²" : "SPE";
        double v = f->by_t2 ? f->t2 : f->spe, lim = f->by_t2 ? f->t2_limit : f->spe_limit;
        if (isfinite(lim))
            say(s, "Selected as number %d of the rows ranked by %s: %s (limit %s, %s).", f->rank, sn, nfx_num(v).s,
                nfx_num(lim).s, v > lim ? "exceeded" : "not exceeded");
        else
            say(s, "Selected as number %d of the rows ranked by %s: %s.", f->rank, sn, nfx_num(v).s);
    }
}

static void protocol_section(struct baseline *b, struct flagged *f, struct section *s, char *service_out, size_t cap)
{
    size_t i, r;
    int side;
    char pbuf[32], flags[64];
    int proto = inum(f->row, "PROTOCOL_NUM");
    int sport = inum(f->row, "L4_SRC_PORT"), dport = inum(f->row, "L4_DST_PORT");
    if (proto < 0 || sport < 0 || dport < 0)
        return; /* no protocol and ports to explain: the section is left out */
    const char *pname = nfx_proto_name(proto, pbuf, sizeof pbuf);
    struct nfx_service ss, ds;
    int sk = nfx_service_lookup(proto, sport, &ss), dk = nfx_service_lookup(proto, dport, &ds);
    service_out[0] = '\0';
    if (proto == 1 || proto == 58) {
        /* NetFlow carries the ICMP type and code in the destination port: type * 256 + code. */
        static const struct { int v6, type; const char *name; } icmp[] = {
            {0, 0, "echo reply"}, {0, 3, "destination unreachable"}, {0, 5, "redirect"}, {0, 8, "echo request"},
            {0, 11, "time exceeded"}, {1, 1, "destination unreachable"}, {1, 2, "packet too big"},
            {1, 3, "time exceeded"}, {1, 128, "echo request"}, {1, 129, "echo reply"},
            {1, 135, "neighbour solicitation"}, {1, 136, "neighbour advertisement"}};
        int type = dport / 256, code = dport % 256;
        const char *tname = NULL;
        for (i = 0; i < NELEM(icmp); i++)
            if (icmp[i].v6 == (proto == 58) && icmp[i].type == type)
                tname = icmp[i].name;
        say(s, "Protocol %d is %s; the destination port field holds type %d and code %d (type · 256 + code)%s%s%s.",
            proto, pname, type, code, tname ? ": " : "", tname ? tname : "", "");
        return;
    }
    say(s, "Protocol %d is %s; the flow runs from port %d to port %d.", proto, pname, sport, dport);
    const char *plow = proto == 6 ? "tcp" : proto == 17 ? "udp" : "sctp";
    for (side = 0; side < 2; side++) {
        int port = side ? dport : sport, known = side ? dk : sk;
        const struct nfx_service *sv = side ? &ds : &ss;
        const char *which = side ? "Destination" : "Source";
        if (known && sv->name) {
            say(s, "%s port %d/%s is **%s**: %s%s%s%s.", which, port, plow, sv->name, sv->note,
                sv->iana[0] ? " (IANA service name: " : "", sv->iana, sv->iana[0] ? ")" : "");
            if (!service_out[0])
                snprintf(service_out, cap, "%s/%d %s", pname, port, sv->name);
        } else if (known) {
            say(s, "%s port %d/%s is registered with IANA as \"%s\".", which, port, plow, sv->iana);
            if (!service_out[0])
                snprintf(service_out, cap, "%s/%d %s", pname, port, sv->iana);
        } else if (proto == 6 || proto == 17 || proto == 132) {
            char eph[96] = "";
            if (nfx_port_linux_ephemeral(port) || port >= NFX_IANA_DYNAMIC_LO)
                snprintf(eph, sizeof eph, "; it lies in %s%s%s",
                         port >= NFX_IANA_DYNAMIC_LO ? "the IANA dynamic range (49152-65535)" : "",
                         port >= NFX_IANA_DYNAMIC_LO && nfx_port_linux_ephemeral(port) ? " and " : "",
                         nfx_port_linux_ephemeral(port) ? "Linux's ephemeral range (32768-60999)" : "");
            say(s, "%s port %d has no service name in the system's services database or the built-in table; "
                   "it is in the %s range%s%s.",
                which, port, nfx_port_range(port), eph,
                eph[0] ? ", where operating systems pick client ports" : "");
        }
    }
    if (sk && !dk && (nfx_port_linux_ephemeral(dport) || dport >= NFX_IANA_DYNAMIC_LO))
        say(s, "The service port is the source: this record carries traffic from the service side to a client port.");
    if (dk && !sk && (nfx_port_linux_ephemeral(sport) || sport >= NFX_IANA_DYNAMIC_LO))
        say(s, "The service port is the destination: this record carries traffic from a client port to the service.");
    /* How common is this protocol and service port in the baseline? */
    long cp = nfx_col(b->t, "PROTOCOL_NUM"), cs = nfx_col(b->t, "L4_SRC_PORT"), cd = nfx_col(b->t, "L4_DST_PORT");
    int port = sk ? sport : dk ? dport : -1;
    if (cp >= 0 && cs >= 0 && cd >= 0 && port >= 0) {
        size_t same = 0, proto_same = 0, n = 0;
        for (r = 0; r < b->t->nrows; r++) {
            if (b->use && !b->use[r])
                continue;
            n++;
            double pr = nf_table_at(b->t, r, (size_t)cp);
            if (pr != proto)
                continue;
            proto_same++;
            same += nf_table_at(b->t, r, (size_t)cs) == port || nf_table_at(b->t, r, (size_t)cd) == port;
        }
        if (n > 0)
            say(s, "In the baseline, %s of %s flows (%s) are %s and %s (%s) are %s with port %d on either side.",
                nfx_num((double)proto_same).s, nfx_num((double)n).s, nfx_pct(100.0 * (double)proto_same / (double)n).s, pname,
                nfx_num((double)same).s, nfx_pct(100.0 * (double)same / (double)n).s, pname, port);
    }
    int tf = inum(f->row, "TCP_FLAGS");
    if (proto == 6 && tf >= 0) {
        nfx_tcp_flags(tf, flags, sizeof flags);
        if (tf == 2 && num(f->row, "OUT_PKTS") == 0)
            say(s, "The TCP flags are SYN only (0x02) and no packet came back (OUT_PKTS 0): a connection attempt without a recorded reply.");
        else if (tf == 2)
            say(s, "The TCP flags are SYN only (0x02): no handshake completion was recorded in this direction.");
        else if (tf == 0)
            say(s, "No TCP flags were recorded (TCP_FLAGS 0); some sources, such as Argus CSV, do not export them.");
        else
            say(s, "The TCP flags seen are %s (0x%02x).", flags, tf);
    }
}

static void volume_section(struct baseline *b, struct flagged *f, struct section *s)
{
    double in_b = num(f->row, "IN_BYTES"), in_p = num(f->row, "IN_PKTS");
    double out_b = num(f->row, "OUT_BYTES"), out_p = num(f->row, "OUT_PKTS"), dur = num(f->row, "FLOW_DURATION_MILLISECONDS");
    const struct placed *p;
    if (isfinite(in_b) && isfinite(in_p)) {
        say(s, "The flow carried %s (%s B) in %s in its direction.", nfx_bytes(in_b).s, nfx_num(in_b).s,
            nfx_value(NF_UNIT_PACKETS, in_p).s);
        if ((p = placed_of(f, "IN_BYTES")))
            say(s, "Its byte count is %s.", against(b, p, "flows"));
    }
    if (isfinite(out_p) && out_p == 0)
        say(s, "No packets were recorded in the reverse direction (OUT_PKTS 0).");
    else if (isfinite(out_b) && isfinite(out_p))
        say(s, "The reverse direction carried %s in %s.", nfx_bytes(out_b).s, nfx_value(NF_UNIT_PACKETS, out_p).s);
    double size = num(f->row, NF_CONTEXT_NAME(avg_in_packet_size));
    const char *src = "`avg_in_packet_size`";
    if (!isfinite(size) && in_p > 0) {
        size = in_b / in_p;
        src = "IN_BYTES / IN_PKTS";
    }
    if (isfinite(size)) {
        const char *cmp;
        if (size > NFX_MTU_ETHERNET)
            cmp = "above the 1,500 B Ethernet MTU: jumbo frames or segmentation offload at the capture point";
        else if (size >= NFX_MTU_IPV6_MIN)
            cmp = "between the 1,280 B IPv6 minimum MTU and the 1,500 B Ethernet MTU: most packets are close to full size";
        else if (size >= NFX_MTU_IPV4_MIN)
            cmp = "between 576 B (the datagram size every IPv4 host accepts) and the 1,280 B IPv6 minimum MTU";
        else if (size > 100)
            cmp = "below 576 B, the datagram size every IPv4 host accepts: small packets";
        else
            cmp = "at most 100 B, about the size of the headers alone (IPv4 20 B + TCP 20-60 B or UDP 8 B): little or no payload per packet";
        say(s, "Average packet size (%s) is %s B, %s of the 1,500 B Ethernet MTU; %s.", src, nfx_fixed(size, 1).s,
            nfx_pct(100 * size / NFX_MTU_ETHERNET).s, cmp);
        if ((p = placed_of(f, NF_CONTEXT_NAME(avg_in_packet_size))))
            say(s, "That size is %s.", against(b, p, "flows"));
    }
    if (isfinite(dur) && dur > 0 && isfinite(in_b))
        say(s, "Average rate over the flow's duration: %s/s and %s packets/s.", nfx_bytes(in_b / (dur / 1000)).s,
            nfx_num(in_p / (dur / 1000)).s);
}

static void timing_section(struct baseline *b, struct flagged *f, struct section *s)
{
    double dur = num(f->row, "FLOW_DURATION_MILLISECONDS"), in_p = num(f->row, "IN_PKTS");
    double first = num(f->row, "FIRST_SWITCHED"), last = num(f->row, "LAST_SWITCHED");
    const struct placed *p;
    if (isfinite(dur)) {
        if (isfinite(first) && isfinite(last))
            say(s, "The flow lasted %s, from %s to %s.", nfx_ms(dur).s, nfx_time_sec((int64_t)first).s,
                nfx_time_sec((int64_t)last).s);
        else
            say(s, "The flow lasted %s.", nfx_ms(dur).s);
        if (dur == 0 && in_p == 1)
            say(s, "It is a single packet.");
        else if (dur == 0)
            say(s, "First and last packet fall in the same millisecond.");
        if (dur > 300000)
            say(s, "It is longer than a 5-minute window.");
        if ((p = placed_of(f, "FLOW_DURATION_MILLISECONDS")))
            say(s, "The duration is %s.", against(b, p, "flows"));
    }
    if ((p = placed_of(f, NF_CONTEXT_NAME(inter_arrival_ms)))) {
        const struct placed *sf = placed_of(f, NF_CONTEXT_NAME(src_flows_in_window));
        if (p->value == 0 && sf && sf->value == 1)
            say(s, "Inter-arrival time (`inter_arrival_ms`, the gap since the previous flow start of the same source in "
                   "the window) is 0 ms because this is the source's only flow in the window: there is no gap to measure.");
        else
            say(s, "Inter-arrival time (`inter_arrival_ms`, the gap since the previous flow start of the same source in "
                   "the window) is %s, %s.", nfx_ms(p->value).s, against(b, p, "flows"));
        const struct nfx_dist *d = dist_of(b, NF_CONTEXT_NAME(inter_arrival_ms));
        if (p->value == 0 && d) {
            size_t below, equal;
            nfx_dist_rank(d, 0, &below, &equal);
            say(s, "A value of 0 ms is shared by %s of the baseline flows (%s).", nfx_num((double)equal).s,
                nfx_pct(100.0 * (double)equal / (double)d->n).s);
        }
    }
}

static int context_section(struct baseline *b, struct flagged *f, struct section *s)
{
    const char *src = md_str(f->row, "IP_SRC_ADDR"), *dst = md_str(f->row, "IP_DST_ADDR");
    const struct placed *p, *syn = placed_of(f, NF_CONTEXT_NAME(src_flag_SYN));
    const struct placed *ent = placed_of(f, NF_CONTEXT_NAME(src_entropy_L4_DST_PORT));
    const struct placed *ndst = placed_of(f, NF_CONTEXT_NAME(src_distinct_dst));
    int scan = 0;
    if (!src)
        src = "the source";
    if (!dst)
        dst = "the destination";
    if ((p = placed_of(f, NF_CONTEXT_NAME(src_flows_in_window)))) {
        if (p->value == 1)
            say(s, "This was the only flow of %s in its window; %s.", src, against(b, p, "flows"));
        else
            say(s, "%s had %s in the window, %s.", src, nfx_value(NF_UNIT_FLOWS, p->value).s, against(b, p, "flows"));
    }
    const struct nfx_dist *syn_dist = dist_of(b, NF_CONTEXT_NAME(src_flag_SYN));
    if (syn && syn->value == 0 && syn_dist && syn_dist->v[syn_dist->n - 1] == 0)
        say(s, "No flow of the stream has a SYN count (`src_flag_SYN` is 0 in all %s baseline flows and here): the source "
               "exports no TCP flags, or there is no TCP, so SYN activity cannot be judged from this data.",
            nfx_num((double)syn_dist->n).s);
    else if (syn)
        say(s, "%s started %s with SYN set in the window, %s.", src, nfx_value(NF_UNIT_FLOWS, syn->value).s,
            against(b, syn, "flows"));
    if (ent && ent->value > 0)
        say(s, "Its destination-port entropy is %s bits (as spread as %s equally used ports), %s.",
            nfx_fixed(ent->value, 2).s, nfx_num(round(pow(2, ent->value))).s, against(b, ent, "flows"));
    else if (ent)
        say(s, "Its destination-port entropy is 0 bits: every flow of the source in the window went to one destination port; %s.",
            against(b, ent, "flows"));
    if (ndst)
        say(s, "It reached %s, %s.", nfx_value(NF_UNIT_HOSTS, ndst->value).s, against(b, ndst, "flows"));
    const struct placed *nflows = placed_of(f, NF_CONTEXT_NAME(src_flows_in_window));
    /* Most of the source's flows must be connection attempts (SYN) for a scan or a sweep. */
    int syn_led = syn && nflows && syn->value >= SCAN_MIN_SYN && syn->value >= 0.5 * nflows->value;
    if (syn_led && ent && ent->value >= SCAN_MIN_ENTROPY && ent->pct >= PCT_HIGH) {
        say(s, "**Scan pattern:** %s SYN flows (%s of the source's flows in the window) spread over about %s destination "
               "ports (entropy %s bits) — many connection attempts across many ports, the signature of a port scan.",
            nfx_num(syn->value).s, nfx_pct(100 * syn->value / nflows->value).s, nfx_num(round(pow(2, ent->value))).s,
            nfx_fixed(ent->value, 2).s);
        scan = 1;
    } else if (syn_led && ndst && ent && ndst->value >= 10 && ndst->pct >= PCT_HIGH && ent->value < 1) {
        say(s, "**Sweep pattern:** %s SYN flows to %s distinct destinations on few ports (entropy %s bits) — one service "
               "probed across many hosts.",
            nfx_num(syn->value).s, nfx_num(ndst->value).s, nfx_fixed(ent->value, 2).s);
        scan = 2;
    }
    if ((p = placed_of(f, NF_CONTEXT_NAME(src_entropy_PROTOCOL)))) {
        if (p->value == 0)
            say(s, "Its protocol entropy is 0 bits: %s used a single protocol in the window.", src);
        else
            say(s, "Its protocol entropy is %s bits, %s.", nfx_fixed(p->value, 2).s, against(b, p, "flows"));
    }
    const struct placed *sb = placed_of(f, NF_CONTEXT_NAME(src_IN_BYTES_sum));
    double in_b = num(f->row, "IN_BYTES");
    if (sb && sb->value > 0 && isfinite(in_b))
        say(s, "%s sent %s in the window in total; this flow is %s of it.", src, nfx_bytes(sb->value).s,
            nfx_pct(100 * in_b / sb->value).s);
    if ((p = placed_of(f, NF_CONTEXT_NAME(dst_flows_in_window))))
        say(s, "%s had %s in the window, %s.", dst, nfx_value(NF_UNIT_FLOWS, p->value).s, against(b, p, "flows"));
    if ((p = placed_of(f, NF_CONTEXT_NAME(dst_distinct_src))))
        say(s, "%s was reached by %s, %s.", dst, nfx_value(NF_UNIT_HOSTS, p->value).s, against(b, p, "flows"));
    return scan;
}

/* Interval reports: what stands out, category by category. */
static void category_section(struct baseline *b, struct flagged *f, struct section *s)
{
    int c;
    size_t i;
    int any = 0;
    for (c = 0; c < NF_NCAT; c++) {
        const struct placed *best = NULL;
        size_t far = 0;
        for (i = 0; i < f->nz; i++) {
            const struct placed *p = &f->feat[f->by_z[i]];
            if (p->fi.cat != (enum nf_category)c || fabs(p->z) < Z_UNUSUAL)
                continue;
            far++;
            if (!best)
                best = p;
        }
        if (!best)
            continue;
        any = 1;
        say(s, "**%s**: %s feature%s at least %.0f SD from the baseline mean; furthest: %s = %s (baseline median %s), %s.",
            nfx_md_label(nf_category_name(c), 1), nfx_num((double)far).s, far == 1 ? "" : "s", Z_UNUSUAL,
            nfx_md_text(best->fi.label),
            nfx_value(best->fi.unit, best->value).s, nfx_value(best->fi.unit, best->median).s,
            against(b, best, "intervals"));
    }
    if (!any)
        say(s, "No feature is %.0f SD or more from the baseline mean; the row is unusual in its combination of features rather than in any single one.",
            Z_UNUSUAL);
    const struct placed *p = placed_of(f, NF_FEATURE_NAME(mean_bytes_per_in_packets));
    if (p && p->value > 0)
        say(s, "Mean bytes per ingress packet: %s B, %s of the 1,500 B Ethernet MTU, %s.", nfx_fixed(p->value, 1).s,
            nfx_pct(100 * p->value / NFX_MTU_ETHERNET).s, against(b, p, "intervals"));
}

static void contributors_section(const struct nfx_ctx *ctx, struct flagged *f, struct section *s)
{
    size_t i;
    const struct nf_pca_model *m = ctx->model;
    if (f->have_proj) {
        say(s, "Recomputed from the model (%s columns, %zu components) and this row's features: SPE %s, T² %s.",
            nfx_num((double)m->p).s, m->k, nfx_num(f->proj_spe).s, nfx_num(f->proj_t2).s);
        if (isfinite(f->spe) && fabs(f->proj_spe - f->spe) > 1e-6 * (1 + fabs(f->spe)))
            say(s, "nf-pca reported SPE %s for this row: the feature row joined here may not be the one nf-pca scored, "
                   "or the model differs.", nfx_num(f->spe).s);
        for (i = 0; i < f->nspe_top; i++) {
            size_t j = f->spe_top[i];
            struct nf_feature fi = nfx_feat_of(m->columns[j]);
            if (f->spe_share[j] < 0.01)
                break;
            say(s, "%s (%s) gives %s of SPE (standardised value %s).", nfx_md_label(fi.label, 1), nfx_md_code(m->columns[j]),
                nfx_pct(100 * f->spe_share[j]).s, nfx_signed(f->zmodel[j]).s);
        }
        for (i = 0; i < f->nt2_top && i < 3; i++) {
            size_t c = f->t2_top[i], j = 0;
            nfx_top_loadings(m, c, &j, 1);
            if (f->t2_share[c] < 0.01)
                break;
            say(s, "pc%zu gives %s of T² (explains %s of the variance; loads most on %s, %s).", c + 1,
                nfx_pct(100 * f->t2_share[c]).s, nfx_share(m->ratio[c]).s, nfx_md_text(m->columns[j]),
                nfx_signed(m->loadings[c * m->p + j]).s);
        }
    } else {
        say(s, "%s; the features furthest from the baseline stand in for the contributors.",
            m ? "The model's columns are not among this row's features" : "No model was given (--model FILE), so SPE and T² are not decomposed");
    }
    if (f->nz > 0)
        say(s, "The features furthest from the baseline, by |z|:");
    for (i = 0; i < f->nz && i < 5; i++) {
        const struct placed *p = &f->feat[f->by_z[i]];
        say(s, "%zu. %s (%s): %s, baseline median %s; z = %s, percentile %s.", i + 1, nfx_md_label(p->fi.label, 1), nfx_md_code(p->name),
            nfx_value(p->fi.unit, p->value).s, nfx_value(p->fi.unit, p->median).s, nfx_signed(p->z).s,
            nfx_fixed(p->pct, 1).s);
    }
}

/* "Flow 6792 (UDP 74.125.100.71:443 → 10.8.0.69:40271, UDP/443 QUIC)", "The interval starting ..." */
static const char *what_was_reported(const struct flagged *f, const char *service)
{
    const char *src = md_str(f->row, "IP_SRC_ADDR"), *dst = md_str(f->row, "IP_DST_ADDR"), *id = "", *ends = "";
    int proto = inum(f->row, "PROTOCOL_NUM"), sp = inum(f->row, "L4_SRC_PORT"), dp = inum(f->row, "L4_DST_PORT");
    char pbuf[32];

    if (!f->is_flow)
        return f->has_time ? nfx_kept("The interval starting %s", nfx_time_min(f->time).s) : "The row";
    if (isfinite(num(f->row, "ID")))
        id = nfx_kept(" %.0f", num(f->row, "ID"));
    if (proto >= 0 && sp >= 0 && dp >= 0)
        ends = nfx_kept(" (%s %s:%d → %s:%d%s%s)", nfx_proto_name(proto, pbuf, sizeof pbuf), src ? src : "?", sp,
                        dst ? dst : "?", dp, service[0] ? ", " : "", service);
    else if (src && dst)
        ends = nfx_kept(" (%s → %s)", src, dst);
    return nfx_kept("Flow%s%s", id, ends);
}

static void conclusion_section(struct flagged *f, struct section *s, const char *service, int scan)
{
    const char *why, *sn;
    struct nfx_md stand;
    size_t i, n = f->nz < 3 ? f->nz : 3;
    double v, lim;
    /* the score the row is ranked by; with --score, the one that flagged it when that one did not */
    int t2 = f->by_t2;

    if (t2 && !f->t2_flag && f->spe_flag)
        t2 = 0;
    else if (!t2 && !f->spe_flag && f->t2_flag)
        t2 = 1;
    v = t2 ? f->t2 : f->spe;
    lim = t2 ? f->t2_limit : f->spe_limit;
    sn = t2 ? "T²" : "SPE";
    if (isfinite(lim) && lim > 0 && v > lim)
        why = nfx_kept("its %s of %s is %s× the limit of %s", sn, nfx_num(v).s, nfx_fixed(v / lim, 1).s, nfx_num(lim).s);
    else
        why = nfx_kept("its %s of %s ranks it number %d", sn, nfx_num(v).s, f->rank);
    nfx_md_init(&stand);
    for (i = 0; i < n; i++) {
        const struct placed *p = &f->feat[f->by_z[i]];
        nfx_md_printf(&stand, "%s%s %s (percentile %s, z = %s)", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                      nfx_md_text(p->fi.label), nfx_value(p->fi.unit, p->value).s, nfx_fixed(p->pct, 1).s,
                      nfx_signed(p->z).s);
    }
    say(s, "**What the data shows.** %s was reported because %s.%s%s%s", what_was_reported(f, service), why,
        n ? " Against the baseline it stands out by " : "", nfx_md_keep(&stand), n ? "." : "");
    if (scan == 1)
        say(s, "Its source shows the SYN count and destination-port spread of a port scan.");
    else if (scan == 2)
        say(s, "Its source contacted many hosts on few ports, as a sweep does.");
    if (f->is_flow)
        say(s, "**What it cannot tell.** Flow records carry no payload: the content, the application actually behind "
               "the port numbers (a port names the usual service, not the one running), the users and the intent cannot "
               "be read from them. Whether the flow is harmful needs the hosts' logs or packet data.");
    else
        say(s, "**What it cannot tell.** Interval features aggregate all records of the window: they do not show which "
               "hosts or applications caused the deviation, nor whether it is benign or harmful.");
}

/* ---- rendering ---- */

/* A member of the row as the features table shows it. */
static const char *value_text(const cJSON *row, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);
    char pb[32], fl[64], t[32];
    struct nf_feature fi;
    double x;

    if (cJSON_IsString(v))
        return nfx_md_text(v->valuestring);
    if (!cJSON_IsNumber(v))
        return "n/a";
    x = v->valuedouble;
    if (strcmp(key, "PROTOCOL_NUM") == 0)
        return nfx_kept("%d (%s)", (int)x, nfx_proto_name((int)x, pb, sizeof pb));
    if (strcmp(key, "TCP_FLAGS") == 0) {
        nfx_tcp_flags((int)x, fl, sizeof fl);
        return nfx_kept("0x%02x (%s)", (int)x, fl);
    }
    if (strcmp(key, "FIRST_SWITCHED") == 0 || strcmp(key, "LAST_SWITCHED") == 0 || strcmp(key, "WINDOW_START") == 0 ||
        strcmp(key, "WINDOW_END") == 0)
        return nfx_kept("%s", nfx_time_iso(x, t));
    if (strcmp(key, "ID") == 0 || strcmp(key, "L4_SRC_PORT") == 0 || strcmp(key, "L4_DST_PORT") == 0)
        return nfx_kept("%.0f", x);
    fi = nfx_feat_of(key);
    if (fi.unit == NF_UNIT_BYTES && fabs(x) >= 1000)
        return nfx_kept("%s B (%s)", nfx_num(x).s, nfx_bytes(x).s);
    if (fi.unit == NF_UNIT_MS)
        return nfx_kept("%s", nfx_ms(x).s);
    if (fi.unit == NF_UNIT_BYTES)
        return nfx_kept("%s B", nfx_num(x).s);
    return nfx_kept("%s", nfx_value(fi.unit, x).s);
}

static void features_table(const struct nfx_ctx *ctx, const struct flagged *f, struct nfx_md *md)
{
    size_t i;
    struct nfx_table t;
    nfx_table_init(&t, "Feature|Value|Baseline median|Percentile|z-score", "lrrrr");
    if (f->is_flow) {
        static const char *const ident[] = {"WINDOW_START", "ID", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_SRC_PORT",
                                            "L4_DST_PORT", "PROTOCOL_NUM", "TCP_FLAGS", "FIRST_SWITCHED", "LAST_SWITCHED"};
        for (i = 0; i < NELEM(ident); i++) {
            if (!cJSON_GetObjectItemCaseSensitive(f->row, ident[i]))
                continue;
            nfx_table_rowf(&t, "%s|%s|–|–|–", ident[i], value_text(f->row, ident[i]));
        }
        for (i = 0; i < f->nfeat; i++) {
            const struct placed *p = &f->feat[i];
            nfx_table_rowf(&t, "%s|%s|%s|%s|%s", nfx_md_text(p->name), value_text(f->row, p->name), nfx_value(p->fi.unit, p->median).s,
                           nfx_fixed(p->pct, 1).s, nfx_signed(p->z).s);
        }
    } else {
        nfx_table_rowf(&t, "WINDOW_START|%s|–|–|–", value_text(f->row, "WINDOW_START"));
        if (cJSON_GetObjectItemCaseSensitive(f->row, "WINDOW_END"))
            nfx_table_rowf(&t, "WINDOW_END|%s|–|–|–", value_text(f->row, "WINDOW_END"));
        for (i = 0; i < f->nz && i < ctx->top_features; i++) {
            const struct placed *p = &f->feat[f->by_z[i]];
            nfx_table_rowf(&t, "%s (%s)|%s|%s|%s|%s", nfx_md_text(p->fi.label), nfx_md_code(p->name), nfx_value(p->fi.unit, p->value).s,
                           nfx_value(p->fi.unit, p->median).s, nfx_fixed(p->pct, 1).s, nfx_signed(p->z).s);
        }
    }
    nfx_table_write(&t, md);
    nfx_table_free(&t);
}

static void render_sections(const struct doc *d, size_t from, struct nfx_md *md, int numbered)
{
    size_t i, j;
    for (i = from; i < d->nsec; i++) {
        const struct section *s = &d->sec[i];
        if (s->n == 0)
            continue; /* a section without a triggered sentence is left out */
        if (numbered)
            nfx_md_printf(md, "\n### %zu. %s\n\n", i - from + 1, s->title);
        else
            nfx_md_printf(md, "\n## %s\n\n", s->title);
        int was_listed = 0;
        for (j = 0; j < s->n; j++) {
            const char *line = s->lines[j];
            int listed = line[0] >= '1' && line[0] <= '9' && line[1] == '.';
            if (j > 0 && listed != was_listed)
                nfx_md_printf(md, "\n"); /* a numbered list after bullets needs its own paragraph */
            nfx_md_printf(md, "%s%s\n", listed ? "" : "- ", line);
            was_listed = listed;
        }
    }
}

static void write_json(const struct nfx_ctx *ctx, const struct flagged *f, struct nfx_out *out, const char *title,
                       const char *service, size_t baseline_rows)
{
    size_t i, j;
    struct nf_jw *w = out->jw;
    nf_jw_begin(w);
    nf_jw_str(w, "kind", f->is_flow ? "flagged_flow" : "flagged_interval");
    nf_jw_i64(w, "rank", f->rank);
    nf_jw_str(w, "title", title);
    if (f->has_time) {
        nf_jw_i64(w, "time", f->time);
        nf_jw_str(w, "time_utc", nfx_time_sec(f->time).s);
    } else {
        nf_jw_null(w, "time");
        nf_jw_null(w, "time_utc");
    }
    nf_jw_str(w, "score_name", f->by_t2 ? "t2" : "spe");
    nf_jw_double(w, "spe", f->spe);
    nf_jw_double(w, "spe_limit", f->spe_limit);
    nf_jw_bool(w, "spe_flag", f->spe_flag);
    nf_jw_double(w, "t2", f->t2);
    nf_jw_double(w, "t2_limit", f->t2_limit);
    nf_jw_bool(w, "t2_flag", f->t2_flag);
    nf_jw_begin_object(w, "record");
    if (f->is_flow) {
        for (i = 0; i < NELEM(flow_keys); i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->row, flow_keys[i]);
            if (v)
                nf_jw_item(w, flow_keys[i], v);
        }
    }
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(f->row, "WINDOW_START"), *we = cJSON_GetObjectItemCaseSensitive(f->row, "WINDOW_END");
    if (ws)
        nf_jw_item(w, "WINDOW_START", ws);
    if (we)
        nf_jw_item(w, "WINDOW_END", we);
    nf_jw_end_object(w);
    if (service[0])
        nf_jw_str(w, "service", service);
    else
        nf_jw_null(w, "service");
    /* SPE and T2 recomputed from --model (lib/pcamodel's projection, as nf-pca's), null without one */
    nf_jw_double(w, "model_spe", f->have_proj ? f->proj_spe : NAN);
    nf_jw_double(w, "model_t2", f->have_proj ? f->proj_t2 : NAN);
    nf_jw_u64(w, "baseline_rows", baseline_rows);
    nf_jw_begin_array(w, "features");
    for (i = 0; i < f->nz && i < (f->is_flow ? f->nz : ctx->top_features); i++) {
        const struct placed *p = &f->feat[f->by_z[i]];
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "name", p->name);
        nf_jw_str(w, "label", p->fi.label);
        nf_jw_str(w, "category", nf_category_name(p->fi.cat));
        nf_jw_double(w, "value", p->value);
        nf_jw_double(w, "baseline_median", p->median);
        nf_jw_double(w, "percentile", p->pct);
        nf_jw_double(w, "z", p->z);
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_begin_array(w, "contributors");
    if (f->have_proj) {
        const struct nf_pca_model *m = ctx->model;
        for (i = 0; i < f->nspe_top; i++) {
            nf_jw_begin_object(w, NULL);
            nf_jw_str(w, "statistic", "spe");
            nf_jw_str(w, "name", m->columns[f->spe_top[i]]);
            nf_jw_double(w, "share", f->spe_share[f->spe_top[i]]);
            nf_jw_end_object(w);
        }
        for (i = 0; i < f->nt2_top; i++) {
            char pc[32];
            snprintf(pc, sizeof pc, "pc%zu", f->t2_top[i] + 1);
            nf_jw_begin_object(w, NULL);
            nf_jw_str(w, "statistic", "t2");
            nf_jw_str(w, "name", pc);
            nf_jw_double(w, "share", f->t2_share[f->t2_top[i]]);
            nf_jw_end_object(w);
        }
    }
    nf_jw_end_array(w);
    if (f->attrib)
        nfx_attrib_json(f->attrib, ctx->records_path, w);
    else
        nf_jw_null(w, "attribution");
    nf_jw_begin_array(w, "sections");
    for (i = 0; i < f->doc.nsec; i++) {
        const struct section *s = &f->doc.sec[i];
        if (s->n == 0)
            continue;
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "title", s->title);
        nf_jw_begin_array(w, "sentences");
        for (j = 0; j < s->n; j++)
            nf_jw_str(w, NULL, s->lines[j]);
        nf_jw_end_array(w);
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_end(w);
}

/* ---- joining scored rows to feature rows ---- */

/*
 * Flows (a feature stream with an ID column) are joined by ID, and by ID
 * and the time key when an ID occurs more than once in the stream;
 * intervals by the time key; without either key in both files, by row
 * number. A scored row that matches no feature row or several is an error
 * naming the key (docs/nf-explain.md).
 */
struct join {
    const struct nf_table *f;
    long id_col;     /* ID column in the features, or -1 */
    int by_time;
    size_t *order;   /* rows of f sorted by the key */
};

static const struct join *join_ctx;

static int key_cmp(const struct join *j, size_t r, double id, int64_t t)
{
    if (j->id_col >= 0) {
        double v = nf_table_at(j->f, r, (size_t)j->id_col);
        if (v != id)
            return v < id ? -1 : 1;
    }
    if (j->by_time && j->f->time[r] != t)
        return j->f->time[r] < t ? -1 : 1;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double id = join_ctx->id_col >= 0 ? nf_table_at(join_ctx->f, y, (size_t)join_ctx->id_col) : 0;
    int c = key_cmp(join_ctx, x, id, join_ctx->f->time[y]);
    return c ? c : (x > y) - (x < y);
}

static void join_sort(struct join *j)
{
    size_t r;
    j->order = nf_xrealloc(j->order, (j->f->nrows ? j->f->nrows : 1) * sizeof *j->order);
    for (r = 0; r < j->f->nrows; r++)
        j->order[r] = r;
    join_ctx = j;
    qsort(j->order, j->f->nrows, sizeof *j->order, by_key);
}

/* Whether two feature rows share a key. */
static int join_has_duplicates(const struct join *j)
{
    size_t i;
    for (i = 1; i < j->f->nrows; i++) {
        size_t r = j->order[i];
        double id = j->id_col >= 0 ? nf_table_at(j->f, r, (size_t)j->id_col) : 0;
        if (key_cmp(j, j->order[i - 1], id, j->f->time[r]) == 0)
            return 1;
    }
    return 0;
}

/* The first feature row with the key (count of matches in *n), or -1. */
static long join_find(const struct join *j, double id, int64_t t, size_t *n)
{
    size_t lo = 0, hi = j->f->nrows, k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(j, j->order[mid], id, t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (k = lo; k < j->f->nrows && key_cmp(j, j->order[k], id, t) == 0; k++)
        ;
    *n = k - lo;
    return *n ? (long)j->order[lo] : -1;
}

/* The key named for messages: "ID 6792", "ID 6792 and WINDOW_START 2019-...", "WINDOW_START ...". */
static void key_text(const struct nfx_ctx *ctx, const struct join *j, double id, int64_t t, char *buf, size_t cap)
{
    char when[32];
    nfx_time_iso((double)t, when);
    if (j->id_col >= 0 && j->by_time)
        snprintf(buf, cap, "ID %.0f and %s %s", id, ctx->time_key, when);
    else if (j->id_col >= 0)
        snprintf(buf, cap, "ID %.0f", id);
    else
        snprintf(buf, cap, "%s %s", ctx->time_key, when);
}

/* Sets up the join of the scored rows with the feature stream ft (not the scored rows themselves). */
static void join_init(const struct nfx_ctx *ctx, const struct nf_table *scored, const struct nf_table *ft,
                      struct join *j)
{
    long fid = nfx_col(ft, "ID");
    memset(j, 0, sizeof *j);
    j->f = ft;
    j->id_col = -1;
    if (fid >= 0) {
        if (nfx_col(scored, "ID") < 0)
            nf_die("%s: the scored rows have no ID, but the feature stream %s holds flows, which are joined to "
                   "their context by ID: leave ID out of nf-pca's columns (for example --exclude ID), so that "
                   "nf-pca passes it through", scored->source, ctx->features_path);
        j->id_col = fid;
        join_sort(j);
        if (join_has_duplicates(j)) {
            /* a flow in several windows: the time key tells its rows apart */
            if (!(ft->has_time && scored->has_time))
                nf_die("%s: an ID occurs more than once and the rows have no %s to tell them apart",
                       ctx->features_path, ctx->time_key);
            j->by_time = 1;
            join_sort(j);
        }
        return;
    }
    if (ft->has_time && scored->has_time) {
        j->by_time = 1;
        join_sort(j);
        return;
    }
    if (ft->nrows != scored->nrows)
        nf_die("%s: cannot join with the scored rows: no ID or %s in both, and %zu feature rows against %zu scored rows",
               ctx->features_path, ctx->time_key, ft->nrows, scored->nrows);
}

/* The feature row of scored row r; dies when there is none or more than one. */
static size_t join_row(const struct nfx_ctx *ctx, const struct nf_table *scored, const struct join *j, size_t r)
{
    long sid = nfx_col(scored, "ID");
    double id = sid >= 0 ? nf_table_at(scored, r, (size_t)sid) : 0;
    char key[160];
    size_t n;
    long fr;

    if (!j->order)
        return r; /* by row number */
    if (j->id_col >= 0 && !isfinite(id))
        nf_die("%s: line %llu: the scored row has no ID to join it to its flow in %s", scored->source,
               (unsigned long long)scored->lineno[r], ctx->features_path);
    fr = join_find(j, id, scored->time[r], &n);
    key_text(ctx, j, id, scored->time[r], key, sizeof key);
    if (n == 0)
        nf_die("%s: line %llu: no feature row with %s in %s", scored->source,
               (unsigned long long)scored->lineno[r], key, ctx->features_path);
    if (n > 1)
        nf_die("%s: line %llu: %zu feature rows have %s in %s; the join is ambiguous", scored->source,
               (unsigned long long)scored->lineno[r], n, key, ctx->features_path);
    return (size_t)fr;
}

/* ---- the steps of the flagged-row reports ---- */

/* Step 1: the feature row of each selected scored row; marks them (they stay out of the baseline). */
static struct flagged *join_rows(const struct nfx_ctx *ctx, const struct nf_table *scored, const struct nf_table *ft,
                                 const size_t *sel, size_t nsel, unsigned char *reported)
{
    struct flagged *fl = nf_xcalloc(nsel ? nsel : 1, sizeof *fl);
    struct join j = {ft, -1, 0, NULL};
    size_t i;

    if (ft != scored)
        join_init(ctx, scored, ft, &j);
    for (i = 0; i < nsel; i++) {
        fl[i].srow = sel[i];
        fl[i].frow = ft == scored ? sel[i] : join_row(ctx, scored, &j, sel[i]);
        reported[fl[i].frow] = 1;
    }
    free(j.order);
    return fl;
}

/* Step 2: the baseline, --baseline or the rows of the stream not selected. */
static void baseline_init(const struct nfx_ctx *ctx, const struct nf_table *ft, const unsigned char *reported,
                          size_t nreported, struct baseline *b)
{
    size_t r;

    memset(b, 0, sizeof *b);
    b->t = ctx->baseline ? ctx->baseline : ft;
    if (!ctx->baseline) {
        b->use = nf_xmalloc(ft->nrows ? ft->nrows : 1);
        for (r = 0; r < ft->nrows; r++)
            b->use[r] = !reported[r];
    }
    b->dist = nf_xcalloc(b->t->ncols ? b->t->ncols : 1, sizeof *b->dist);
    b->built = nf_xcalloc(b->t->ncols ? b->t->ncols : 1, 1);
    for (r = 0; r < b->t->nrows; r++)
        b->rows += !b->use || b->use[r];
    if (nreported > 0 && b->rows == 0)
        nf_warn("the baseline is empty (every row is reported); percentiles and z-scores are left out");
}

static void baseline_free(struct baseline *b)
{
    size_t c;
    for (c = 0; c < b->t->ncols; c++)
        if (b->built[c])
            nfx_dist_free(&b->dist[c]);
    free(b->dist);
    free(b->built);
    free(b->use);
}

/* The feature row with the scored row's members added, its scores, placed features and model contributions. */
static void fill_row(const struct nfx_ctx *ctx, const struct nf_table *scored, const struct nf_table *ft,
                     struct baseline *b, struct flagged *f)
{
    f->row = nfx_row_object(ft, f->frow);
    if (ft != scored) {
        cJSON *s = nfx_row_object(scored, f->srow), *it;
        cJSON_ArrayForEach(it, s)
        {
            if (it->string && !cJSON_GetObjectItemCaseSensitive(f->row, it->string))
                cJSON_AddItemToObject(f->row, it->string, cJSON_Duplicate(it, 1));
        }
        cJSON_Delete(s);
    }
    f->spe = num(f->row, "spe");
    f->t2 = num(f->row, "t2");
    f->spe_limit = num(f->row, "spe_limit");
    f->t2_limit = num(f->row, "t2_limit");
    if (ctx->model) {
        if (!isfinite(f->spe_limit))
            f->spe_limit = ctx->model->spe_limit;
        if (!isfinite(f->t2_limit))
            f->t2_limit = ctx->model->t2_limit;
    }
    f->spe_flag = num(f->row, "spe_flag") > 0;
    f->t2_flag = num(f->row, "t2_flag") > 0;
    f->by_t2 = nfx_rank_stat(ctx->score, f->spe, f->spe_limit, f->spe_flag, f->t2, f->t2_limit, f->t2_flag,
                             &f->rank_key);
    f->has_time = scored->has_time && nfx_time_ok((double)scored->time[f->srow]);
    f->time = scored->time[f->srow];
    f->is_flow = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f->row, "IP_SRC_ADDR"));
    place_features(f, b, ft);
    project(ctx, f);
}

/*
 * "UDP ingress bytes 24 MB in the interval against 1.2 MB per window over
 * the 288 windows before it: 10.0.5.0/24 (grew, 100 % of the rise), ..."
 * when the attribution names actors, else NULL.
 */
static const char *who_sentence(const struct flagged *f)
{
    const char *actors = f->attrib ? nfx_attrib_actors(f->attrib) : NULL;
    if (!actors)
        return NULL;
    const struct nfx_aq *aq = &f->attrib->qs[nfx_attrib_headline_q(f->attrib)];
    const struct nf_feature fi = nfx_feat_of(nfx_quantity_name(aq->q));
    return nfx_kept("%s %s in the interval against %s per window over the %s windows before it (%s): %s",
                    nfx_md_label(fi.label, 1), nfx_value(fi.unit, aq->feature_after).s,
                    nfx_value(fi.unit, aq->feature_before).s, nfx_num((double)f->attrib->nb).s,
                    nfx_delta(fi.unit, aq->feature_after - aq->feature_before).s, actors);
}

/* Step 3: the sections of the explanation; returns the title, sets service. */
static const char *build_document(const struct nfx_ctx *ctx, const struct nf_table *scored, struct baseline *b,
                                  struct flagged *f, char *service, size_t cap)
{
    struct section *sum = section_new(&f->doc, "Summary");
    const char *title;
    size_t k;
    int scan = 0;

    service[0] = '\0';
    why_flagged(f, sum);
    if (f->is_flow) {
        protocol_section(b, f, section_new(&f->doc, "Protocol and port"), service, cap);
        volume_section(b, f, section_new(&f->doc, "Volume and packet size"));
        timing_section(b, f, section_new(&f->doc, "Timing"));
        scan = context_section(b, f, section_new(&f->doc, "Source and destination context"));
        if (isfinite(num(f->row, "ID")))
            title = nfx_kept("Flow %.0f – anomaly explanation", num(f->row, "ID"));
        else
            title = nfx_kept("Flow on input line %llu – anomaly explanation", (unsigned long long)scored->lineno[f->srow]);
    } else {
        category_section(b, f, section_new(&f->doc, "Deviation by category"));
        if (f->has_time)
            title = nfx_kept("Interval %s – anomaly explanation", nfx_time_min(f->time).s);
        else
            title = nfx_kept("Row on input line %llu – anomaly explanation", (unsigned long long)scored->lineno[f->srow]);
    }
    contributors_section(ctx, f, section_new(&f->doc, "Summary of contributors"));
    conclusion_section(f, section_new(&f->doc, "Conclusion"), service, scan);
    /* The summary repeats the leading facts of the sections. */
    if (service[0])
        say(sum, "Service by port: %s.", service);
    for (k = 0; k < f->nz && k < 3; k++) {
        const struct placed *p = &f->feat[f->by_z[k]];
        say(sum, "%s: %s, %s.", nfx_md_label(p->fi.label, 1), nfx_value(p->fi.unit, p->value).s,
            against(b, p, what_rows(f)));
    }
    if (scan == 1)
        say(sum, "The source's SYN count and destination-port entropy match a port scan.");
    const char *who = who_sentence(f);
    if (who)
        say(sum, "Who: %s.", who);
    return title;
}

/* Step 4: the report's file name: flow-001-id6792.md, interval-001-20191002T0755Z.md, row-001.md. */
static const char *report_file(const struct flagged *f)
{
    char stamp[32];
    if (f->is_flow && isfinite(num(f->row, "ID")))
        return nfx_kept("flow-%03d-id%.0f.md", f->rank, num(f->row, "ID"));
    if (!f->has_time)
        return nfx_kept("row-%03d.md", f->rank);
    nfx_time_iso((double)f->time, stamp);
    return nfx_kept("interval-%03d-%.4s%.2s%.2sT%.2s%.2sZ.md", f->rank, stamp, stamp + 5, stamp + 8, stamp + 11,
                    stamp + 14);
}

/* Step 5: the score of every row with this one marked, as svg; 1 when drawn. */
static int plot_row(const struct nf_table *scored, const struct flagged *f, struct nfx_out *out, const char *svg)
{
    const char *scol = f->by_t2 ? "t2" : "spe";
    long sc = nfx_col(scored, scol), fs;
    double *xs, *ys, mark;
    size_t r;
    int time_axis, fd, drawn;

    if (!out->plot || !out->dir || sc < 0)
        return 0;
    /* Flows are placed at their first packet, other rows at their time key. */
    fs = f->is_flow ? nfx_col(scored, "FIRST_SWITCHED") : -1;
    time_axis = fs >= 0 || scored->has_time;
    xs = nf_xmalloc((scored->nrows ? scored->nrows : 1) * sizeof *xs);
    ys = nf_xmalloc((scored->nrows ? scored->nrows : 1) * sizeof *ys);
    for (r = 0; r < scored->nrows; r++) {
        xs[r] = fs >= 0 ? nf_table_at(scored, r, (size_t)fs) : scored->has_time ? (double)scored->time[r] : (double)r;
        ys[r] = isfinite(xs[r]) ? nf_table_at(scored, r, (size_t)sc) : NAN;
    }
    mark = fs >= 0 ? nf_table_at(scored, f->srow, (size_t)fs) : scored->has_time ? (double)f->time : (double)f->srow;
    struct nfx_plot p = {nfx_kept("%s of every row, reported row marked", scol), scol, xs, ys, scored->nrows,
                         time_axis, mark, f->by_t2 ? f->t2_limit : f->spe_limit, "limit", NAN, NAN, NAN, NAN, 1, 0, NULL, NULL, NULL};
    fd = nfx_out_create_fd(out, svg);
    drawn = nfx_plot_svg(&p, fd, svg) == 0;
    close(fd);
    if (!drawn)
        nfx_out_remove(out, svg);
    free(xs);
    free(ys);
    return drawn;
}

/* Step 6: the Markdown document, written to --output-dir or stdout and entered in the index. */
static void write_markdown(const struct nfx_ctx *ctx, const struct baseline *b, const struct flagged *f,
                           const char *title, const char *service, const char *file, const char *svg,
                           struct nfx_out *out)
{
    struct nfx_md md;
    struct doc head = {.nsec = 1}, body = {.nsec = 0}, tail = {.nsec = 2};
    double first = num(f->row, "FIRST_SWITCHED");
    const char *when, *headline = "";
    size_t k, said = 0;

    nfx_md_init(&md);
    nfx_md_printf(&md, "# %s\n", title);
    head.sec[0] = f->doc.sec[0];
    render_sections(&head, 0, &md, 0);
    if (svg)
        nfx_md_printf(&md, "\n![%s over all rows, this row marked](%s)\n", f->by_t2 ? "t2" : "spe", svg);
    if (f->attrib)
        nfx_attrib_markdown(f->attrib, ctx->records_path, ctx->flows_path, &md);
    if (b->rows > 0)
        nfx_md_printf(&md, "\n## Observable Features\n\nPercentile and z-score place each value among the %s baseline %s "
                           "(%s).\n\n",
                      nfx_num((double)b->rows).s, what_rows(f),
                      ctx->baseline   ? "rows of --baseline"
                      : ctx->all_rows ? "rows of the feature stream that are not reported"
                                      : "rows of the feature stream that nf-pca did not flag");
    else
        nfx_md_printf(&md, "\n## Observable Features\n\nThere is no baseline (every row of the stream is flagged or reported), "
                           "so no value is placed against one.\n\n");
    features_table(ctx, f, &md);
    nfx_md_printf(&md, "\n## Model Explanation\n");
    for (k = 1; k + 2 < f->doc.nsec; k++) {
        body.sec[body.nsec++] = f->doc.sec[k];
        said += f->doc.sec[k].n;
    }
    if (said == 0)
        nfx_md_printf(&md, "\nThe row has none of the fields the explanation uses (protocol and ports, "
                           "counters, timing, context features).\n");
    render_sections(&body, 0, &md, 1);
    tail.sec[0] = f->doc.sec[f->doc.nsec - 2];
    tail.sec[1] = f->doc.sec[f->doc.nsec - 1];
    render_sections(&tail, 0, &md, 0);
    nfx_md_close(&md);

    if (f->is_flow && isfinite(first))
        when = nfx_kept("%s", nfx_time_sec((int64_t)first).s);
    else
        when = f->has_time ? nfx_kept("%s", nfx_time_min(f->time).s) : "n/a";
    if (who_sentence(f)) {
        headline = who_sentence(f);
    } else if (f->nz > 0) {
        const struct placed *p = &f->feat[f->by_z[0]];
        headline = nfx_kept("%s%s%s %s (z = %s)", service, service[0] ? "; " : "", nfx_md_label(p->fi.label, !service[0]),
                            nfx_value(p->fi.unit, p->value).s, nfx_signed(p->z).s);
    }
    nfx_out_markdown(out, file, title, headline, when,
                     nfx_kept("%s %s", f->by_t2 ? "T²" : "SPE", nfx_num(f->by_t2 ? f->t2 : f->spe).s), limit_text(f),
                     md.buf, md.len);
    nfx_md_free(&md);
}

static void flagged_free(struct flagged *f)
{
    doc_free(&f->doc);
    cJSON_Delete(f->row);
    free(f->feat);
    free(f->by_z);
    free(f->spe_share);
    free(f->t2_share);
    free(f->zmodel);
    if (f->attrib)
        nfx_attrib_free(f->attrib);
    free(f->attrib);
}

/* How unusual a feature is: first those the baseline holds constant (class 1; by relative distance), then by |z|. */
struct unusual {
    int constant;
    double by;
};
static const struct unusual *unusual_key;
static int by_unusual(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const struct unusual *p = &unusual_key[x], *q = &unusual_key[y];
    if (p->constant != q->constant)
        return p->constant < q->constant ? 1 : -1;
    if (p->by != q->by)
        return p->by < q->by ? 1 : -1;
    return (x > y) - (x < y);
}

/*
 * The interval's features most unusual against the baseline, at most max:
 * by |z|, and first those the baseline holds constant at another value
 * (no z: a protocol never seen before is the most unusual of all).
 */
static const char **unusual_features(struct baseline *b, const struct flagged *f, size_t max, size_t *n)
{
    struct unusual *key = nf_xmalloc((f->nfeat ? f->nfeat : 1) * sizeof *key);
    size_t *idx = nf_xmalloc((f->nfeat ? f->nfeat : 1) * sizeof *idx), i, k = 0;
    const char **out = nf_xcalloc(max < f->nfeat ? max + 1 : f->nfeat + 1, sizeof *out);
    for (i = 0; i < f->nfeat; i++) {
        const struct placed *p = &f->feat[i];
        const struct nfx_dist *d = dist_of(b, p->name);
        key[i].constant = !isfinite(p->z) && d && d->n > 1 && d->sd == 0 && p->value != d->mean;
        key[i].by = key[i].constant ? (d->mean != 0 ? fabs(p->value - d->mean) / fabs(d->mean) : INFINITY) : fabs(p->z);
        if (key[i].constant || isfinite(p->z))
            idx[k++] = i;
    }
    unusual_key = key;
    qsort(idx, k, sizeof *idx, by_unusual);
    for (*n = 0; *n < k && *n < max; (*n)++)
        out[*n] = f->feat[idx[*n]].name;
    free(key);
    free(idx);
    return out;
}

/*
 * With --records: every selected row filled ahead, and the flagged
 * intervals attributed in one pass over the records (flows have no
 * records of their own to split; they are said to get none).
 */
static void attribute(const struct nfx_ctx *ctx, const struct nf_table *scored, const struct nf_table *ft,
                      struct baseline *b, struct flagged *fl, size_t nsel)
{
    struct nfx_interval_req *req = nf_xcalloc(nsel ? nsel : 1, sizeof *req);
    struct nfx_attrib **got = nf_xcalloc(nsel ? nsel : 1, sizeof *got);
    size_t *of = nf_xcalloc(nsel ? nsel : 1, sizeof *of), i, n = 0, flows = 0;
    for (i = 0; i < nsel; i++) {
        struct flagged *f = &fl[i];
        fill_row(ctx, scored, ft, b, f);
        f->filled = 1;
        if (f->is_flow) {
            flows++;
            continue;
        }
        req[n].row = f->frow;
        req[n].features = unusual_features(b, f, ctx->top_features, &req[n].nfeatures);
        of[n++] = i;
    }
    if (flows)
        nf_warn("--records: %zu flagged rows are flows; attribution splits intervals over their records, "
                "so those reports have none", flows);
    nfx_attrib_intervals(ctx, ft, req, n, got);
    for (i = 0; i < n; i++) {
        fl[of[i]].attrib = got[i];
        free(req[i].features);
    }
    free(req);
    free(got);
    free(of);
}

void nfx_flag_reports(const struct nfx_ctx *ctx, const struct nf_table *scored, const size_t *sel, size_t nsel,
                      size_t nexclude, struct nfx_out *out)
{
    const struct nf_table *ft = ctx->features ? ctx->features : scored;
    unsigned char *reported = nf_xcalloc(ft->nrows ? ft->nrows : 1, 1);
    struct flagged *fl = join_rows(ctx, scored, ft, sel, nexclude, reported);
    struct baseline b;
    char service[96];
    size_t i;

    baseline_init(ctx, ft, reported, nexclude, &b);
    if (ctx->records_path)
        attribute(ctx, scored, ft, &b, fl, nsel);
    for (i = 0; i < nsel; i++) {
        struct flagged *f = &fl[i];
        const char *title, *file, *svg;
        f->rank = (int)i + 1;
        if (!f->filled)
            fill_row(ctx, scored, ft, &b, f);
        title = build_document(ctx, scored, &b, f, service, sizeof service);
        if (out->format == NFX_JSON) {
            write_json(ctx, f, out, title, service, b.rows);
        } else {
            file = report_file(f);
            svg = nfx_kept("%.*s.svg", (int)(strlen(file) - 3), file);
            write_markdown(ctx, &b, f, title, service, file, plot_row(scored, f, out, svg) ? svg : NULL, out);
        }
        flagged_free(f);
        nfx_md_text_free(); /* the texts of this report */
    }
    baseline_free(&b);
    free(reported);
    free(fl);
}
