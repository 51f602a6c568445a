/*
 * report_change.c - "what changed": one report per nf-pelt change point.
 *
 * The feature stream (--features) is split at the change point into the
 * segment before and the segment after (bounded by the record's
 * before_start / after_end and by the neighbouring change points). Every
 * feature is compared across the two segments by its standardised effect
 * size d = (mean after - mean before) / pooled SD; the report ranks the
 * features by |d|, reads them by category, names the principal components
 * the change was found in with the features loading most on them (from
 * --model), and ends with what the data shows and what it cannot tell.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "attrib_report.h"
#include "err.h"
#include "order.h"
#include "explain.h"
#include "featinfo.h"
#include "fmt.h"
#include "markdown.h"
#include "ntime.h"
#include "plot.h"
#include "stats.h"

#define LARGE_EFFECT 0.8 /* Cohen's conventional "large" */
#define TOP_LOADINGS 5

struct moved {
    size_t col;
    struct nf_feature fi;
    double mean_b, mean_a, sd_b, sd_a, diff, rel, d;
    size_t n_b, n_a;
};

struct component {
    const char *column;  /* as nf-pelt named it, e.g. "pc1_trend" */
    long pc;             /* 0-based component, -1 when not a component */
    long feature;        /* feature column the name refers to, or -1 */
    double before, after;
};

struct cp {
    int64_t t;
    double index, cost_reduction, penalty;
    int64_t seg_b0, seg_a1;   /* first row time before, last row time after */
    size_t row_b0, row_cp, row_a1; /* rows [row_b0, row_cp) and [row_cp, row_a1) */
    struct moved *moved;      /* every feature, sorted by |d| */
    size_t nmoved, nlarge;
    struct component *comps;
    size_t ncomps;
    int rank;
    struct nfx_attrib *attrib; /* who carried it (--records), or NULL */
    struct nfx_aseries series; /* --plot: its moved quantity per window with the top keys' parts (nwin 0: none) */
};

/* |d| order: clean steps (infinite) first, NaN last, ties by column order. */
static int by_effect(const void *a, const void *b)
{
    const struct moved *x = a, *y = b;
    double dx = isnan(x->d) ? -1 : fabs(x->d), dy = isnan(y->d) ? -1 : fabs(y->d);
    if (dx != dy)
        return dx < dy ? 1 : -1;
    return x->col < y->col ? -1 : x->col > y->col;
}

static const char *direction(double diff)
{
    return diff > 0 ? "rose" : diff < 0 ? "fell" : "did not change";
}

static int is_large(double d)
{
    return isfinite(d) ? fabs(d) >= LARGE_EFFECT : isinf(d);
}

static nfx_text effect_text(double d)
{
    nfx_text t;
    if (isinf(d))
        snprintf(t.s, sizeof t.s, "step (SD 0)");
    else
        t = nfx_signed(d);
    return t;
}

/* Reads a member that is a number, or a one-element array of numbers at i. */
static double num_at(const cJSON *rec, const char *key, int i)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    if (cJSON_IsArray(v))
        v = cJSON_GetArrayItem(v, i);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int time_of(const cJSON *rec, const char *key, int64_t *ms)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    if (cJSON_IsNumber(v)) {
        if (!nfx_time_ok(v->valuedouble))
            return -1;
        *ms = (int64_t)llround(v->valuedouble);
        return 0;
    }
    if (cJSON_IsString(v))
        return nf_time_parse(v->valuestring, strlen(v->valuestring), NULL, ms);
    return -1;
}


static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Strips "_trend" / "_remainder" / "_seasonal" / "_adjusted" to find what the column measures. */
static const char *base_name(const char *col)
{
    static const char *const suffixes[] = {"_trend", "_remainder", "_seasonal", "_adjusted"};
    size_t i, n = strlen(col), s;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        s = strlen(suffixes[i]);
        if (n > s && strcmp(col + n - s, suffixes[i]) == 0)
            return nfx_kept("%.*s", (int)(n - s), col);
    }
    return col;
}

static void find_components(const struct nfx_ctx *ctx, const cJSON *rec, struct cp *c)
{
    int i;
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(rec, "columns");
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(rec, "column");
    int n = cJSON_IsArray(cols) ? cJSON_GetArraySize(cols) : cJSON_IsString(one) ? 1 : 0;
    c->comps = nf_xcalloc(n ? (size_t)n : 1, sizeof *c->comps);
    c->ncomps = 0;
    for (i = 0; i < n; i++) {
        const cJSON *name = cJSON_IsArray(cols) ? cJSON_GetArrayItem(cols, i) : one;
        if (!cJSON_IsString(name))
            continue;
        struct component *k = &c->comps[c->ncomps++];
        const char *base;
        k->column = name->valuestring;
        k->before = num_at(rec, "mean_before", i);
        k->after = num_at(rec, "mean_after", i);
        k->pc = -1;
        k->feature = -1;
        base = base_name(k->column);
        char *end;
        if (strncmp(base, "pc", 2) == 0 && base[2] >= '1' && base[2] <= '9') {
            long pc = strtol(base + 2, &end, 10);
            if (*end == '\0')
                k->pc = pc - 1;
        }
        if (k->pc < 0)
            k->feature = nfx_col(ctx->features, base);
    }
}

/* Segment bounds and the comparison of every feature. */
static int analyse(const struct nfx_ctx *ctx, const cJSON *rec, const int64_t *cps, size_t ncps,
                   struct cp *c)
{
    size_t j;
    const struct nf_table *f = ctx->features;
    c->index = num_at(rec, "index", 0);
    c->cost_reduction = num_at(rec, "cost_reduction", 0);
    c->penalty = num_at(rec, "penalty", 0);
    /*
     * The record's own bounds (before_start, after_end: the first and the
     * last row time of its segments) win; without them the neighbouring
     * change points of the input bound the segments.
     */
    int64_t lo = INT64_MIN, hi = INT64_MAX, v;
    const int64_t *pos = bsearch(&c->t, cps, ncps, sizeof *cps, cmp_i64);
    size_t k = pos ? (size_t)(pos - cps) : 0;
    if (time_of(rec, "before_start", &v) == 0)
        lo = v;
    else if (pos && k > 0)
        lo = cps[k - 1];
    c->row_b0 = nf_table_row_at_or_after(f, lo == INT64_MIN ? f->time[0] : lo);
    c->row_cp = nf_table_row_at_or_after(f, c->t);
    if (time_of(rec, "after_end", &v) == 0) {
        c->row_a1 = nf_table_row_at_or_after(f, v);
        if (c->row_a1 < f->nrows && f->time[c->row_a1] == v)
            c->row_a1++; /* after_end is the start of the segment's last row */
    } else {
        while (pos && k + 1 < ncps && cps[k + 1] == c->t)
            k++;
        if (pos && k + 1 < ncps)
            hi = cps[k + 1]; /* exclusive: the next segment starts there */
        c->row_a1 = hi == INT64_MAX ? f->nrows : nf_table_row_at_or_after(f, hi);
    }
    if (c->row_cp >= f->nrows || c->row_cp == c->row_b0 || c->row_a1 <= c->row_cp)
        return -1;
    c->seg_b0 = f->time[c->row_b0];
    c->seg_a1 = f->time[c->row_a1 - 1];
    long wend = nfx_col(f, "WINDOW_END");
    c->moved = nf_xcalloc(f->ncols, sizeof *c->moved);
    c->nmoved = 0;
    c->nlarge = 0;
    for (j = 0; j < f->ncols; j++) {
        if ((long)j == wend)
            continue;
        struct moved *m = &c->moved[c->nmoved];
        m->col = j;
        m->fi = nfx_feat_of(f->colnames[j]);
        m->n_b = nfx_mean_sd(f->x + c->row_b0 * f->ncols + j, c->row_cp - c->row_b0, f->ncols,
                             &m->mean_b, &m->sd_b);
        m->n_a = nfx_mean_sd(f->x + c->row_cp * f->ncols + j, c->row_a1 - c->row_cp, f->ncols,
                             &m->mean_a, &m->sd_a);
        if (m->n_b == 0 || m->n_a == 0)
            continue;
        m->diff = m->mean_a - m->mean_b;
        /* A relative change of a coefficient around 0 means nothing. */
        m->rel = m->mean_b != 0 && m->fi.unit != NF_UNIT_COEFF ? m->diff / fabs(m->mean_b) : NAN;
        m->d = nfx_effect_size(m->mean_b, m->mean_a, nfx_pooled_sd(m->sd_b, m->n_b, m->sd_a, m->n_a));
        c->nlarge += is_large(m->d);
        c->nmoved++;
    }
    qsort(c->moved, c->nmoved, sizeof *c->moved, by_effect);
    find_components(ctx, rec, c);
    return 0;
}

static const struct moved *moved_of(const struct cp *c, size_t col)
{
    size_t i;
    for (i = 0; i < c->nmoved; i++)
        if (c->moved[i].col == col)
            return &c->moved[i];
    return NULL;
}

/* "UDP share of ingress bytes rose from 12 % to 48 % (+36 percentage points, +300 %)" */
static const char *move_sentence_case(const struct moved *m, int capital)
{
    const char *label = nfx_md_label(m->fi.label, capital), *rel = "";
    if (m->diff == 0)
        return nfx_kept("%s did not change (%s in both segments)", label, nfx_value(m->fi.unit, m->mean_b).s);
    if (isfinite(m->rel) && m->fi.unit != NF_UNIT_SHARE && m->fi.unit != NF_UNIT_COEFF)
        rel = nfx_kept(", %s", nfx_rel(m->rel).s);
    return nfx_kept("%s %s from %s to %s (%s%s)", label, direction(m->diff), nfx_value(m->fi.unit, m->mean_b).s,
                    nfx_value(m->fi.unit, m->mean_a).s, nfx_delta(m->fi.unit, m->diff).s, rel);
}

static const char *move_sentence(const struct moved *m)
{
    return move_sentence_case(m, 1);
}

struct cat_summary {
    size_t features, large;
    const struct moved *strongest;
};

static void summarise_categories(const struct cp *c, struct cat_summary *cats)
{
    size_t i;
    memset(cats, 0, NF_NCAT * sizeof *cats);
    for (i = 0; i < c->nmoved; i++) {
        const struct moved *m = &c->moved[i];
        struct cat_summary *s = &cats[m->fi.cat];
        s->features++;
        s->large += is_large(m->d);
        if (!s->strongest && !isnan(m->d))
            s->strongest = m; /* moved[] is sorted by |d| */
    }
}

/* The strongest category by number of large shifts, ties by the larger |d|. */
static int lead_category(const struct cat_summary *cats)
{
    int k;
    int best = -1;
    for (k = 0; k < NF_NCAT; k++) {
        if (cats[k].large == 0)
            continue;
        if (best < 0 || cats[k].large > cats[best].large)
            best = k;
    }
    return best;
}

/* The sentences of the category reading, shared by Markdown and JSON. Returns how many. */
static size_t category_reading(const struct nfx_ctx *ctx, const struct cp *c, const char **out, size_t max)
{
    struct cat_summary cats[NF_NCAT];
    const struct moved *sm;
    size_t n = 0;
    long sym;
    int k;

    summarise_categories(c, cats);
    for (k = 0; k < NF_NCAT && n < max; k++) {
        if (cats[k].large == 0 || !cats[k].strongest)
            continue;
        out[n++] = nfx_kept("**%s**: %s of %s features shifted strongly; strongest: %s.",
                            nfx_md_label(nf_category_name(k), 1), nfx_num((double)cats[k].large).s,
                            nfx_num((double)cats[k].features).s, move_sentence_case(cats[k].strongest, 0));
    }
    if (n == 0 && n < max)
        out[n++] = nfx_kept("No category has a feature with |d| ≥ %.1f: the shift is small in every feature taken alone.",
                            LARGE_EFFECT);
    sym = nfx_col(ctx->features, NF_FEATURE_NAME(sym_coeff_bytes));
    sm = sym >= 0 ? moved_of(c, (size_t)sym) : NULL;
    if (sm && is_large(sm->d) && fabs(sm->mean_a) != fabs(sm->mean_b) && n < max)
        out[n++] = nfx_kept("Bytes became %s symmetric between the directions: |coefficient| %s from %s to %s "
                            "(0 = balanced, ±1 = one direction only).",
                            fabs(sm->mean_a) > fabs(sm->mean_b) ? "less" : "more",
                            fabs(sm->mean_a) > fabs(sm->mean_b) ? "rose" : "fell", nfx_fixed(fabs(sm->mean_b), 2).s,
                            nfx_fixed(fabs(sm->mean_a), 2).s);
    return n;
}

/* Interval length: the gap after the change point's row (or before it, at the end). */
static int64_t step_of(const struct nf_table *f, const struct cp *c)
{
    if (c->row_cp + 1 < f->nrows)
        return f->time[c->row_cp + 1] - f->time[c->row_cp];
    return c->row_cp > 0 ? f->time[c->row_cp] - f->time[c->row_cp - 1] : 0;
}

/* Whether the stream holds interval features (the eight categories), not a plain series. */
static int has_interval_features(const struct cp *c)
{
    struct cat_summary cats[NF_NCAT];
    int k, vds = 0;
    summarise_categories(c, cats);
    for (k = 0; k <= NF_CAT_SYMMETRY; k++)
        vds |= cats[k].features > 0;
    return vds;
}

/* "What the data shows", shared by Markdown and JSON. */
static const char *conclusion_shows(const struct nfx_ctx *ctx, const struct cp *c)
{
    const struct nf_table *f = ctx->features;
    struct cat_summary cats[NF_NCAT];
    struct nfx_md md;
    int lead, vds = has_interval_features(c);
    size_t i;

    summarise_categories(c, cats);
    lead = lead_category(cats);
    nfx_md_init(&md);
    nfx_md_printf(&md, "At %s PELT split the %s", nfx_time_min(c->t).s, vds ? "interval features" : "series");
    for (i = 0; i < c->ncomps; i++)
        nfx_md_printf(&md, "%s%s", i ? ", " : " in ", nfx_md_code(c->comps[i].column));
    nfx_md_printf(&md, "; across that split %s of %s features shifted by |d| ≥ %.1f", nfx_num((double)c->nlarge).s,
                  nfx_num((double)c->nmoved).s, LARGE_EFFECT);
    if (c->nmoved > 0)
        nfx_md_printf(&md, c->nlarge ? ", led by: %s" : "; the largest move: %s", move_sentence_case(&c->moved[0], 0));
    nfx_md_printf(&md, ".");
    if (lead >= 0)
        nfx_md_printf(&md, " The %s category holds the most strongly shifted features (%s).", nf_category_name(lead),
                      nfx_num((double)cats[lead].large).s);
    nfx_md_printf(&md, " The segment after it lasted %s (%s intervals).",
                  nfx_ms((double)(c->seg_a1 + step_of(f, c) - c->t)).s, nfx_num((double)(c->row_a1 - c->row_cp)).s);
    return nfx_md_keep(&md);
}

/* "What it cannot tell", shared by Markdown and JSON. */
static const char *conclusion_cannot(const struct nfx_ctx *ctx, const struct cp *c)
{
    long nflows = nfx_col(ctx->features, NF_FEATURE_NAME(flows));
    const struct moved *fm = nflows >= 0 ? moved_of(c, (size_t)nflows) : NULL;
    int vds = has_interval_features(c);
    /* with attribution the report does name subnets (and hosts and ports with flows): say what is still out of reach */
    int named_hosts = vds && c->attrib && ctx->flows_path;
    struct nfx_md md;

    nfx_md_init(&md);
    if (named_hosts)
        nfx_md_printf(&md, "The attribution above names the subnets, hosts and ports whose records and flows "
                           "carried the change; flow records do not show the users or the application behind a port, nor "
                           "the cause (a new service, a configuration or routing change, an attack). ");
    else if (vds && c->attrib)
        nfx_md_printf(&md, "The attribution above splits the change over the subnet pairs and protocols of "
                           "the window records; without the flows (`--flows`) it cannot name hosts or ports, and no record "
                           "shows the users or applications behind the change, nor its cause (a new service, a "
                           "configuration or routing change, an attack). ");
    else if (vds)
        nfx_md_printf(&md, "Interval features count records, flows, packets and bytes per protocol "
                           "and direction; they do not show which hosts, users or applications are behind the change, nor its "
                           "cause (a new service, a configuration or routing change, an attack). ");
    else
        nfx_md_printf(&md, "The series holds totals over time; it does not show which hosts, users or "
                           "applications are behind the change, nor its cause (a new service, a configuration or routing "
                           "change, an attack, a measurement change). ");
    if (fm && fm->mean_b > 0 && fm->mean_a < 0.05 * fm->mean_b)
        nfx_md_printf(&md, "Flows fell by %s: a gap in collection (exporter or collector outage) produces the same picture. ",
                      nfx_rel(fm->rel).s);
    if (named_hosts)
        nfx_md_printf(&md, "Confirming a cause needs those hosts' logs and the network's change log.");
    else
        nfx_md_printf(&md, "Confirming a cause needs the %s of the two segments and the network's change log.",
                      vds ? "flows" : "underlying records");
    return nfx_md_keep(&md);
}

/*
 * The index's sentence: the largest move, or, with attribution, the move of
 * the first attributed quantity with the keys that carried it.
 */
static const char *headline(const struct cp *c)
{
    const char *actors = nfx_attrib_actors(c->attrib);
    if (actors) {
        const struct moved *m = moved_of(c, c->attrib->qs[nfx_attrib_headline_q(c->attrib)].col);
        return nfx_kept("%s: %s", move_sentence(m), actors);
    }
    return c->nmoved > 0 ? move_sentence(&c->moved[0]) : "";
}

/* ---- the Markdown report, section by section ---- */

static void md_summary(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_md *md, const char *svg)
{
    const struct nf_table *f = ctx->features;
    nfx_md_printf(md, "## Summary\n\n");
    nfx_md_printf(md, "- The feature stream changed at **%s** (row %s of %s in the feature stream).\n",
                  nfx_time_sec(c->t).s, nfx_num((double)(ctx->features_row0 + c->row_cp + 1)).s,
                  nfx_num((double)(ctx->features_row0 + f->nrows)).s);
    nfx_md_printf(md, "- %s of %s features shifted by a large standardised effect (|d| ≥ %.1f) "
                      "between the %s intervals before and the %s intervals after.\n",
                  nfx_num((double)c->nlarge).s, nfx_num((double)c->nmoved).s, LARGE_EFFECT,
                  nfx_num((double)(c->row_cp - c->row_b0)).s, nfx_num((double)(c->row_a1 - c->row_cp)).s);
    if (c->nmoved > 0)
        nfx_md_printf(md, "- Largest move: %s; d = %s.\n", move_sentence(&c->moved[0]), effect_text(c->moved[0].d).s);
    if (nfx_attrib_actors(c->attrib))
        nfx_md_printf(md, "- Who: %s.\n", headline(c));
    if (svg && c->series.nwin)
        nfx_md_printf(md, "\n![%s over the compared windows, its top %s stacked, change point marked](%s)\n",
                      nfx_md_text(nfx_feat_of(nfx_quantity_name(c->attrib->qs[c->series.q].q)).label),
                      nfx_dim_name(c->series.dim, 1), svg);
    else if (svg)
        nfx_md_printf(md, "\n![%s over time, change point marked](%s)\n",
                      c->nmoved ? nfx_md_text(c->moved[0].fi.label) : "series", svg);
}

static void md_segments(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_md *md)
{
    int64_t step = step_of(ctx->features, c);
    size_t nb = c->row_cp - c->row_b0, na = c->row_a1 - c->row_cp;
    struct nfx_table t;

    nfx_md_printf(md, "\n## Segments\n\n");
    nfx_table_init(&t, "Segment|From|To|Intervals|Duration", "lllrr");
    nfx_table_rowf(&t, "before|%s|%s|%s|%s", nfx_time_min(c->seg_b0).s, nfx_time_min(c->t).s,
                   nfx_num((double)nb).s, nfx_ms((double)(c->t - c->seg_b0)).s);
    nfx_table_rowf(&t, "after|%s|%s|%s|%s", nfx_time_min(c->t).s, nfx_time_min(c->seg_a1 + step).s,
                   nfx_num((double)na).s, nfx_ms((double)(c->seg_a1 + step - c->t)).s);
    nfx_table_write(&t, md);
    nfx_table_free(&t);
    nfx_md_printf(md, "\nIntervals are %s long. ", nfx_ms((double)step).s);
    if (isfinite(c->cost_reduction) && isfinite(c->penalty) && c->ncomps > 1)
        nfx_md_printf(md, "PELT found this split in %zu columns at the same time; it lowered their segment costs by %s in all (penalty %s per change point).\n",
                      c->ncomps, nfx_num(c->cost_reduction).s, nfx_num(c->penalty).s);
    else if (isfinite(c->cost_reduction) && isfinite(c->penalty))
        nfx_md_printf(md, "PELT accepted the split because it lowered the segment cost by %s, against a penalty of %s per change point.\n",
                      nfx_num(c->cost_reduction).s, nfx_num(c->penalty).s);
    else
        nfx_md_printf(md, "\n");
}

static void md_moved(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_md *md)
{
    const struct nf_table *f = ctx->features;
    size_t top = ctx->top_features < c->nmoved ? ctx->top_features : c->nmoved, i;
    struct nfx_table t;

    nfx_md_printf(md, "\n## Features that moved most\n\n");
    nfx_md_printf(md, "Ranked by standardised effect size d = (mean after − mean before) / pooled SD "
                      "over the rows of the two segments. Values are means per interval.\n\n");
    for (i = 0; i < top && i < 5; i++)
        nfx_md_printf(md, "%zu. %s; d = %s.\n", i + 1, move_sentence(&c->moved[i]), effect_text(c->moved[i].d).s);
    nfx_md_printf(md, "\n");
    nfx_table_init(&t, "Rank|Feature|Category|Before|After|Change|Relative|d", "rllrrrrr");
    for (i = 0; i < top; i++) {
        const struct moved *m = &c->moved[i];
        nfx_table_rowf(&t, "%zu|%s (%s)|%s|%s|%s|%s|%s|%s", i + 1, nfx_md_text(m->fi.label), nfx_md_code(f->colnames[m->col]),
                       nf_category_name(m->fi.cat), nfx_value(m->fi.unit, m->mean_b).s,
                       nfx_value(m->fi.unit, m->mean_a).s, nfx_delta(m->fi.unit, m->diff).s,
                       nfx_rel(m->rel).s, effect_text(m->d).s);
    }
    nfx_table_write(&t, md);
    nfx_table_free(&t);
}

/* The features loading most on component k, with their own move. */
static void md_loadings(const struct nfx_ctx *ctx, const struct cp *c, const struct component *k, struct nfx_md *md)
{
    const struct nf_pca_model *mo = ctx->model;
    double shift = k->after - k->before;
    size_t idx[TOP_LOADINGS], nidx = nfx_top_loadings(mo, (size_t)k->pc, idx, TOP_LOADINGS), r;
    struct nfx_table t;

    nfx_md_printf(md, "\nFeatures loading most on pc%ld, with their own move at this change point "
                      "(a feature pushes pc%ld %s when the sign of its loading times the sign of its d is %s):\n\n",
                  k->pc + 1, k->pc + 1, shift >= 0 ? "up" : "down", shift >= 0 ? "positive" : "negative");
    nfx_table_init(&t, "Feature|Loading|d at this change|Pushes the shift", "lrrl");
    for (r = 0; r < nidx; r++) {
        double l = mo->loadings[k->pc * mo->p + idx[r]];
        long col = nfx_col(ctx->features, mo->columns[idx[r]]);
        const struct moved *m = col >= 0 ? moved_of(c, (size_t)col) : NULL;
        struct nf_feature fi = nfx_feat_of(mo->columns[idx[r]]);
        const char *agree = "n/a";
        if (m && !isnan(m->d) && m->d != 0 && shift != 0)
            agree = ((l * m->d > 0) == (shift > 0)) ? "yes" : "no (against)";
        nfx_table_rowf(&t, "%s (%s)|%s|%s|%s", nfx_md_text(fi.label), nfx_md_code(mo->columns[idx[r]]), nfx_signed(l).s,
                       m ? effect_text(m->d).s : "n/a", agree);
    }
    nfx_table_write(&t, md);
    nfx_table_free(&t);
}

static void md_components(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_md *md)
{
    const struct nf_pca_model *mo = ctx->model;
    size_t i;
    int any_pc = 0;

    for (i = 0; i < c->ncomps; i++)
        any_pc |= c->comps[i].pc >= 0;
    nfx_md_printf(md, "\n## %s\n\n", any_pc ? "Components that carried the shift" : "Columns in which the change was found");
    if (c->ncomps == 0)
        nfx_md_printf(md, "The change-point record names no column; the comparison above uses every feature.\n");
    for (i = 0; i < c->ncomps; i++) {
        const struct component *k = &c->comps[i];
        double shift = k->after - k->before;
        if (k->pc >= 0) {
            nfx_md_printf(md, "- %s: pc%ld %s from %s to %s (%s)", nfx_md_code(k->column), k->pc + 1,
                          direction(shift), nfx_num(k->before).s, nfx_num(k->after).s, nfx_delta(NF_UNIT_NUMBER, shift).s);
            if (mo && (size_t)k->pc < mo->p && mo->eigenvalues[k->pc] > 0)
                nfx_md_printf(md, ", %s SD of the component; pc%ld explains %s of the variance",
                              nfx_fixed(fabs(shift) / sqrt(mo->eigenvalues[k->pc]), 2).s, k->pc + 1,
                              nfx_share(mo->ratio[k->pc]).s);
            nfx_md_printf(md, ".\n");
        } else {
            nfx_md_printf(md, "- %s (not a principal component) %s from %s to %s (%s).\n", nfx_md_code(k->column),
                          direction(shift), nfx_num(k->before).s, nfx_num(k->after).s, nfx_delta(NF_UNIT_NUMBER, shift).s);
        }
    }
    if (any_pc && !mo)
        nfx_md_printf(md, "\nWhich features load on the components is not shown: no model was given (`--model FILE`).\n");
    for (i = 0; any_pc && mo && i < c->ncomps; i++)
        if (c->comps[i].pc >= 0 && (size_t)c->comps[i].pc < mo->k)
            md_loadings(ctx, c, &c->comps[i], md);
}

static void md_categories(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_md *md)
{
    struct cat_summary cats[NF_NCAT];
    const char *reading[NF_NCAT + 2];
    size_t nreading, i;
    struct nfx_table t;
    int k;

    summarise_categories(c, cats);
    nfx_md_printf(md, "\n## Reading by category\n\n");
    nfx_table_init(&t, "Category|Features|Large shifts|Strongest feature|d", "lrrlr");
    for (k = 0; k < NF_NCAT; k++) {
        if (cats[k].features == 0)
            continue;
        nfx_table_rowf(&t, "%s|%s|%s|%s|%s", nf_category_name(k), nfx_num((double)cats[k].features).s,
                       nfx_num((double)cats[k].large).s, cats[k].strongest ? nfx_md_text(cats[k].strongest->fi.label) : "n/a",
                       cats[k].strongest ? effect_text(cats[k].strongest->d).s : "n/a");
    }
    nfx_table_write(&t, md);
    nfx_table_free(&t);
    nfx_md_printf(md, "\n");
    nreading = category_reading(ctx, c, reading, NF_NCAT + 2);
    for (i = 0; i < nreading; i++)
        nfx_md_printf(md, "- %s\n", reading[i]);
}

static void write_markdown(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_out *out,
                           const char *file, const char *svg)
{
    const char *title = nfx_kept("Change point at %s – behavioural shift", nfx_time_min(c->t).s);
    struct nfx_md md;

    nfx_md_init(&md);
    nfx_md_printf(&md, "# %s\n\n", title);
    md_summary(ctx, c, &md, svg);
    md_segments(ctx, c, &md);
    if (c->attrib)
        nfx_attrib_markdown(c->attrib, ctx->records_path, ctx->flows_path, &md);
    md_moved(ctx, c, &md);
    md_components(ctx, c, &md);
    md_categories(ctx, c, &md);
    nfx_md_printf(&md, "\n## Conclusion\n\n**What the data shows.** %s\n\n**What it cannot tell.** %s\n",
                  conclusion_shows(ctx, c), conclusion_cannot(ctx, c));
    nfx_md_close(&md);
    nfx_out_markdown(out, file, title, headline(c),
                     nfx_kept("%s", nfx_time_min(c->t).s), nfx_kept("%s", nfx_num(c->cost_reduction).s), NULL, md.buf,
                     md.len);
    nfx_md_free(&md);
}

static void json_number(struct nf_jw *w, const char *key, double v)
{
    nf_jw_double(w, key, v); /* NaN and infinities become null */
}

static void write_json(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_out *out)
{
    size_t i, r;
    int k;
    const struct nf_table *f = ctx->features;
    struct nf_jw *w = out->jw;
    struct cat_summary cats[NF_NCAT];
    size_t top = ctx->top_features < c->nmoved ? ctx->top_features : c->nmoved;
    summarise_categories(c, cats);
    nf_jw_begin(w);
    nf_jw_str(w, "kind", "change_point");
    nf_jw_i64(w, "rank", c->rank + out->number_from);
    nf_jw_str(w, "title", nfx_kept("Change point at %s – behavioural shift", nfx_time_min(c->t).s));
    nf_jw_i64(w, "time", c->t);
    nf_jw_str(w, "time_utc", nfx_time_sec(c->t).s);
    json_number(w, "index", c->index);
    json_number(w, "cost_reduction", c->cost_reduction);
    json_number(w, "penalty", c->penalty);
    nf_jw_begin_object(w, "segments");
    nf_jw_begin_object(w, "before");
    nf_jw_i64(w, "start", c->seg_b0);
    nf_jw_i64(w, "end", c->t);
    nf_jw_u64(w, "rows", c->row_cp - c->row_b0);
    nf_jw_end_object(w);
    nf_jw_begin_object(w, "after");
    nf_jw_i64(w, "start", c->t);
    nf_jw_i64(w, "last_row", c->seg_a1);
    nf_jw_u64(w, "rows", c->row_a1 - c->row_cp);
    nf_jw_end_object(w);
    nf_jw_end_object(w);
    nf_jw_u64(w, "features_compared", c->nmoved);
    nf_jw_u64(w, "large_shifts", c->nlarge);
    nf_jw_begin_array(w, "features");
    for (i = 0; i < top; i++) {
        const struct moved *m = &c->moved[i];
        nf_jw_begin_object(w, NULL);
        nf_jw_u64(w, "rank", i + 1);
        nf_jw_str(w, "name", f->colnames[m->col]);
        nf_jw_str(w, "label", m->fi.label);
        nf_jw_str(w, "category", nf_category_name(m->fi.cat));
        json_number(w, "mean_before", m->mean_b);
        json_number(w, "mean_after", m->mean_a);
        json_number(w, "sd_before", m->sd_b);
        json_number(w, "sd_after", m->sd_a);
        json_number(w, "change", m->diff);
        json_number(w, "relative_change", m->rel);
        json_number(w, "effect_size", m->d);
        nf_jw_bool(w, "clean_step", isinf(m->d));
        nf_jw_str(w, "direction", m->diff > 0 ? "rose" : m->diff < 0 ? "fell" : "unchanged");
        nf_jw_str(w, "sentence", move_sentence(m));
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_begin_array(w, "categories");
    for (k = 0; k < NF_NCAT; k++) {
        if (cats[k].features == 0)
            continue;
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "name", nf_category_name(k));
        nf_jw_u64(w, "features", cats[k].features);
        nf_jw_u64(w, "large_shifts", cats[k].large);
        if (cats[k].strongest) {
            nf_jw_str(w, "strongest", f->colnames[cats[k].strongest->col]);
            json_number(w, "effect_size", cats[k].strongest->d);
        } else {
            nf_jw_null(w, "strongest");
            nf_jw_null(w, "effect_size");
        }
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_begin_array(w, "components");
    for (i = 0; i < c->ncomps; i++) {
        const struct component *k = &c->comps[i];
        const struct nf_pca_model *mo = ctx->model;
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "column", k->column);
        if (k->pc >= 0)
            nf_jw_i64(w, "component", k->pc + 1);
        else
            nf_jw_null(w, "component");
        json_number(w, "mean_before", k->before);
        json_number(w, "mean_after", k->after);
        json_number(w, "shift", k->after - k->before);
        int have = mo && k->pc >= 0 && (size_t)k->pc < mo->k;
        json_number(w, "explained_variance_ratio", have ? mo->ratio[k->pc] : NAN);
        json_number(w, "shift_sd", have && mo->eigenvalues[k->pc] > 0 ? (k->after - k->before) / sqrt(mo->eigenvalues[k->pc]) : NAN);
        nf_jw_begin_array(w, "loadings");
        if (have) {
            size_t idx[TOP_LOADINGS], nidx = nfx_top_loadings(mo, (size_t)k->pc, idx, TOP_LOADINGS);
            for (r = 0; r < nidx; r++) {
                size_t best = idx[r];
                long col = nfx_col(f, mo->columns[best]);
                const struct moved *m = col >= 0 ? moved_of(c, (size_t)col) : NULL;
                nf_jw_begin_object(w, NULL);
                nf_jw_str(w, "name", mo->columns[best]);
                json_number(w, "loading", mo->loadings[k->pc * mo->p + best]);
                json_number(w, "effect_size", m ? m->d : NAN);
                nf_jw_end_object(w);
            }
        }
        nf_jw_end_array(w);
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    const char *reading[NF_NCAT + 2];
    size_t nreading = category_reading(ctx, c, reading, NF_NCAT + 2);
    nf_jw_begin_array(w, "category_reading");
    for (i = 0; i < nreading; i++)
        nf_jw_str(w, NULL, reading[i]);
    nf_jw_end_array(w);
    if (c->attrib)
        nfx_attrib_json(c->attrib, ctx->records_path, w);
    else
        nf_jw_null(w, "attribution");
    nf_jw_str(w, "headline", headline(c));
    nf_jw_begin_object(w, "conclusion");
    nf_jw_str(w, "shows", conclusion_shows(ctx, c));
    nf_jw_str(w, "cannot_tell", conclusion_cannot(ctx, c));
    nf_jw_end_object(w);
    nf_jw_end(w);
}

/*
 * The feature stream must have the change points' windows: nf-pelt's index
 * counts the series' rows from its first row, so the feature stream (the
 * series the change points were found in) must hold about as many rows
 * from its start to the first change point. An hourly stream against
 * 5-minute change points (or the reverse) is refused; a few rows nf-pca
 * skipped are not. Segment starts are no anchor: events that outlast
 * undone changes (nf-pelt --lasting) start their segment later.
 */
static void check_window_length(const struct nfx_ctx *ctx, cJSON **recs, size_t n)
{
    const struct nf_table *f = ctx->features;
    const cJSON *first = NULL;
    double first_index = INFINITY;
    int64_t t, t0 = f->time[0];
    size_t i, rows;

    for (i = 0; i < n; i++) {
        double index = num_at(recs[i], "index", 0);
        if (isfinite(index) && index >= 1 && index < first_index && time_of(recs[i], ctx->time_key, &t) == 0 &&
            t > t0)
            first = recs[i], first_index = index;
    }
    if (!first)
        return;
    time_of(first, ctx->time_key, &t);
    rows = nf_table_row_at_or_after(f, t) + ctx->features_row0;
    if ((double)rows >= first_index / 1.5 && (double)rows <= first_index * 1.5)
        return;
    nf_die("%s: %zu rows of the feature stream lie between its start at %s and the change point at %s, where the "
           "change points' series has %.0f (rows every %s against every %s): the windows differ; give --features the "
           "stream the change points were found in",
           ctx->features_path, rows, nfx_time_sec(t0).s, nfx_time_sec(t).s, first_index,
           nfx_ms(rows ? (double)(t - t0) / (double)rows : NAN).s, nfx_ms((double)(t - t0) / first_index).s);
}

/* Adds the quantities among moved features [from, to) of c to a, up to NFX_ATTRIB_MAXQ; rb: first row compared. */
static void take_quantities(const struct nf_table *f, const struct cp *c, size_t from, size_t to, size_t rb,
                            struct nfx_attrib *a)
{
    size_t j;
    for (j = from; j < to && a->nq < NFX_ATTRIB_MAXQ; j++) {
        const struct moved *m = &c->moved[j];
        const struct nfx_quantity *q = nfx_quantity_of(f->colnames[m->col]);
        if (!q || m->diff == 0)
            continue;
        struct nfx_aq *aq = &a->qs[a->nq++];
        double sd;
        aq->q = q;
        aq->col = m->col;
        nfx_mean_sd(f->x + rb * f->ncols + m->col, a->nb, f->ncols, &aq->feature_before, &sd);
        nfx_mean_sd(f->x + c->row_cp * f->ncols + m->col, a->na, f->ncols, &aq->feature_after, &sd);
    }
}

/*
 * --follow: the parts of the growing --records and --flows files that hold
 * the compared windows, so that a report reads a few windows, not all the
 * run has kept. Flows are in the order they reached the collector: one may
 * come after flows that started up to NFX_FOLLOW_LATE later (nf-window's
 * records are in time order; the same margin costs them little).
 */
#define NFX_FOLLOW_LATE (6 * 3600 * 1000LL)

static void follow_spans(const struct nfx_ctx *ctx, const struct nfx_attrib *as, size_t n,
                         struct nfx_attrib_opts *o)
{
    int64_t from = INT64_MAX, to = INT64_MIN;
    size_t i;
    for (i = 0; i < n; i++) {
        from = as[i].b0 < from ? as[i].b0 : from;
        to = as[i].a1_end > to ? as[i].a1_end : to;
    }
    if (n == 0)
        return;
    if (ctx->records_index) {
        nfx_tindex_update(ctx->records_index);
        o->records_span = nfx_tindex_span(ctx->records_index, from, to, NFX_FOLLOW_LATE);
    }
    if (ctx->flows_index) {
        nfx_tindex_update(ctx->flows_index);
        o->flows_span = nfx_tindex_span(ctx->flows_index, from, to, NFX_FOLLOW_LATE);
    }
}

/*
 * Who carried each shift: the windows nearest the change point (at most
 * --attrib-span per side, inside the report's segments) and the first
 * NFX_ATTRIB_MAXQ of the report's top features that count records (when
 * none of the top does, the first ones further down the moved features),
 * split over the keys of --records in one pass for every change point.
 */
static void attribute(const struct nfx_ctx *ctx, struct cp *cps, size_t n, int plot)
{
    const struct nf_table *f = ctx->features;
    struct nfx_attrib *as = nf_xcalloc(n ? n : 1, sizeof *as);
    size_t i;
    for (i = 0; i < n; i++) {
        struct cp *c = &cps[i];
        struct nfx_attrib *a = &as[i];
        size_t rb = c->row_cp - c->row_b0 > ctx->attrib_span ? c->row_cp - ctx->attrib_span : c->row_b0;
        size_t ra = c->row_a1 - c->row_cp > ctx->attrib_span ? c->row_cp + ctx->attrib_span : c->row_a1;
        a->b0 = f->time[rb];
        a->t = c->t;
        a->a1 = f->time[ra - 1];
        a->a1_end = a->a1 + step_of(f, c);
        a->nb = c->row_cp - rb;
        a->na = ra - c->row_cp;
        size_t top = ctx->top_features < c->nmoved ? ctx->top_features : c->nmoved;
        take_quantities(f, c, 0, top, rb, a);
        /* none of the top features is a sum (flow medians, per-record means):
           the first that are, further down, still say who carried the shift */
        if (a->nq == 0)
            take_quantities(f, c, top, c->nmoved, rb, a);
    }
    struct nfx_attrib_opts o = {.records_path = ctx->records_path, .flows_path = ctx->flows_path,
                                .internal = ctx->internal, .rejects = ctx->rejects, .uniflow = ctx->uniflow};
    follow_spans(ctx, as, n, &o);
    nfx_attrib_run(&o, as, n);
    struct nfx_aseries *ser = nf_xcalloc(n ? n : 1, sizeof *ser);
    if (plot && nfx_attrib_series(&o, as, n, ser) != 0) {
        nf_warn("--plot: %s is not a regular file and cannot be read again; the pictures show the top feature, "
                "not its keys", ctx->records_path);
        for (i = 0; i < n; i++)
            nfx_aseries_free(&ser[i]);
    }
    for (i = 0; i < n; i++) {
        cps[i].attrib = nf_xmalloc(sizeof *cps[i].attrib);
        *cps[i].attrib = as[i];
        cps[i].series = ser[i];
    }
    free(ser);
    free(as);
}

/*
 * The moved quantity over the compared windows with its top keys stacked
 * under it and the change point marked (svg in --out-dir); 1 when drawn.
 * Key labels reach gnuplot only through plot.c's safe text.
 */
static int plot_keys(const struct cp *c, struct nfx_out *out, const char *svg)
{
    const struct nfx_aseries *s = &c->series;
    const struct nfx_aq *aq = &c->attrib->qs[s->q];
    const char *labels[NFX_SERIES_KEYS];
    const double *parts[NFX_SERIES_KEYS];
    double *xs = nf_xmalloc(s->nwin * sizeof *xs);
    char buf[96];
    size_t i;
    for (i = 0; i < s->nwin; i++)
        xs[i] = (double)(c->attrib->b0 + (int64_t)i * s->step);
    for (i = 0; i < s->nkeys; i++) {
        const char *label = nfx_akey_label(s->dim, s->keys[i], buf, sizeof buf);
        const char *arrow = strstr(label, " → ");
        labels[i] = arrow ? nfx_kept("%.*s -> %s", (int)(arrow - label), label, arrow + strlen(" → "))
                          : nfx_kept("%s", label);
        parts[i] = s->part[i];
    }
    struct nfx_plot p = {
        nfx_kept("%s by %s - change point %s", nfx_feat_of(nfx_quantity_name(aq->q)).label, nfx_dim_name(s->dim, 0),
                 nfx_time_min(c->t).s),
        nfx_quantity_name(aq->q), xs, s->total, s->nwin, 1, (double)c->t, NAN, NULL, aq->before, aq->after,
        (double)c->attrib->b0, (double)c->attrib->a1, 0, s->nkeys, parts, labels,
        nfx_kept("other %s", nfx_dim_name(s->dim, 1))};
    int fd = nfx_out_create_fd(out, svg);
    int drawn = nfx_plot_svg(&p, fd, svg) == 0;
    close(fd);
    if (!drawn)
        nfx_out_remove(out, svg);
    free(xs);
    return drawn;
}

void nfx_change_reports(const struct nfx_ctx *ctx, cJSON **recs, size_t n, struct nfx_out *out)
{
    size_t i, j, row;
    int r;
    const struct nf_table *f = ctx->features;
    if (!f)
        nf_usage_error("change-point reports need the feature stream: --features FILE");
    if (!f->has_time || f->nrows == 0)
        nf_die("%s: the feature stream has no rows with the time key %s", ctx->features_path, ctx->time_key);
    size_t bad = nf_table_first_disorder(f);
    if (bad) {
        char text[NF_ORDER_TEXT];
        nf_die_at(ctx->features_path, f->lineno[bad], "%s",
                  nf_order_text(text, sizeof text, ctx->time_key, f->time[bad], "the row before",
                                f->time[bad - 1], "sort the feature stream by time"));
    }
    check_window_length(ctx, recs, n);
    struct cp *cps = nf_xcalloc(n ? n : 1, sizeof *cps);
    int64_t *times = nf_xcalloc(n ? n : 1, sizeof *times);
    size_t ncp = 0;
    for (i = 0; i < n; i++)
        if (time_of(recs[i], ctx->time_key, &times[ncp]) == 0)
            ncp++;
    qsort(times, ncp, sizeof *times, cmp_i64);
    size_t ok = 0;
    for (i = 0; i < n; i++) {
        struct cp *c = &cps[ok];
        if (time_of(recs[i], ctx->time_key, &c->t) != 0) {
            nf_warn("change point %zu: no time under the key %s; skipped", i + 1, ctx->time_key);
            continue;
        }
        if (analyse(ctx, recs[i], times, ncp, c) != 0) {
            nf_warn("change point %zu at %s: the feature stream has no rows on one side of it; skipped",
                    i + 1, nfx_time_sec(c->t).s);
            free(c->moved);
            free(c->comps);
            memset(c, 0, sizeof *c);
            continue;
        }
        ok++;
    }
    if (ctx->records_path)
        attribute(ctx, cps, ok, out->plot && out->dir && out->format == NFX_MARKDOWN);
    /* Rank by cost reduction (the evidence for the split), ties by time. */
    for (i = 0; i < ok; i++) {
        int rank = 1;
        for (j = 0; j < ok; j++) {
            double a = cps[i].cost_reduction, b = cps[j].cost_reduction;
            if (isnan(a)) a = -INFINITY;
            if (isnan(b)) b = -INFINITY;
            rank += b > a || (b == a && (cps[j].t < cps[i].t || (cps[j].t == cps[i].t && j < i)));
        }
        cps[i].rank = rank;
    }
    for (r = 1; r <= (int)ok; r++)
        for (i = 0; i < ok; i++) {
            struct cp *c = &cps[i];
            if (c->rank != r)
                continue;
            if (out->format == NFX_JSON) {
                write_json(ctx, c, out);
                nfx_md_text_free();
                continue;
            }
            char file[96], svg[96], stamp[32];
            nfx_time_iso((double)c->t, stamp);
            snprintf(file, sizeof file, "cp-%03d-%.4s%.2s%.2sT%.2s%.2sZ.md", r + out->number_from, stamp, stamp + 5, stamp + 8,
                     stamp + 11, stamp + 14);
            snprintf(svg, sizeof svg, "%.*s.svg", (int)(strlen(file) - 3), file);
            int have_svg = 0;
            if (out->plot && out->dir && c->series.nwin > 0) {
                have_svg = plot_keys(c, out, svg);
            } else if (out->plot && out->dir && c->nmoved > 0) {
                const struct moved *m = &c->moved[0];
                double *xs = nf_xmalloc(f->nrows * sizeof *xs), *ys = nf_xmalloc(f->nrows * sizeof *ys);
                for (row = 0; row < f->nrows; row++) {
                    xs[row] = (double)f->time[row];
                    ys[row] = nf_table_at(f, row, m->col);
                }
                struct nfx_plot p = {nfx_kept("%s - change point %s", f->colnames[m->col], nfx_time_min(c->t).s), f->colnames[m->col], xs, ys, f->nrows, 1, (double)c->t, NAN, NULL,
                                     m->mean_b, m->mean_a, (double)c->seg_b0, (double)c->seg_a1, 0, 0, NULL, NULL, NULL};
                int fd = nfx_out_create_fd(out, svg);
                have_svg = nfx_plot_svg(&p, fd, svg) == 0;
                close(fd);
                if (!have_svg)
                    nfx_out_remove(out, svg);
                free(xs);
                free(ys);
            }
            write_markdown(ctx, c, out, file, have_svg ? svg : NULL);
            nfx_md_text_free(); /* the texts of this report */
        }
    for (i = 0; i < ok; i++) {
        free(cps[i].moved);
        free(cps[i].comps);
        if (cps[i].attrib)
            nfx_attrib_free(cps[i].attrib);
        nfx_aseries_free(&cps[i].series);
        free(cps[i].attrib);
    }
    free(cps);
    free(times);
}
