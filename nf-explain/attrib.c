/*
 * attrib.c - who carried a shift. The records nf-features summed into a
 * feature are read again, once and streaming, and every record that falls
 * in the compared windows of a change point (before [b0, t), after
 * [t, a1]) is added to the keys it belongs to, per attributed quantity
 * and dimension. Only those windows' keys are kept: memory grows with the
 * number of keys in the compared windows, not with the input's length.
 *
 * A sum feature's change is the sum of its keys' changes of the mean per
 * window. A share S = N / D (N the numerator sum, D the denominator sum,
 * means per window, pooled over each side) is split exactly:
 *   S_a - S_b = sum_k ((n_ak - n_bk) - S_b (d_ak - d_bk)) / D_a,
 * so a key adds to the share by growing its numerator and takes from it by
 * growing only its denominator (when D_a is 0, each key's part is
 * -n_bk / D_b). The parts add up to the pooled change.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "attrib.h"
#include "knowledge.h"
#include "flow.h"
#include "rec.h"

#define CARRY_SHARE 0.8   /* "k of N keys carry 80 % or more" */
/*
 * Concentration is judged against each key's prior share (see
 * prior_shares): a key's excess is the part of the change that would go
 * away had it moved like the other keys. No excess at or above
 * BROAD_EXCESS: broad (the change is spread like the traffic was); the
 * highest at or above DOMINANT_EXCESS: that key is the actor.
 */
#define BROAD_EXCESS 0.25
#define DOMINANT_EXCESS 0.5

/* One key of one quantity and dimension while reading. */
struct slot {
    unsigned char q, dim;
    struct nfx_akey k;
};

struct keytab {
    struct slot *slots;
    size_t n;
    size_t *index;  /* open addressing: slot + 1, 0 empty */
    size_t cap;
};

static uint64_t hash_key(unsigned q, unsigned dim, const char *s)
{
    uint64_t h = 1469598103934665603ULL ^ (q * 31u + dim);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void keytab_grow(struct keytab *t)
{
    size_t cap = t->cap ? t->cap * 2 : 256, i;
    size_t *index = nf_xcalloc(cap, sizeof *index);
    for (i = 0; i < t->n; i++) {
        const struct slot *s = &t->slots[i];
        size_t h = (size_t)hash_key(s->q, s->dim, s->k.key) & (cap - 1);
        while (index[h])
            h = (h + 1) & (cap - 1);
        index[h] = i + 1;
    }
    free(t->index);
    t->index = index;
    t->cap = cap;
    t->slots = nf_xrealloc(t->slots, cap / 2 * sizeof *t->slots);
}

static struct nfx_akey *keytab_get(struct keytab *t, unsigned q, unsigned dim, const char *key)
{
    if ((t->n + 1) * 2 > t->cap)
        keytab_grow(t);
    size_t h = (size_t)hash_key(q, dim, key) & (t->cap - 1);
    while (t->index[h]) {
        struct slot *s = &t->slots[t->index[h] - 1];
        if (s->q == q && s->dim == dim && strcmp(s->k.key, key) == 0)
            return &s->k;
        h = (h + 1) & (t->cap - 1);
    }
    struct slot *s = &t->slots[t->n];
    memset(s, 0, sizeof *s);
    s->q = (unsigned char)q;
    s->dim = (unsigned char)dim;
    s->k.key = nf_xstrdup(key);
    t->index[h] = ++t->n;
    return &s->k;
}

/* A record's fields as attribution needs them. */
struct rec {
    int64_t t;
    const char *src, *dst;
    int src_in, dst_in;
    int proto;
    double v[4]; /* records (1), flows, packets, bytes: enum nfx_qmeasure */
};

static int proto_class_of(int proto)
{
    return proto == 6 ? NFX_Q_TCP : proto == 17 ? NFX_Q_UDP : NFX_Q_OTHER;
}

/* In the quantity's direction (its denominator's records). */
static int in_direction(const struct nfx_quantity *q, const struct rec *r)
{
    switch (q->dir) {
    case NFX_Q_IN: return r->dst_in;
    case NFX_Q_OUT: return r->src_in;
    default: return r->src_in || r->dst_in;
    }
}

/* The key of record r in record dimension d for quantity q (buf holds pairs and protocols). */
static const char *record_key(const struct nfx_quantity *q, const struct rec *r, unsigned d, char *buf, size_t size)
{
    /* The internal side: the destination for ingress, the source for egress. */
    int internal_is_dst = q->dir == NFX_Q_IN || (q->dir == NFX_Q_ALL && r->dst_in);
    if (q->dir == NFX_Q_OUT)
        internal_is_dst = 0;
    switch (d) {
    case NFX_DIM_INTERNAL: return internal_is_dst ? r->dst : r->src;
    case NFX_DIM_EXTERNAL: return internal_is_dst ? r->src : r->dst;
    case NFX_DIM_PAIR: snprintf(buf, size, "%s → %s", r->src, r->dst); return buf;
    default: snprintf(buf, size, "%d", r->proto); return buf;
    }
}

static void add_record(struct nfx_attrib *a, const struct rec *r)
{
    struct keytab *t = a->table;
    int after = r->t >= a->t;
    size_t i;
    unsigned d;
    char buf[2 * 64 + 8];
    for (i = 0; i < a->nq; i++) {
        const struct nfx_quantity *q = a->qs[i].q;
        if (!in_direction(q, r))
            continue;
        int in_num = q->proto == NFX_Q_ANY || (int)q->proto == proto_class_of(r->proto);
        if (!in_num && !nfx_quantity_share(q))
            continue;
        double v = r->v[q->measure];
        for (d = 0; d < NFX_NDIM_RECORDS; d++) {
            const char *key = record_key(q, r, d, buf, sizeof buf);
            struct nfx_akey *k = keytab_get(t, (unsigned)i, d, key);
            if (in_num)
                *(after ? &k->num_a : &k->num_b) += v;
            *(after ? &k->den_a : &k->den_b) += v;
        }
    }
    a->records++;
}

/* Reads one record; -1 (rejected) when a field is missing or wrong. */
static int read_record(const cJSON *o, const struct nf_cidr_list *internal, struct rec *r, const char **why)
{
    static const char *names[] = {NULL, "FLOWS", "PACKETS", "BYTES"};
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(o, "WINDOW_START");
    struct nf_cidr c;
    int i;
    if (!cJSON_IsNumber(ts) || !isfinite(ts->valuedouble)) {
        *why = "WINDOW_START: not a number (epoch ms)";
        return -1;
    }
    r->t = (int64_t)ts->valuedouble;
    r->src = nf_rec_string(o, "SRC_NET");
    r->dst = nf_rec_string(o, "DST_NET");
    if (!r->src && !r->dst && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "SRC_NET")))
        return 1; /* an empty window's record */
    if (!r->src && !cJSON_GetObjectItemCaseSensitive(o, "SRC_NET") &&
        cJSON_GetObjectItemCaseSensitive(o, "IP_SRC_ADDR"))
        return 1; /* a flow of nf-window --with-flows: the flows are --flows' part */
    if (!r->src || strlen(r->src) > 60 || nf_cidr_parse(r->src, strlen(r->src), &c) != 0) {
        *why = "SRC_NET: not a CIDR prefix";
        return -1;
    }
    r->src_in = nf_cidr_list_contains(internal, &c.net);
    if (!r->dst || strlen(r->dst) > 60 || nf_cidr_parse(r->dst, strlen(r->dst), &c) != 0) {
        *why = "DST_NET: not a CIDR prefix";
        return -1;
    }
    r->dst_in = nf_cidr_list_contains(internal, &c.net);
    double p = nf_rec_number(o, "PROTOCOL_NUM");
    if (!(p >= 0 && p <= 255) || p != floor(p)) {
        *why = "PROTOCOL_NUM: not a protocol number 0-255";
        return -1;
    }
    r->proto = (int)p;
    r->v[NFX_Q_RECORDS] = 1;
    for (i = 1; i < 4; i++) {
        r->v[i] = nf_rec_number(o, names[i]);
        if (!isfinite(r->v[i]) || r->v[i] < 0) {
            *why = i == 1 ? "FLOWS: not a count" : i == 2 ? "PACKETS: not a count" : "BYTES: not a count";
            return -1;
        }
    }
    return 0;
}

/*
 * One direction of a flow in the windows of a (src to dst, with these
 * counters): its bytes, packets and flows (records are nf-window's
 * aggregates and have no per-flow count) added to its internal host,
 * external host, service port and port+protocol.
 */
static void add_flow_part(struct nfx_attrib *a, const struct nf_flow *fl, const struct nf_cidr_list *internal,
                          uint64_t packets, uint64_t bytes)
{
    struct keytab *t = a->table;
    int after = fl->first_ms >= a->t;
    int src_in = nf_cidr_list_contains(internal, &fl->src), dst_in = nf_cidr_list_contains(internal, &fl->dst);
    double v[4] = {0, (double)fl->flows, (double)packets, (double)bytes};
    struct rec r = {.src_in = src_in, .dst_in = dst_in};
    char src[NF_ADDR_STRLEN], dst[NF_ADDR_STRLEN], port[16], pp[48], pname[32];
    size_t i;
    unsigned d;
    nf_addr_format(&fl->src, src);
    nf_addr_format(&fl->dst, dst);
    /* The service port: the well-known one of the pair, else the lower. */
    int has_ports = fl->proto == 6 || fl->proto == 17 || fl->proto == 132;
    unsigned sp = fl->src_port, dp = fl->dst_port;
    unsigned service = (sp < 1024) != (dp < 1024) ? (sp < 1024 ? sp : dp) : (sp < dp ? sp : dp);
    if (has_ports)
        snprintf(port, sizeof port, "%u", service);
    else
        snprintf(port, sizeof port, "none");
    const char *pn = nfx_proto_name(fl->proto, pname, sizeof pname);
    if (has_ports) {
        snprintf(pp, sizeof pp, "%u/%s", service, pn);
        for (char *c = pp; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    } else {
        snprintf(pp, sizeof pp, "%s", pn);
    }
    r.proto = fl->proto;
    for (i = 0; i < a->nq; i++) {
        const struct nfx_quantity *q = a->qs[i].q;
        if (q->measure == NFX_Q_RECORDS || !in_direction(q, &r))
            continue;
        int in_num = q->proto == NFX_Q_ANY || (int)q->proto == proto_class_of(fl->proto);
        if (!in_num && !nfx_quantity_share(q))
            continue;
        int internal_is_dst = q->dir == NFX_Q_IN || (q->dir == NFX_Q_ALL && dst_in);
        if (q->dir == NFX_Q_OUT)
            internal_is_dst = 0;
        for (d = NFX_DIM_INT_HOST; d < NFX_NDIM; d++) {
            const char *key = d == NFX_DIM_INT_HOST ? (internal_is_dst ? dst : src)
                            : d == NFX_DIM_EXT_HOST ? (internal_is_dst ? src : dst)
                            : d == NFX_DIM_PORT ? port : pp;
            struct nfx_akey *k = keytab_get(t, (unsigned)i, d, key);
            if (in_num)
                *(after ? &k->num_a : &k->num_b) += v[q->measure];
            *(after ? &k->den_a : &k->den_b) += v[q->measure];
        }
    }
}

/*
 * A flow as the records hold it: both directions under (src, dst), or
 * with --uniflow (records of nf-window --uniflow) its IN_ counters under
 * (src, dst) and its OUT_ counters under (dst, src), so that the hosts
 * and ports of a quantity come from the same bytes as its records.
 */
static void add_flow(struct nfx_attrib *a, const struct nf_flow *fl, const struct nf_cidr_list *internal,
                     int uniflow)
{
    a->flows++;
    if (!uniflow) {
        add_flow_part(a, fl, internal, fl->in_pkts + fl->out_pkts, fl->in_bytes + fl->out_bytes);
        return;
    }
    add_flow_part(a, fl, internal, fl->in_pkts, fl->in_bytes);
    if (fl->out_pkts || fl->out_bytes) {
        struct nf_flow back = *fl;
        back.src = fl->dst;
        back.dst = fl->src;
        back.src_port = fl->dst_port;
        back.dst_port = fl->src_port;
        add_flow_part(a, &back, internal, fl->out_pkts, fl->out_bytes);
    }
}

/* The lines of path, or of its span only when one is given (--follow). */
static void open_lines(struct nf_lines *l, char **paths, const struct nfx_span *span)
{
    nf_lines_init(l, paths, 1);
    if (span->end)
        nf_lines_range(l, span->start, span->end, span->line);
}

static void read_flows(const struct nfx_attrib_opts *o, struct nfx_attrib *as, size_t n)
{
    struct nf_lines lines;
    char *paths[1] = {(char *)o->flows_path};
    char why[128];
    cJSON *obj;
    size_t i;
    open_lines(&lines, paths, &o->flows_span);
    while ((obj = nf_rec_next(&lines, o->rejects)) != NULL) {
        struct nf_flow fl;
        if (nf_flow_from_json(obj, &fl, why, sizeof why) != 0)
            nf_reject(o->rejects, lines.name, lines.lineno, lines.buf, lines.len, "%s", why);
        else if (fl.has_time)
            for (i = 0; i < n; i++)
                if (fl.first_ms >= as[i].b0 && fl.first_ms < as[i].a1_end)
                    add_flow(&as[i], &fl, o->internal, o->uniflow);
        cJSON_Delete(obj);
    }
    nf_lines_free(&lines);
}

/* Highest share first; ties by key text, so output does not depend on hashing. */
static int by_share(const void *x, const void *y)
{
    const struct nfx_akey *a = x, *b = y;
    double sa = isnan(a->share) ? -INFINITY : a->share, sb = isnan(b->share) ? -INFINITY : b->share;
    if (sa != sb)
        return sa > sb ? -1 : 1;
    double ca = fabs(a->contribution), cb = fabs(b->contribution);
    if (ca != cb)
        return ca > cb ? -1 : 1;
    return strcmp(a->key, b->key);
}

static enum nfx_kstatus status_of(double before, double after)
{
    if (before == 0 && after > 0)
        return NFX_KS_NEW;
    if (before > 0 && after == 0)
        return NFX_KS_VANISHED;
    return after > before ? NFX_KS_GREW : after < before ? NFX_KS_SHRANK : NFX_KS_UNCHANGED;
}

/*
 * Each key's prior share: the part of the change it would carry had every
 * key moved like the whole, over the change. For a sum that is its share
 * of the quantity before (every key grows by the same factor). For a share
 * N/D every key's numerator moves by the overall factor gn = Na/Nb and its
 * denominator by gd = Da/Db, and its part is the exact split of
 * attrib.c's header under that null: ((gn-1) n_bk - S_b (gd-1) d_bk) / D_a
 * (these add up to the change). The dimension's own totals are used, as
 * the flow dimensions need not add up to the records'. With nothing before
 * there is nothing to be proportional to: every prior is 0.
 */
static void prior_shares(const struct nfx_aq *aq, struct nfx_adim *dm, double nb, double na)
{
    double Nb = 0, Na = 0, Db = 0, Da = 0, sum = 0;
    size_t i;
    for (i = 0; i < dm->nkeys; i++) {
        Nb += dm->keys[i].num_b / nb, Na += dm->keys[i].num_a / na;
        Db += dm->keys[i].den_b / nb, Da += dm->keys[i].den_a / na;
    }
    int share = nfx_quantity_share(aq->q);
    for (i = 0; i < dm->nkeys; i++) {
        struct nfx_akey *k = &dm->keys[i];
        if (!share)
            k->prior = k->num_b / nb;
        else if (Nb > 0 && Db > 0 && Da > 0)
            k->prior = ((Na / Nb - 1) * k->num_b / nb - Nb / Db * (Da / Db - 1) * k->den_b / nb) / Da;
        else
            k->prior = 0;
        sum += k->prior;
    }
    for (i = 0; i < dm->nkeys; i++)
        dm->keys[i].prior = sum != 0 && isfinite(sum) ? dm->keys[i].prior / sum : 0;
}

/*
 * The part of the change due to key k moving beyond the others. For a sum,
 * with g_rest the relative change of the other keys and C the change,
 * (c_k - b_k g_rest) / C = (share - prior) / (1 - prior): what would go
 * away had k grown at the others' rate. 0 for a proportional change, the
 * share itself for a key absent before, 1 for a key that alone moved,
 * however big it was. A share's prior can leave [0, 1] (keys whose
 * denominator moves against the numerator); it is clamped there. A key
 * that was everything has no others to compare with: its share.
 */
static double excess_of(const struct nfx_akey *k)
{
    double p = k->prior < 0 ? 0 : k->prior > 1 ? 1 : k->prior;
    if (isnan(k->share))
        return NAN;
    return 1 - p > 1e-9 ? (k->share - p) / (1 - p) : k->share;
}

/* Contributions, shares, ranks and the summary figures of one dimension. */
static void finish_dim(struct nfx_aq *aq, struct nfx_adim *dm, double nb, double na, double Db, double Da)
{
    size_t i;
    double Sb = Db > 0 ? aq->before : 0;
    for (i = 0; i < dm->nkeys; i++) {
        struct nfx_akey *k = &dm->keys[i];
        k->before = k->num_b / nb;
        k->after = k->num_a / na;
        if (!nfx_quantity_share(aq->q))
            k->contribution = k->after - k->before;
        else if (Da > 0)
            k->contribution = ((k->after - k->before) - Sb * (k->den_a / na - k->den_b / nb)) / Da;
        else
            k->contribution = Db > 0 ? -k->before / Db : 0;
        /* A key in the denominator only is judged by its denominator; means per window, as the sides differ in length. */
        if (nfx_quantity_share(aq->q) && k->num_b == 0 && k->num_a == 0)
            k->status = status_of(k->den_b / nb, k->den_a / na) + NFX_KS_DEN_NEW;
        else
            k->status = status_of(k->before, k->after);
    }
    prior_shares(aq, dm, nb, na);
    for (i = 0; i < dm->nkeys; i++) {
        struct nfx_akey *k = &dm->keys[i];
        k->share = aq->change != 0 ? k->contribution / aq->change : NAN;
        k->excess = excess_of(k);
        dm->moved_with += aq->change != 0 && k->contribution * aq->change > 0;
    }
    qsort(dm->keys, dm->nkeys, sizeof *dm->keys, by_share);
    double cum = 0;
    dm->carry = 0;
    for (i = 0; i < dm->nkeys && aq->change != 0; i++) {
        cum += dm->keys[i].share;
        if (cum >= CARRY_SHARE) {
            dm->carry = i + 1;
            break;
        }
    }
    dm->carry_share = cum;
    dm->actor = 0;
    for (i = 1; i < dm->nkeys; i++) /* ties keep the higher share */
        if (dm->keys[i].excess > dm->keys[dm->actor].excess)
            dm->actor = i;
    double top = dm->nkeys && aq->change != 0 ? dm->keys[dm->actor].excess : 0;
    dm->broad = aq->change != 0 && !(top >= BROAD_EXCESS);
    dm->dominant = aq->change != 0 && top >= DOMINANT_EXCESS;
}

static void finish(struct nfx_attrib *a)
{
    struct keytab *t = a->table;
    double nb = (double)(a->nb ? a->nb : 1), na = (double)(a->na ? a->na : 1);
    size_t i, q;
    unsigned d;
    for (q = 0; q < a->nq; q++) {
        struct nfx_aq *aq = &a->qs[q];
        double N[2] = {0, 0}, D[2] = {0, 0};
        for (d = 0; d < NFX_NDIM; d++) {
            size_t n = 0;
            for (i = 0; i < t->n; i++)
                n += t->slots[i].q == q && t->slots[i].dim == d;
            aq->dims[d].keys = nf_xcalloc(n ? n : 1, sizeof *aq->dims[d].keys);
            for (i = 0; i < t->n; i++)
                if (t->slots[i].q == q && t->slots[i].dim == d) {
                    const struct nfx_akey *k = &t->slots[i].k;
                    aq->dims[d].keys[aq->dims[d].nkeys++] = *k;
                    if (d == NFX_DIM_PROTOCOL) { /* every record once */
                        N[0] += k->num_b, N[1] += k->num_a;
                        D[0] += k->den_b, D[1] += k->den_a;
                    }
                }
        }
        double Db = D[0] / nb, Da = D[1] / na;
        if (nfx_quantity_share(aq->q)) {
            aq->before = Db > 0 ? N[0] / nb / Db : 0;
            aq->after = Da > 0 ? N[1] / na / Da : 0;
        } else {
            aq->before = N[0] / nb;
            aq->after = N[1] / na;
        }
        aq->change = aq->after - aq->before;
        for (d = 0; d < NFX_NDIM; d++)
            finish_dim(aq, &aq->dims[d], nb, na, Db, Da);
    }
    free(t->slots); /* the key texts moved into the dimensions */
    free(t->index);
    free(t);
    a->table = NULL;
}

void nfx_attrib_run(const struct nfx_attrib_opts *o, struct nfx_attrib *as, size_t n)
{
    struct nf_lines lines;
    char *paths[1] = {(char *)o->records_path};
    cJSON *obj;
    size_t i;
    for (i = 0; i < n; i++)
        as[i].table = nf_xcalloc(1, sizeof(struct keytab));
    open_lines(&lines, paths, &o->records_span);
    while ((obj = nf_rec_next(&lines, o->rejects)) != NULL) {
        struct rec r;
        const char *why = NULL;
        int rc = read_record(obj, o->internal, &r, &why);
        if (rc < 0)
            nf_reject(o->rejects, lines.name, lines.lineno, lines.buf, lines.len, "%s", why);
        for (i = 0; rc == 0 && i < n; i++)
            if (r.t >= as[i].b0 && r.t <= as[i].a1)
                add_record(&as[i], &r);
        cJSON_Delete(obj);
    }
    nf_lines_free(&lines);
    if (o->flows_path) {
        read_flows(o, as, n);
        for (i = 0; i < n; i++)
            as[i].have_flows = 1;
    }
    for (i = 0; i < n; i++)
        finish(&as[i]);
}

void nfx_attrib_free(struct nfx_attrib *a)
{
    size_t q, i;
    unsigned d;
    for (q = 0; q < a->nq; q++)
        for (d = 0; d < NFX_NDIM; d++) {
            for (i = 0; i < a->qs[q].dims[d].nkeys; i++)
                free(a->qs[q].dims[d].keys[i].key);
            free(a->qs[q].dims[d].keys);
        }
}

unsigned nfx_attrib_ndim(const struct nfx_attrib *a, size_t q)
{
    return a->have_flows && a->qs[q].q->measure != NFX_Q_RECORDS ? NFX_NDIM : NFX_NDIM_RECORDS;
}

size_t nfx_attrib_headline_q(const struct nfx_attrib *a)
{
    size_t q;
    for (q = 0; q < a->nq; q++)
        if (nfx_attrib_ndim(a, q) == NFX_NDIM)
            return q;
    return 0;
}

const char *nfx_dim_name(enum nfx_dim d, int plural)
{
    static const char *one[] = {"internal subnet", "external subnet", "subnet pair", "protocol",
                                "internal host", "external host", "service port", "port and protocol"};
    static const char *many[] = {"internal subnets", "external subnets", "subnet pairs", "protocols",
                                 "internal hosts", "external hosts", "service ports", "ports and protocols"};
    return plural ? many[d] : one[d];
}

const char *nfx_kstatus_name(enum nfx_kstatus s)
{
    static const char *names[] = {"new", "vanished", "grew", "shrank", "unchanged",
                                  "new in the denominator", "vanished from the denominator",
                                  "grew in the denominator", "shrank in the denominator",
                                  "unchanged in the denominator"};
    return names[s];
}

const char *nfx_akey_label(enum nfx_dim d, const char *key, char *buf, size_t size)
{
    if (d != NFX_DIM_PROTOCOL)
        return key;
    char name[64];
    int p = atoi(key);
    snprintf(buf, size, "%s (%d)", nfx_proto_name(p, name, sizeof name), p);
    return buf;
}

/* ---- the series for --plot ---- */

/* The headline quantity's record dimension whose top key carries most (the first on ties). */
static int series_setup(const struct nfx_attrib *a, struct nfx_aseries *s)
{
    size_t hq = nfx_attrib_headline_q(a), i;
    unsigned d, best = 0;
    memset(s, 0, sizeof *s);
    if (a->nq == 0 || a->qs[hq].change == 0 || a->a1_end <= a->a1)
        return -1;
    const struct nfx_aq *aq = &a->qs[hq];
    for (d = 1; d < NFX_NDIM_RECORDS; d++)
        if (aq->dims[d].nkeys && (!aq->dims[best].nkeys || aq->dims[d].keys[0].share > aq->dims[best].keys[0].share))
            best = d;
    const struct nfx_adim *dm = &aq->dims[best];
    s->q = hq;
    s->dim = (enum nfx_dim)best;
    s->step = a->a1_end - a->a1;
    s->nwin = (size_t)((a->a1 - a->b0) / s->step) + 1;
    /* keys that raised the quantity, the largest first */
    for (i = 0; i < dm->nkeys && s->nkeys < NFX_SERIES_KEYS; i++)
        if (dm->keys[i].share > 0)
            s->keys[s->nkeys++] = dm->keys[i].key;
    s->total = nf_xcalloc(s->nwin, sizeof *s->total);
    s->num = nf_xcalloc(s->nwin, sizeof *s->num);
    s->den = nf_xcalloc(s->nwin, sizeof *s->den);
    for (i = 0; i < s->nkeys; i++)
        s->part[i] = nf_xcalloc(s->nwin, sizeof *s->part[i]);
    return 0;
}

static void series_add(const struct nfx_attrib *a, struct nfx_aseries *s, const struct rec *r)
{
    const struct nfx_quantity *q = a->qs[s->q].q;
    char buf[2 * 64 + 8];
    size_t w = (size_t)((r->t - a->b0) / s->step), i;
    if (r->t < a->b0 || w >= s->nwin || !in_direction(q, r))
        return;
    int in_num = q->proto == NFX_Q_ANY || (int)q->proto == proto_class_of(r->proto);
    double v = r->v[q->measure];
    s->den[w] += v;
    if (!in_num)
        return;
    s->num[w] += v;
    const char *key = record_key(q, r, s->dim, buf, sizeof buf);
    for (i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i], key) == 0)
            s->part[i][w] += v;
}

static void series_finish(const struct nfx_attrib *a, struct nfx_aseries *s)
{
    size_t w, i;
    for (w = 0; w < s->nwin; w++) {
        double d = nfx_quantity_share(a->qs[s->q].q) ? s->den[w] : 1;
        s->total[w] = d > 0 ? s->num[w] / d : 0;
        for (i = 0; i < s->nkeys; i++)
            s->part[i][w] = d > 0 ? s->part[i][w] / d : 0;
    }
}

int nfx_attrib_series(const struct nfx_attrib_opts *o, const struct nfx_attrib *as, size_t n, struct nfx_aseries *s)
{
    struct nf_lines lines;
    char *paths[1] = {(char *)o->records_path};
    struct nf_rejects quiet = {.count = UINT64_MAX / 2}; /* past the message limit: the first pass named the bad lines */
    cJSON *obj;
    size_t i, any = 0;
    for (i = 0; i < n; i++)
        if (series_setup(&as[i], &s[i]) == 0)
            any++;
    if (!any)
        return 0;
    /* a pipe was read once already; bad records were counted then */
    if (!nfx_is_regular(o->records_path))
        return -1;
    open_lines(&lines, paths, &o->records_span);
    while ((obj = nf_rec_next(&lines, &quiet)) != NULL) {
        struct rec r;
        const char *why = NULL;
        if (read_record(obj, o->internal, &r, &why) == 0)
            for (i = 0; i < n; i++)
                if (s[i].nwin)
                    series_add(&as[i], &s[i], &r);
        cJSON_Delete(obj);
    }
    nf_lines_free(&lines);
    for (i = 0; i < n; i++)
        if (s[i].nwin)
            series_finish(&as[i], &s[i]);
    return 0;
}

void nfx_aseries_free(struct nfx_aseries *s)
{
    size_t i;
    free(s->total);
    free(s->num);
    free(s->den);
    for (i = 0; i < s->nkeys; i++)
        free(s->part[i]);
    memset(s, 0, sizeof *s);
}
