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
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
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
    struct nfx_feat fi;
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

/* First row with time >= t. */
static size_t row_at_or_after(const struct nf_table *f, int64_t t)
{
    size_t lo = 0, hi = f->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->time[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Strips "_trend" / "_remainder" / "_seasonal" / "_adjusted" to find what the column measures. */
static void base_name(const char *col, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", col);
    static const char *const suffixes[] = {"_trend", "_remainder", "_seasonal", "_adjusted"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(buf), s = strlen(suffixes[i]);
        if (n > s && strcmp(buf + n - s, suffixes[i]) == 0) {
            buf[n - s] = '\0';
            return;
        }
    }
}

static void find_components(const struct nfx_ctx *ctx, const cJSON *rec, struct cp *c)
{
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(rec, "columns");
    const cJSON *one = cJSON_GetObjectItemCaseSensitive(rec, "column");
    int n = cJSON_IsArray(cols) ? cJSON_GetArraySize(cols) : cJSON_IsString(one) ? 1 : 0;
    c->comps = nf_xcalloc(n ? (size_t)n : 1, sizeof *c->comps);
    c->ncomps = 0;
    for (int i = 0; i < n; i++) {
        const cJSON *name = cJSON_IsArray(cols) ? cJSON_GetArrayItem(cols, i) : one;
        if (!cJSON_IsString(name))
            continue;
        struct component *k = &c->comps[c->ncomps++];
        char base[256];
        k->column = name->valuestring;
        k->before = num_at(rec, "mean_before", i);
        k->after = num_at(rec, "mean_after", i);
        k->pc = -1;
        k->feature = -1;
        base_name(k->column, base, sizeof base);
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
    c->row_b0 = row_at_or_after(f, lo == INT64_MIN ? f->time[0] : lo);
    c->row_cp = row_at_or_after(f, c->t);
    if (time_of(rec, "after_end", &v) == 0) {
        c->row_a1 = row_at_or_after(f, v);
        if (c->row_a1 < f->nrows && f->time[c->row_a1] == v)
            c->row_a1++; /* after_end is the start of the segment's last row */
    } else {
        while (pos && k + 1 < ncps && cps[k + 1] == c->t)
            k++;
        if (pos && k + 1 < ncps)
            hi = cps[k + 1]; /* exclusive: the next segment starts there */
        c->row_a1 = hi == INT64_MAX ? f->nrows : row_at_or_after(f, hi);
    }
    if (c->row_cp >= f->nrows || c->row_cp == c->row_b0 || c->row_a1 <= c->row_cp)
        return -1;
    c->seg_b0 = f->time[c->row_b0];
    c->seg_a1 = f->time[c->row_a1 - 1];
    long wend = nfx_col(f, "WINDOW_END");
    c->moved = nf_xcalloc(f->ncols, sizeof *c->moved);
    c->nmoved = 0;
    c->nlarge = 0;
    for (size_t j = 0; j < f->ncols; j++) {
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
        m->rel = m->mean_b != 0 && m->fi.unit != NFX_UNIT_COEFF ? m->diff / fabs(m->mean_b) : NAN;
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
    for (size_t i = 0; i < c->nmoved; i++)
        if (c->moved[i].col == col)
            return &c->moved[i];
    return NULL;
}

/* "UDP share of ingress bytes rose from 12 % to 48 % (+36 percentage points, +300 %)" */
static void move_sentence_case(const struct moved *m, char *buf, size_t cap, int capital)
{
    const char *label = nfx_md_label(m->fi.label, capital);
    if (m->diff == 0) {
        snprintf(buf, cap, "%s did not change (%s in both segments)", label,
                 nfx_value(m->fi.unit, m->mean_b).s);
        return;
    }
    char rel[64] = "";
    if (isfinite(m->rel) && m->fi.unit != NFX_UNIT_SHARE && m->fi.unit != NFX_UNIT_COEFF)
        snprintf(rel, sizeof rel, ", %s", nfx_rel(m->rel).s);
    snprintf(buf, cap, "%s %s from %s to %s (%s%s)", label, direction(m->diff),
             nfx_value(m->fi.unit, m->mean_b).s, nfx_value(m->fi.unit, m->mean_a).s,
             nfx_delta(m->fi.unit, m->diff).s, rel);
}

static void move_sentence(const struct moved *m, char *buf, size_t cap)
{
    move_sentence_case(m, buf, cap, 1);
}

struct cat_summary {
    size_t features, large;
    const struct moved *strongest;
};

static void summarise_categories(const struct cp *c, struct cat_summary *cats)
{
    memset(cats, 0, NFX_NCAT * sizeof *cats);
    for (size_t i = 0; i < c->nmoved; i++) {
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
    int best = -1;
    for (int k = 0; k < NFX_NCAT; k++) {
        if (cats[k].large == 0)
            continue;
        if (best < 0 || cats[k].large > cats[best].large)
            best = k;
    }
    return best;
}

/* The sentences of the category reading, shared by Markdown and JSON. Returns how many. */
static size_t category_reading(const struct nfx_ctx *ctx, const struct cp *c, char (*out)[600], size_t max)
{
    struct cat_summary cats[NFX_NCAT];
    char sentence[512];
    size_t n = 0;
    summarise_categories(c, cats);
    for (int k = 0; k < NFX_NCAT && n < max; k++) {
        if (cats[k].large == 0 || !cats[k].strongest)
            continue;
        char cname[64];
        snprintf(cname, sizeof cname, "%s", nfx_category_name(k));
        move_sentence_case(cats[k].strongest, sentence, sizeof sentence, 0);
        snprintf(out[n++], 600, "**%s**: %s of %s features shifted strongly; strongest: %s.", nfx_capitalize(cname),
                 nfx_num((double)cats[k].large).s, nfx_num((double)cats[k].features).s, sentence);
    }
    if (n == 0 && n < max)
        snprintf(out[n++], 600, "No category has a feature with |d| ≥ %.1f: the shift is small in every feature taken alone.",
                 LARGE_EFFECT);
    long sym = nfx_col(ctx->features, "sym_coeff_bytes");
    const struct moved *sm = sym >= 0 ? moved_of(c, (size_t)sym) : NULL;
    if (sm && is_large(sm->d) && fabs(sm->mean_a) != fabs(sm->mean_b) && n < max)
        snprintf(out[n++], 600, "Bytes became %s symmetric between the directions: |coefficient| %s from %s to %s "
                 "(0 = balanced, ±1 = one direction only).",
                 fabs(sm->mean_a) > fabs(sm->mean_b) ? "less" : "more", fabs(sm->mean_a) > fabs(sm->mean_b) ? "rose" : "fell",
                 nfx_fixed(fabs(sm->mean_b), 2).s, nfx_fixed(fabs(sm->mean_a), 2).s);
    return n;
}

/* The two paragraphs of the conclusion, shared by Markdown and JSON. */
static void conclusion(const struct nfx_ctx *ctx, const struct cp *c, char *shows, size_t scap, char *cannot, size_t ccap)
{
    const struct nf_table *f = ctx->features;
    struct cat_summary cats[NFX_NCAT];
    char sentence[512];
    size_t len = 0, na = c->row_a1 - c->row_cp;
    int64_t step = c->row_cp + 1 < f->nrows ? f->time[c->row_cp + 1] - f->time[c->row_cp]
                                            : (c->row_cp > 0 ? f->time[c->row_cp] - f->time[c->row_cp - 1] : 0);
    summarise_categories(c, cats);
    int lead = lead_category(cats);
    int vds = 0;
    for (int k = 0; k <= NFX_CAT_SYMMETRY; k++)
        vds |= cats[k].features > 0;
    char where[256] = "";
    size_t wl = 0;
    for (size_t i = 0; i < c->ncomps && wl < sizeof where; i++)
        wl += (size_t)snprintf(where + wl, sizeof where - wl, "%s%s", i ? ", " : " in ", nfx_md_code(c->comps[i].column));
    len += (size_t)snprintf(shows + len, scap - len, "At %s PELT split the %s%s; across that split "
                            "%s of %s features shifted by |d| ≥ %.1f", nfx_time_min(c->t).s, vds ? "interval features" : "series",
                            where, nfx_num((double)c->nlarge).s,
                            nfx_num((double)c->nmoved).s, LARGE_EFFECT);
    if (c->nmoved > 0 && len < scap) {
        move_sentence_case(&c->moved[0], sentence, sizeof sentence, 0);
        len += (size_t)snprintf(shows + len, scap - len, c->nlarge ? ", led by: %s" : "; the largest move: %s", sentence);
    }
    if (len < scap)
        len += (size_t)snprintf(shows + len, scap - len, ".");
    if (lead >= 0 && len < scap)
        len += (size_t)snprintf(shows + len, scap - len, " The %s category holds the most strongly shifted features (%s).",
                                nfx_category_name(lead), nfx_num((double)cats[lead].large).s);
    if (len < scap)
        snprintf(shows + len, scap - len, " The segment after it lasted %s (%s intervals).",
                 nfx_ms((double)(c->seg_a1 + step - c->t)).s, nfx_num((double)na).s);
    long nflows = nfx_col(f, "flows");
    const struct moved *fm = nflows >= 0 ? moved_of(c, (size_t)nflows) : NULL;
    if (vds)
        len = (size_t)snprintf(cannot, ccap, "Interval features count records, flows, packets and bytes per protocol "
                               "and direction; they do not show which hosts, users or applications are behind the change, nor its "
                               "cause (a new service, a configuration or routing change, an attack). ");
    else
        len = (size_t)snprintf(cannot, ccap, "The series holds totals over time; it does not show which hosts, users or "
                               "applications are behind the change, nor its cause (a new service, a configuration or routing "
                               "change, an attack, a measurement change). ");
    if (fm && fm->mean_b > 0 && fm->mean_a < 0.05 * fm->mean_b && len < ccap)
        len += (size_t)snprintf(cannot + len, ccap - len, "Flows fell by %s: a gap in collection (exporter or collector "
                                "outage) produces the same picture. ", nfx_rel(fm->rel).s);
    if (len < ccap)
        snprintf(cannot + len, ccap - len, "Confirming a cause needs the %s of the two segments and the network's change log.",
                 vds ? "flows" : "underlying records");
}

static void write_markdown(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_out *out,
                           const char *file, const char *svg)
{
    const struct nf_table *f = ctx->features;
    struct nfx_md md;
    struct cat_summary cats[NFX_NCAT];
    char title[160], sentence[512];
    size_t top = ctx->top_features < c->nmoved ? ctx->top_features : c->nmoved;
    int64_t step = c->row_cp + 1 < f->nrows ? f->time[c->row_cp + 1] - f->time[c->row_cp]
                                            : (c->row_cp > 0 ? f->time[c->row_cp] - f->time[c->row_cp - 1] : 0);
    size_t nb = c->row_cp - c->row_b0, na = c->row_a1 - c->row_cp;

    summarise_categories(c, cats);
    snprintf(title, sizeof title, "Change point at %s – behavioural shift", nfx_time_min(c->t).s);
    nfx_md_init(&md);
    nfx_md_printf(&md, "# %s\n\n", title);

    nfx_md_printf(&md, "## Summary\n\n");
    nfx_md_printf(&md, "- The feature stream changed at **%s** (row %s of %s in the feature stream).\n",
                  nfx_time_sec(c->t).s, nfx_num((double)c->row_cp + 1).s, nfx_num((double)f->nrows).s);
    nfx_md_printf(&md, "- %s of %s features shifted by a large standardised effect (|d| ≥ %.1f) "
                       "between the %s intervals before and the %s intervals after.\n",
                  nfx_num((double)c->nlarge).s, nfx_num((double)c->nmoved).s, LARGE_EFFECT,
                  nfx_num((double)nb).s, nfx_num((double)na).s);
    if (c->nmoved > 0) {
        move_sentence(&c->moved[0], sentence, sizeof sentence);
        nfx_md_printf(&md, "- Largest move: %s; d = %s.\n", sentence, effect_text(c->moved[0].d).s);
    }
    if (svg)
        nfx_md_printf(&md, "\n![%s over time, change point marked](%s)\n", c->nmoved ? nfx_md_text(c->moved[0].fi.label) : "series", svg);

    nfx_md_printf(&md, "\n## Segments\n\n");
    struct nfx_table t;
    nfx_table_init(&t, "Segment|From|To|Intervals|Duration", "lllrr");
    nfx_table_rowf(&t, "before|%s|%s|%s|%s", nfx_time_min(c->seg_b0).s, nfx_time_min(c->t).s,
                   nfx_num((double)nb).s, nfx_ms((double)(c->t - c->seg_b0)).s);
    nfx_table_rowf(&t, "after|%s|%s|%s|%s", nfx_time_min(c->t).s, nfx_time_min(c->seg_a1 + step).s,
                   nfx_num((double)na).s, nfx_ms((double)(c->seg_a1 + step - c->t)).s);
    nfx_table_write(&t, &md);
    nfx_table_free(&t);
    nfx_md_printf(&md, "\nIntervals are %s long. ", nfx_ms((double)step).s);
    if (isfinite(c->cost_reduction) && isfinite(c->penalty) && c->ncomps > 1)
        nfx_md_printf(&md, "PELT found this split in %zu columns at the same time; it lowered their segment costs by %s in all (penalty %s per change point).\n",
                      c->ncomps, nfx_num(c->cost_reduction).s, nfx_num(c->penalty).s);
    else if (isfinite(c->cost_reduction) && isfinite(c->penalty))
        nfx_md_printf(&md, "PELT accepted the split because it lowered the segment cost by %s, against a penalty of %s per change point.\n",
                      nfx_num(c->cost_reduction).s, nfx_num(c->penalty).s);
    else
        nfx_md_printf(&md, "\n");

    nfx_md_printf(&md, "\n## Features that moved most\n\n");
    nfx_md_printf(&md, "Ranked by standardised effect size d = (mean after − mean before) / pooled SD "
                       "over the rows of the two segments. Values are means per interval.\n\n");
    for (size_t i = 0; i < top && i < 5; i++) {
        move_sentence(&c->moved[i], sentence, sizeof sentence);
        nfx_md_printf(&md, "%zu. %s; d = %s.\n", i + 1, sentence, effect_text(c->moved[i].d).s);
    }
    nfx_md_printf(&md, "\n");
    nfx_table_init(&t, "Rank|Feature|Category|Before|After|Change|Relative|d", "rllrrrrr");
    for (size_t i = 0; i < top; i++) {
        const struct moved *m = &c->moved[i];
        nfx_table_rowf(&t, "%zu|%s (%s)|%s|%s|%s|%s|%s|%s", i + 1, nfx_md_text(m->fi.label), nfx_md_code(f->colnames[m->col]),
                       nfx_category_name(m->fi.cat), nfx_value(m->fi.unit, m->mean_b).s,
                       nfx_value(m->fi.unit, m->mean_a).s, nfx_delta(m->fi.unit, m->diff).s,
                       nfx_rel(m->rel).s, effect_text(m->d).s);
    }
    nfx_table_write(&t, &md);
    nfx_table_free(&t);

    int any_pc = 0;
    for (size_t i = 0; i < c->ncomps; i++)
        any_pc |= c->comps[i].pc >= 0;
    nfx_md_printf(&md, "\n## %s\n\n", any_pc ? "Components that carried the shift" : "Columns in which the change was found");
    if (c->ncomps == 0)
        nfx_md_printf(&md, "The change-point record names no column; the comparison above uses every feature.\n");
    for (size_t i = 0; i < c->ncomps; i++) {
        const struct component *k = &c->comps[i];
        double shift = k->after - k->before;
        if (k->pc >= 0) {
            nfx_md_printf(&md, "- %s: pc%ld %s from %s to %s (%s)", nfx_md_code(k->column), k->pc + 1,
                          direction(shift), nfx_num(k->before).s, nfx_num(k->after).s, nfx_delta(NFX_UNIT_NUMBER, shift).s);
            if (ctx->model && (size_t)k->pc < ctx->model->p && ctx->model->eigenvalues[k->pc] > 0)
                nfx_md_printf(&md, ", %s SD of the component; pc%ld explains %s of the variance",
                              nfx_fixed(fabs(shift) / sqrt(ctx->model->eigenvalues[k->pc]), 2).s, k->pc + 1,
                              nfx_share(ctx->model->ratio[k->pc]).s);
            nfx_md_printf(&md, ".\n");
        } else {
            nfx_md_printf(&md, "- %s (not a principal component) %s from %s to %s (%s).\n", nfx_md_code(k->column),
                          direction(shift), nfx_num(k->before).s, nfx_num(k->after).s, nfx_delta(NFX_UNIT_NUMBER, shift).s);
        }
    }
    if (any_pc && !ctx->model)
        nfx_md_printf(&md, "\nWhich features load on the components is not shown: no model was given (`--model FILE`).\n");
    for (size_t i = 0; any_pc && ctx->model && i < c->ncomps; i++) {
        const struct component *k = &c->comps[i];
        const struct nf_pca_model *mo = ctx->model;
        if (k->pc < 0 || (size_t)k->pc >= mo->k)
            continue;
        double shift = k->after - k->before;
        size_t idx[TOP_LOADINGS], nidx = nfx_top_loadings(mo, (size_t)k->pc, idx, TOP_LOADINGS);
        nfx_md_printf(&md, "\nFeatures loading most on pc%ld, with their own move at this change point "
                           "(a feature pushes pc%ld %s when the sign of its loading times the sign of its d is %s):\n\n",
                      k->pc + 1, k->pc + 1, shift >= 0 ? "up" : "down", shift >= 0 ? "positive" : "negative");
        nfx_table_init(&t, "Feature|Loading|d at this change|Pushes the shift", "lrrl");
        for (size_t r = 0; r < nidx; r++) {
            double l = mo->loadings[k->pc * mo->p + idx[r]];
            long col = nfx_col(f, mo->columns[idx[r]]);
            const struct moved *m = col >= 0 ? moved_of(c, (size_t)col) : NULL;
            struct nfx_feat fi = nfx_feat_of(mo->columns[idx[r]]);
            const char *agree = "n/a";
            if (m && !isnan(m->d) && m->d != 0 && shift != 0)
                agree = ((l * m->d > 0) == (shift > 0)) ? "yes" : "no (against)";
            nfx_table_rowf(&t, "%s (%s)|%s|%s|%s", nfx_md_text(fi.label), nfx_md_code(mo->columns[idx[r]]), nfx_signed(l).s,
                           m ? effect_text(m->d).s : "n/a", agree);
        }
        nfx_table_write(&t, &md);
        nfx_table_free(&t);
    }

    nfx_md_printf(&md, "\n## Reading by category\n\n");
    nfx_table_init(&t, "Category|Features|Large shifts|Strongest feature|d", "lrrlr");
    for (int k = 0; k < NFX_NCAT; k++) {
        if (cats[k].features == 0)
            continue;
        nfx_table_rowf(&t, "%s|%s|%s|%s|%s", nfx_category_name(k), nfx_num((double)cats[k].features).s,
                       nfx_num((double)cats[k].large).s, cats[k].strongest ? nfx_md_text(cats[k].strongest->fi.label) : "n/a",
                       cats[k].strongest ? effect_text(cats[k].strongest->d).s : "n/a");
    }
    nfx_table_write(&t, &md);
    nfx_table_free(&t);
    nfx_md_printf(&md, "\n");
    char reading[NFX_NCAT + 2][600];
    size_t nreading = category_reading(ctx, c, reading, NFX_NCAT + 2);
    for (size_t i = 0; i < nreading; i++)
        nfx_md_printf(&md, "- %s\n", reading[i]);

    char shows[2048], cannot[1024];
    conclusion(ctx, c, shows, sizeof shows, cannot, sizeof cannot);
    nfx_md_printf(&md, "\n## Conclusion\n\n**What the data shows.** %s\n\n**What it cannot tell.** %s\n", shows, cannot);

    nfx_md_close(&md);
    char headline[512] = "";
    if (c->nmoved > 0)
        move_sentence(&c->moved[0], headline, sizeof headline);
    char when[64], score[64];
    snprintf(when, sizeof when, "%s", nfx_time_min(c->t).s);
    snprintf(score, sizeof score, "%s", nfx_num(c->cost_reduction).s);
    nfx_out_markdown(out, file, title, headline, when, score, NULL, md.buf, md.len);
    nfx_md_free(&md);
}

static void json_number(struct nf_jw *w, const char *key, double v)
{
    nf_jw_double(w, key, v); /* NaN and infinities become null */
}

static void write_json(const struct nfx_ctx *ctx, const struct cp *c, struct nfx_out *out)
{
    const struct nf_table *f = ctx->features;
    struct nf_jw *w = out->jw;
    struct cat_summary cats[NFX_NCAT];
    char text[512];
    size_t top = ctx->top_features < c->nmoved ? ctx->top_features : c->nmoved;
    summarise_categories(c, cats);
    nf_jw_begin(w);
    nf_jw_str(w, "kind", "change_point");
    nf_jw_i64(w, "rank", c->rank);
    snprintf(text, sizeof text, "Change point at %s – behavioural shift", nfx_time_min(c->t).s);
    nf_jw_str(w, "title", text);
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
    for (size_t i = 0; i < top; i++) {
        const struct moved *m = &c->moved[i];
        nf_jw_begin_object(w, NULL);
        nf_jw_u64(w, "rank", i + 1);
        nf_jw_str(w, "name", f->colnames[m->col]);
        nf_jw_str(w, "label", m->fi.label);
        nf_jw_str(w, "category", nfx_category_name(m->fi.cat));
        json_number(w, "mean_before", m->mean_b);
        json_number(w, "mean_after", m->mean_a);
        json_number(w, "sd_before", m->sd_b);
        json_number(w, "sd_after", m->sd_a);
        json_number(w, "change", m->diff);
        json_number(w, "relative_change", m->rel);
        json_number(w, "effect_size", m->d);
        nf_jw_bool(w, "clean_step", isinf(m->d));
        nf_jw_str(w, "direction", m->diff > 0 ? "rose" : m->diff < 0 ? "fell" : "unchanged");
        move_sentence(m, text, sizeof text);
        nf_jw_str(w, "sentence", text);
        nf_jw_end_object(w);
    }
    nf_jw_end_array(w);
    nf_jw_begin_array(w, "categories");
    for (int k = 0; k < NFX_NCAT; k++) {
        if (cats[k].features == 0)
            continue;
        nf_jw_begin_object(w, NULL);
        nf_jw_str(w, "name", nfx_category_name(k));
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
    for (size_t i = 0; i < c->ncomps; i++) {
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
            for (size_t r = 0; r < nidx; r++) {
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
    char reading[NFX_NCAT + 2][600];
    size_t nreading = category_reading(ctx, c, reading, NFX_NCAT + 2);
    nf_jw_begin_array(w, "category_reading");
    for (size_t i = 0; i < nreading; i++)
        nf_jw_str(w, NULL, reading[i]);
    nf_jw_end_array(w);
    char shows[2048], cannot[1024];
    conclusion(ctx, c, shows, sizeof shows, cannot, sizeof cannot);
    nf_jw_begin_object(w, "conclusion");
    nf_jw_str(w, "shows", shows);
    nf_jw_str(w, "cannot_tell", cannot);
    nf_jw_end_object(w);
    nf_jw_end(w);
}

/*
 * The feature stream must have the change points' windows: nf-pelt's index
 * counts the series' rows from before_start of the first change point (the
 * series' first row), so the feature stream must hold about as many rows
 * over that span. An hourly stream against 5-minute change points (or the
 * reverse) is refused; a few rows nf-pca skipped are not.
 */
static void check_window_length(const struct nfx_ctx *ctx, cJSON **recs, size_t n)
{
    const struct nf_table *f = ctx->features;
    const cJSON *first = NULL;
    double first_index = INFINITY;
    int64_t t, b0;
    size_t i, rows;

    for (i = 0; i < n; i++) {
        double index = num_at(recs[i], "index", 0);
        if (isfinite(index) && index >= 1 && index < first_index && time_of(recs[i], ctx->time_key, &t) == 0 &&
            time_of(recs[i], "before_start", &b0) == 0 && b0 < t)
            first = recs[i], first_index = index;
    }
    if (!first)
        return;
    time_of(first, ctx->time_key, &t);
    time_of(first, "before_start", &b0);
    rows = row_at_or_after(f, t) - row_at_or_after(f, b0);
    if ((double)rows >= first_index / 1.5 && (double)rows <= first_index * 1.5)
        return;
    nf_die("%s: %zu rows of the feature stream lie between %s and the change point at %s, where the change points' "
           "series has %.0f (rows every %s against every %s): the windows differ; give --features the stream the "
           "change points were found in",
           ctx->features_path, rows, nfx_time_sec(b0).s, nfx_time_sec(t).s, first_index,
           nfx_ms(rows ? (double)(t - b0) / (double)rows : NAN).s, nfx_ms((double)(t - b0) / first_index).s);
}

void nfx_change_reports(const struct nfx_ctx *ctx, cJSON **recs, size_t n, struct nfx_out *out)
{
    const struct nf_table *f = ctx->features;
    if (!f)
        nf_usage_error("change-point reports need the feature stream: --features FILE");
    if (!f->has_time || f->nrows == 0)
        nf_die("%s: the feature stream has no rows with the time key %s", ctx->features_path, ctx->time_key);
    size_t bad = nf_table_first_disorder(f);
    if (bad)
        nf_die("%s: line %llu: rows are not in time order", ctx->features_path,
               (unsigned long long)f->lineno[bad]);
    check_window_length(ctx, recs, n);
    struct cp *cps = nf_xcalloc(n ? n : 1, sizeof *cps);
    int64_t *times = nf_xcalloc(n ? n : 1, sizeof *times);
    size_t ncp = 0;
    for (size_t i = 0; i < n; i++)
        if (time_of(recs[i], ctx->time_key, &times[ncp]) == 0)
            ncp++;
    qsort(times, ncp, sizeof *times, cmp_i64);
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
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
    /* Rank by cost reduction (the evidence for the split), ties by time. */
    for (size_t i = 0; i < ok; i++) {
        int rank = 1;
        for (size_t j = 0; j < ok; j++) {
            double a = cps[i].cost_reduction, b = cps[j].cost_reduction;
            if (isnan(a)) a = -INFINITY;
            if (isnan(b)) b = -INFINITY;
            rank += b > a || (b == a && (cps[j].t < cps[i].t || (cps[j].t == cps[i].t && j < i)));
        }
        cps[i].rank = rank;
    }
    for (int r = 1; r <= (int)ok; r++)
        for (size_t i = 0; i < ok; i++) {
            struct cp *c = &cps[i];
            if (c->rank != r)
                continue;
            if (out->format == NFX_JSON) {
                write_json(ctx, c, out);
                continue;
            }
            char file[96], svg[96], stamp[32];
            nfx_time_iso((double)c->t, stamp);
            snprintf(file, sizeof file, "cp-%03d-%.4s%.2s%.2sT%.2s%.2sZ.md", r, stamp, stamp + 5, stamp + 8,
                     stamp + 11, stamp + 14);
            snprintf(svg, sizeof svg, "%.*s.svg", (int)(strlen(file) - 3), file);
            int have_svg = 0;
            if (out->plot && out->dir && c->nmoved > 0) {
                const struct moved *m = &c->moved[0];
                double *xs = nf_xmalloc(f->nrows * sizeof *xs), *ys = nf_xmalloc(f->nrows * sizeof *ys);
                for (size_t row = 0; row < f->nrows; row++) {
                    xs[row] = (double)f->time[row];
                    ys[row] = nf_table_at(f, row, m->col);
                }
                char ptitle[256];
                snprintf(ptitle, sizeof ptitle, "%s - change point %s", f->colnames[m->col], nfx_time_min(c->t).s);
                struct nfx_plot p = {ptitle, f->colnames[m->col], xs, ys, f->nrows, 1, (double)c->t, NAN, NULL,
                                     m->mean_b, m->mean_a, (double)c->seg_b0, (double)c->seg_a1, 0};
                int fd = nfx_out_create_fd(out, svg);
                have_svg = nfx_plot_svg(&p, fd, svg) == 0;
                close(fd);
                if (!have_svg)
                    nfx_out_remove(out, svg);
                free(xs);
                free(ys);
            }
            write_markdown(ctx, c, out, file, have_svg ? svg : NULL);
        }
    for (size_t i = 0; i < ok; i++) {
        free(cps[i].moved);
        free(cps[i].comps);
    }
    free(cps);
    free(times);
}
