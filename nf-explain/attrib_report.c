/*
 * attrib_report.c - the "Who carried the shift" section of a change-point
 * report (Markdown and JSON) and the actors for its headline, from the
 * split attrib.c computed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "attrib.h"
#include "attrib_report.h"
#include "fmt.h"

/* The file's name without its directories, so a report does not depend on where it ran. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static enum nf_unit unit_of_measure(enum nfx_qmeasure m)
{
    static const enum nf_unit u[] = {NF_UNIT_RECORDS, NF_UNIT_FLOWS, NF_UNIT_PACKETS, NF_UNIT_BYTES};
    return u[m];
}

/* The unit the quantity's change is in: its measure, or a share. */
static enum nf_unit unit_of(const struct nfx_aq *aq)
{
    return nfx_quantity_share(aq->q) ? NF_UNIT_SHARE : unit_of_measure(aq->q->measure);
}

static const char *key_text(enum nfx_dim d, const char *key)
{
    char buf[96];
    return nfx_kept("%s", nfx_md_text(nfx_akey_label(d, key, buf, sizeof buf)));
}

static size_t count_status(const struct nfx_adim *dm, enum nfx_kstatus s, int with_change_sign)
{
    size_t i, n = 0;
    for (i = 0; i < dm->nkeys; i++)
        n += dm->keys[i].status == s && (with_change_sign == 0 || dm->keys[i].contribution * with_change_sign > 0);
    return n;
}

/* A share as kept text (nfx_share's result lives only in its expression). */
static const char *pct_of(double share)
{
    return nfx_kept("%s", nfx_share(share).s);
}

/* "had 60 % before" (a sum), "would carry 60 % moving like the whole" (a share: see attrib.c's prior_shares). */
static const char *prior_text(const struct nfx_aq *aq, const struct nfx_akey *k)
{
    if (nfx_quantity_share(aq->q))
        return nfx_kept("would carry %s had every key moved like the whole", pct_of(k->prior));
    return nfx_kept("had %s before", pct_of(k->prior));
}

const char *nfx_attrib_dim_sentence(const struct nfx_aq *aq, enum nfx_dim d)
{
    const struct nfx_adim *dm = &aq->dims[d];
    const char *move = aq->change > 0 ? "rise" : "fall";
    if (aq->change == 0 || !isfinite(aq->change))
        return nfx_kept("The quantity did not change over the compared windows (%s %s).",
                        nfx_num((double)dm->nkeys).s, nfx_dim_name(d, dm->nkeys != 1));
    if (dm->nkeys == 0)
        return nfx_kept("No %s carries any of the %s.", nfx_dim_name(d, 0), move);
    const struct nfx_akey *top = &dm->keys[0], *actor = &dm->keys[dm->actor];
    if (dm->broad) {
        const char *verb = nfx_quantity_share(aq->q) ? (aq->change > 0 ? "raised it" : "lowered it")
                                        : (aq->change > 0 ? "grew" : "shrank");
        return nfx_kept("The %s is broad, spread like the traffic: the top %s (%s) carries %s of it and %s; no %s "
                        "carries more than %s of it beyond its share; %s of %s %s %s.",
                        move, nfx_dim_name(d, 0), key_text(d, top->key), pct_of(top->share), prior_text(aq, top),
                        nfx_dim_name(d, 0), pct_of(actor->excess), nfx_num((double)dm->moved_with).s,
                        nfx_num((double)dm->nkeys).s, nfx_dim_name(d, 1), verb);
    }
    const char *lead;
    if (dm->dominant)
        lead = nfx_kept(", led by %s (%s, %s), which %s", key_text(d, actor->key), nfx_kstatus_name(actor->status),
                        pct_of(actor->share), prior_text(aq, actor));
    else
        lead = nfx_kept("; the most beyond its share is %s (%s of the %s, %s)", key_text(d, actor->key),
                        pct_of(actor->excess), move, prior_text(aq, actor));
    return nfx_kept("%s of %s %s %s %s of the %s%s.", nfx_num((double)dm->carry).s, nfx_num((double)dm->nkeys).s,
                    nfx_dim_name(d, dm->nkeys != 1), dm->carry == 1 ? "carries" : "carry", pct_of(dm->carry_share),
                    move, lead);
}

const char *nfx_attrib_actors(const struct nfx_attrib *a)
{
    if (!a || a->nq == 0)
        return NULL;
    size_t hq = nfx_attrib_headline_q(a);
    const struct nfx_aq *aq = &a->qs[hq];
    if (aq->change == 0)
        return NULL;
    const char *move = aq->change > 0 ? "rise" : "fall";
    char parts[NFX_NDIM][256];
    size_t np = 0;
    unsigned d;
    for (d = 0; d < nfx_attrib_ndim(a, hq); d++) {
        const struct nfx_adim *dm = &aq->dims[d];
        if ((d == NFX_DIM_PAIR && np > 0) || d == NFX_DIM_PORT || (d == NFX_DIM_EXT_HOST && !dm->dominant))
            continue; /* a pair repeats the subnets already named, a port its port and protocol */
        if (dm->dominant) {
            const struct nfx_akey *actor = &dm->keys[dm->actor];
            snprintf(parts[np++], sizeof parts[0], "%s%s (%s, %s of the %s)",
                     d == NFX_DIM_EXTERNAL || d == NFX_DIM_EXT_HOST ? "from " : "", key_text(d, actor->key),
                     nfx_kstatus_name(actor->status), pct_of(actor->share), move);
        } else if (d == NFX_DIM_EXTERNAL && count_status(dm, NFX_KS_NEW, aq->change > 0 ? 1 : -1) >= 2) {
            snprintf(parts[np++], sizeof parts[0], "from %s new external subnets",
                     nfx_num((double)count_status(dm, NFX_KS_NEW, aq->change > 0 ? 1 : -1)).s);
        } else if (d == NFX_DIM_INTERNAL && dm->broad) {
            snprintf(parts[np++], sizeof parts[0], "broad over %s internal subnets, spread like the traffic (the top one "
                     "carries %s of the %s, %s)", nfx_num((double)dm->moved_with).s, pct_of(dm->keys[0].share), move,
                     prior_text(aq, &dm->keys[0]));
        }
    }
    if (np == 0)
        return NULL;
    switch (np) {
    case 1: return nfx_kept("%s", parts[0]);
    case 2: return nfx_kept("%s, %s", parts[0], parts[1]);
    case 3: return nfx_kept("%s, %s, %s", parts[0], parts[1], parts[2]);
    case 4: return nfx_kept("%s, %s, %s, %s", parts[0], parts[1], parts[2], parts[3]);
    case 5: return nfx_kept("%s, %s, %s, %s, %s", parts[0], parts[1], parts[2], parts[3], parts[4]);
    default: return nfx_kept("%s, %s, %s, %s, %s, %s", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }
}

static void md_keys(const struct nfx_aq *aq, enum nfx_dim d, int interval, struct nfx_md *md)
{
    const struct nfx_adim *dm = &aq->dims[d];
    enum nf_unit mu = unit_of_measure(aq->q->measure);
    size_t i, shown = dm->nkeys < NFX_ATTRIB_SHOWN ? dm->nkeys : NFX_ATTRIB_SHOWN;
    struct nfx_table t;
    char head[128];
    if (shown == 0)
        return;
    snprintf(head, sizeof head, "%s|%s|Change|%sShare|Status", nfx_dim_name(d, 0),
             interval ? "Span mean|Interval" : "Before|After", nfx_quantity_share(aq->q) ? "Contribution|" : "");
    head[0] = (char)(head[0] - 'a' + 'A');
    nfx_table_init(&t, head, nfx_quantity_share(aq->q) ? "lrrrrrl" : "lrrrrl");
    for (i = 0; i < shown; i++) {
        const struct nfx_akey *k = &dm->keys[i];
        if (nfx_quantity_share(aq->q))
            nfx_table_rowf(&t, "%s|%s|%s|%s|%s|%s|%s", key_text(d, k->key), nfx_value(mu, k->before).s,
                           nfx_value(mu, k->after).s, nfx_delta(mu, k->after - k->before).s,
                           nfx_delta(NF_UNIT_SHARE, k->contribution).s, pct_of(k->share), nfx_kstatus_name(k->status));
        else
            nfx_table_rowf(&t, "%s|%s|%s|%s|%s|%s", key_text(d, k->key), nfx_value(mu, k->before).s,
                           nfx_value(mu, k->after).s, nfx_delta(mu, k->contribution).s, pct_of(k->share),
                           nfx_kstatus_name(k->status));
    }
    nfx_table_write(&t, md);
    nfx_table_free(&t);
    if (dm->nkeys > shown) {
        double rest = 0;
        for (i = shown; i < dm->nkeys; i++)
            rest += dm->keys[i].share;
        nfx_md_printf(md, "\n%s more %s: %s of the change together.\n", nfx_num((double)(dm->nkeys - shown)).s,
                      nfx_dim_name(d, dm->nkeys - shown != 1), pct_of(rest));
    }
}

void nfx_attrib_markdown(const struct nfx_attrib *a, const char *records_path, const char *flows_path,
                         struct nfx_md *md)
{
    size_t q;
    unsigned d;
    char counts[256];
    if (a->interval) {
        nfx_md_printf(md, "\n## Which records made it unusual\n\n");
        nfx_md_printf(md, "The records of %s in this interval and in the %s windows before it (the comparison span, "
                          "`--attrib-span`): %s records. Each quantity below is the interval's value against its mean "
                          "per window over the span; that difference is split over the keys of the records, and the "
                          "parts add up to it.\n",
                      nfx_md_code(base_name(records_path)), nfx_num((double)a->nb).s, nfx_num((double)a->records).s);
    } else {
        nfx_md_printf(md, "\n## Who carried the shift\n\n");
        nfx_md_printf(md, "The records of %s in the compared windows (%s before the change point and %s after, "
                          "the nearest to it; `--attrib-span`): %s records. Each quantity below is split over the keys "
                          "of the records; the parts add up to its change. Values are means per window.\n",
                      nfx_md_code(base_name(records_path)), nfx_num((double)a->nb).s, nfx_num((double)a->na).s,
                      nfx_num((double)a->records).s);
    }
    if (a->have_flows)
        nfx_md_printf(md, "With the %s flows of %s in those windows (by their first packet) the byte, packet and flow "
                          "counts are split over hosts and ports too.\n",
                      nfx_num((double)a->flows).s, nfx_md_code(base_name(flows_path)));
    if (a->nq == 0)
        nfx_md_printf(md, "\nNone of the features that %s is a sum or share over records "
                          "(means, SDs and counts of subnets are not split over keys).\n",
                      a->interval ? "stand out most in this interval" : "moved most");
    for (q = 0; q < a->nq; q++) {
        const struct nfx_aq *aq = &a->qs[q];
        const struct nf_feature fi = nfx_feat_of(nfx_quantity_name(aq->q));
        enum nf_unit u = unit_of(aq);
        nfx_md_printf(md, "\n### %s (%s)\n\n", nfx_md_label(fi.label, 1), nfx_md_code(nfx_quantity_name(aq->q)));
        nfx_md_printf(md, "It counts %s. ", nfx_quantity_counts(aq->q, counts, sizeof counts));
        if (a->interval && nfx_quantity_share(aq->q))
            nfx_md_printf(md, "Pooled over the span (numerator sum over denominator sum) it was %s; in the interval %s "
                              "(%s); the feature's mean of the window shares over the span was %s, in the interval %s. "
                              "The difference is split through the numerator and denominator counts of each key: a key "
                              "adds to the share by growing its numerator and takes from it by growing only the "
                              "denominator.\n",
                          nfx_value(u, aq->before).s, nfx_value(u, aq->after).s, nfx_delta(u, aq->change).s,
                          nfx_value(u, aq->feature_before).s, nfx_value(u, aq->feature_after).s);
        else if (a->interval)
            nfx_md_printf(md, "From the records it was %s per window over the span and %s in the interval (%s); the "
                              "feature: %s over the span, %s in the interval.\n",
                          nfx_value(u, aq->before).s, nfx_value(u, aq->after).s, nfx_delta(u, aq->change).s,
                          nfx_value(u, aq->feature_before).s, nfx_value(u, aq->feature_after).s);
        else if (nfx_quantity_share(aq->q))
            nfx_md_printf(md, "Pooled over the windows of each side (numerator sum over denominator sum) it went from %s to %s "
                              "(%s); the feature's mean of the window shares went from %s to %s. The change is split "
                              "through the numerator and denominator counts of each key: a key adds to the share by "
                              "growing its numerator and takes from it by growing only the denominator.\n",
                          nfx_value(u, aq->before).s, nfx_value(u, aq->after).s, nfx_delta(u, aq->change).s,
                          nfx_value(u, aq->feature_before).s, nfx_value(u, aq->feature_after).s);
        else
            nfx_md_printf(md, "From the records it went from %s to %s per window (%s); the feature over the same windows: "
                              "%s to %s.\n",
                          nfx_value(u, aq->before).s, nfx_value(u, aq->after).s, nfx_delta(u, aq->change).s,
                          nfx_value(u, aq->feature_before).s, nfx_value(u, aq->feature_after).s);
        for (d = 0; d < nfx_attrib_ndim(a, q); d++) {
            nfx_md_printf(md, "\n**By %s.** %s\n\n", nfx_dim_name((enum nfx_dim)d, 0),
                          nfx_attrib_dim_sentence(aq, (enum nfx_dim)d));
            md_keys(aq, (enum nfx_dim)d, a->interval, md);
        }
    }
}

void nfx_attrib_json(const struct nfx_attrib *a, const char *records_path, struct nf_jw *w)
{
    size_t q, i;
    unsigned d;
    char counts[256], label[96];
    nf_jw_begin_object(w, "attribution");
    nf_jw_str(w, "comparison", a->interval ? "interval_against_span" : "change_point");
    nf_jw_str(w, "records", records_path);
    nf_jw_u64(w, "records_read", a->records);
    if (a->have_flows)
        nf_jw_u64(w, "flows_read", a->flows);
    else
        nf_jw_null(w, "flows_read");
    nf_jw_u64(w, "windows_before", a->nb);
    nf_jw_u64(w, "windows_after", a->na);
    const char *actors = nfx_attrib_actors(a);
    if (actors)
        nf_jw_str(w, "actors", actors);
    else
        nf_jw_null(w, "actors");
    nf_jw_begin_array(w, "quantities");
    for (q = 0; q < a->nq; q++) {
        const struct nfx_aq *aq = &a->qs[q];
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "feature", nfx_quantity_name(aq->q));
        nf_jw_str(w, "label", nfx_feat_of(nfx_quantity_name(aq->q)).label);
        nf_jw_str(w, "counts", nfx_quantity_counts(aq->q, counts, sizeof counts));
        nf_jw_str(w, "kind", nfx_quantity_share(aq->q) ? "share" : "sum");
        nf_jw_double(w, "before", aq->before);
        nf_jw_double(w, "after", aq->after);
        nf_jw_double(w, "change", aq->change);
        nf_jw_double(w, "feature_before", aq->feature_before);
        nf_jw_double(w, "feature_after", aq->feature_after);
        nf_jw_begin_array(w, "dimensions");
        for (d = 0; d < nfx_attrib_ndim(a, q); d++) {
            const struct nfx_adim *dm = &aq->dims[d];
            size_t shown = dm->nkeys < NFX_ATTRIB_SHOWN ? dm->nkeys : NFX_ATTRIB_SHOWN;
            double rest = 0;
            nf_jw_begin_object(w, NULL);
            nf_jw_str(w, "dimension", nfx_dim_name((enum nfx_dim)d, 0));
            nf_jw_u64(w, "keys_total", dm->nkeys);
            nf_jw_u64(w, "keys_moved_with", dm->moved_with);
            nf_jw_u64(w, "carry_keys", dm->carry);
            nf_jw_double(w, "carry_share", aq->change != 0 ? dm->carry_share : NAN);
            nf_jw_bool(w, "broad", dm->broad);
            nf_jw_bool(w, "dominant", dm->dominant);
            if (dm->nkeys && aq->change != 0) {
                nf_jw_str(w, "actor_key", dm->keys[dm->actor].key);
                nf_jw_double(w, "actor_excess", dm->keys[dm->actor].excess);
            } else {
                nf_jw_null(w, "actor_key");
                nf_jw_null(w, "actor_excess");
            }
            nf_jw_str(w, "sentence", nfx_attrib_dim_sentence(aq, (enum nfx_dim)d));
            nf_jw_begin_array(w, "keys");
            for (i = 0; i < dm->nkeys; i++) {
                const struct nfx_akey *k = &dm->keys[i];
                if (i >= shown) {
                    rest += k->contribution;
                    continue;
                }
                nf_jw_begin_object(w, NULL);
                nf_jw_str(w, "key", k->key);
                nf_jw_str(w, "label", nfx_akey_label((enum nfx_dim)d, k->key, label, sizeof label));
                nf_jw_double(w, "before", k->before);
                nf_jw_double(w, "after", k->after);
                nf_jw_double(w, "contribution", k->contribution);
                nf_jw_double(w, "share", k->share);
                nf_jw_double(w, "prior_share", aq->change != 0 ? k->prior : NAN);
                nf_jw_double(w, "excess", k->excess);
                nf_jw_str(w, "status", nfx_kstatus_name(k->status));
                nf_jw_end_object(w);
            }
            nf_jw_end_array(w);
            nf_jw_double(w, "rest_contribution", rest);
            nf_jw_end_object(w);
        }
        nf_jw_end_array(w);
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_end_object(w);
}
