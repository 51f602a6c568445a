/*
 * online.c - nf-pelt --online. The last W rows are kept in a ring; after
 * each row the exact PELT of the batch path (pelt.c) segments them, and a
 * change point it finds that is new (more than a minimum segment length
 * after the last one reported for the column) is written at once: the
 * minimum segment length makes sure the new segment has lasted that long.
 * Memory is the ring (W rows), the time key is the rows' own time, the
 * noise scale is estimated once from the first W rows (or given), and the
 * penalty is worked out for n = W. Records have the batch path's keys
 * (write_changes in main.c) plus "delay", the rows seen since the change.
 *
 * After a reported change the rows before it are history: the group
 * segments only rows from the change on, and for --relearn rows it
 * reports nothing while it learns the new segment's noise scale (never
 * below the one it had). A lasting shift often brings its own noise (a
 * new service has its own ups and downs, far above the quiet it replaced),
 * and measured in the old scale that noise cut a new segment every few
 * rows: 238 events for 3 shifts on the live acceptance week. When the
 * learned rows span --relearn-period (a day), the group also keeps their
 * profile over that period (a running median of ±1/48 of it) and measures
 * later rows against it: a new service has its own daily cycle, which the
 * baseline's season does not hold, and its ramps were the next false
 * events (21 for 3 shifts with the scale alone).
 *
 * With --max-delay a change first confirmed long after it began is
 * counted, not reported: a step passes the penalty within about --confirm
 * rows, while evidence that builds for hours is a drift, or a weekday
 * measured against a relearned Sunday (docs/live.md, "--max-delay").
 */
#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "ar1.h"
#include "jsonw.h"
#include "ntime.h"
#include "online.h"
#include "order.h"
#include "pelt.h"
#include "rec.h"
#include "scratch.h"
#include "table.h"


struct online_group {
    size_t *cols, d;      /* indices into the column list */
    uint64_t last_cp;     /* global row of the last change point reported (0 = none) */
    int reported;
    int learning;         /* after last_cp: scales not yet re-estimated */
    uint64_t quiet_until; /* no change point before this row is reported (the learned rows) */
    double *profile;      /* [nslots * d] the learned period, NULL when none */
    size_t nslots;
    int64_t slot_ms;      /* width of a profile slot: the rows' spacing */
    uint64_t *drift;      /* [W / minseg + 1] rows of the changes left out as drifts (--max-delay), within the window */
    size_t ndrift;
};

struct online {
    const struct nf_online_opts *o;
    const char *time_key;
    char **names;         /* selected columns, from the first row */
    size_t ncols;
    double *ring;         /* [window * ncols] values, row r at (r % window) */
    int64_t *times;       /* [window] */
    uint64_t nrows;       /* rows accepted so far */
    double *sigma, *centre; /* [ncols], fixed after the first window */
    int ready;
    struct online_group *groups;
    size_t ngroups;
    uint64_t drifts;      /* changes left out by --max-delay */
    uint64_t held;        /* changes confirmed before --report-since: an earlier run's */
    uint64_t ready_at;    /* rows seen when the scales were fixed: no change is confirmed before */
    double pen;
    double *x;            /* [window * ncols] the window in time order, scaled */
    struct nf_jw out;
};

static int output_is_stream(void)
{
    struct stat st;
    return fstat(fileno(stdout), &st) != 0 || !S_ISREG(st.st_mode);
}

static int matches(char **globs, size_t n, const char *key)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (fnmatch(globs[i], key, 0) == 0)
            return 1;
    return 0;
}

/* The first row has a numeric key matching glob. */
static int has_numeric(const cJSON *obj, const char *glob)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
        if (item->string && cJSON_IsNumber(item) && fnmatch(glob, item->string, 0) == 0)
            return 1;
    return 0;
}

/* --baseline: its columns, each a number in the first row, and its scales from the first row on. */
static void base_columns(struct online *s, const cJSON *obj)
{
    const struct nf_pelt_baseline *b = s->o->base;
    size_t c;
    s->names = nf_xcalloc(b->ncols, sizeof *s->names);
    for (c = 0; c < b->ncols; c++) {
        if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, b->names[c])))
            nf_die("--baseline: the first row has no number under '%s', a column of the baseline", b->names[c]);
        s->names[s->ncols++] = nf_xstrdup(b->names[c]);
    }
    nf_warn("--online: %zu columns of the baseline, %s first; noise scales from the baseline", s->ncols,
            s->names[0]);
}

/*
 * Columns are fixed by the first row: its numeric keys that --columns /
 * --exclude select; without --columns, as the batch path (lib/table.c):
 * nf-decompose's *_adjusted, else nf-pca's pc<N>, else every numeric key
 * that is neither an identifier nor derived.
 */
static void choose_columns(struct online *s, const cJSON *obj)
{
    const cJSON *item;
    size_t g, k;
    const char *role = NULL;
    if (s->o->base) {
        base_columns(s, obj);
        goto alloc;
    }
    if (!s->o->ncolumns && has_numeric(obj, "*_adjusted"))
        role = "*_adjusted";
    else if (!s->o->ncolumns && has_numeric(obj, "pc[0-9]*"))
        role = "pc[0-9]*";
    s->names = nf_xcalloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof *s->names);
    cJSON_ArrayForEach(item, obj)
    {
        const char *key = item->string;
        if (!key || !cJSON_IsNumber(item) || strcmp(key, s->time_key) == 0)
            continue;
        if (s->o->ncolumns ? !matches(s->o->columns, s->o->ncolumns, key)
            : role         ? fnmatch(role, key, 0) != 0
                           : (nf_is_identifier(key) || nf_is_derived(key)))
            continue;
        if (matches(s->o->exclude, s->o->nexclude, key))
            continue;
        s->names[s->ncols++] = nf_xstrdup(key);
    }
    if (s->ncols == 0)
        nf_die("--online: the first row has no numeric column to segment "
               "(--columns chooses them)");
    nf_warn("--online: %zu columns, %s first%s", s->ncols, s->names[0],
            role ? (strcmp(role, "*_adjusted") == 0 ? " (nf-decompose output: *_adjusted)"
                                                    : " (nf-pca output: pc<N>)")
                 : "");
alloc:
    s->ring = nf_xmalloc(s->o->window * s->ncols * sizeof *s->ring);
    s->x = nf_xmalloc(s->o->window * s->ncols * sizeof *s->x);
    s->times = nf_xmalloc(s->o->window * sizeof *s->times);
    s->sigma = nf_xmalloc(s->ncols * sizeof *s->sigma);
    s->centre = nf_xmalloc(s->ncols * sizeof *s->centre);
    s->ngroups = s->o->joint ? 1 : s->ncols;
    s->groups = nf_xcalloc(s->ngroups, sizeof *s->groups);
    for (g = 0; g < s->ngroups; g++) {
        s->groups[g].d = s->o->joint ? s->ncols : 1;
        s->groups[g].cols = nf_xmalloc(s->groups[g].d * sizeof *s->groups[g].cols);
        if (s->o->max_delay) /* drifts counted are minseg apart: at most W / minseg + 1 in the window */
            s->groups[g].drift = nf_xmalloc((s->o->window / s->o->minseg + 1) * sizeof *s->groups[g].drift);
        for (k = 0; k < s->groups[g].d; k++)
            s->groups[g].cols[k] = s->o->joint ? k : g;
    }
    s->pen = nf_penalty_value(&s->o->pen, s->o->kind->params * (int)s->groups[0].d,
                              s->o->window);
    if (s->o->base) {
        const struct nf_pelt_baseline *b = s->o->base;
        for (k = 0; k < s->ncols; k++) {
            s->sigma[k] = s->o->kind->scales ? b->sigma[k] : 1;
            s->centre[k] = s->o->kind->shift_free ? b->centre[k] : 0;
        }
        s->ready = 1;
    }
}

/* Row r (global, within the ring) of column c. */
static double at(const struct online *s, uint64_t r, size_t c)
{
    return s->ring[(size_t)(r % s->o->window) * s->ncols + c];
}

/* The profile slot of time ms (the learned period's phase). */
static size_t slot_of(const struct online *s, const struct online_group *g, int64_t ms)
{
    int64_t p = s->o->relearn_period_ms, phase = ((ms % p) + p) % p;
    size_t slot = (size_t)(phase / g->slot_ms);
    return slot < g->nslots ? slot : g->nslots - 1;
}

/* The profile row r is measured against (d values), or NULL: none, or r before the last change. */
static const double *profile_of(const struct online *s, const struct online_group *g, uint64_t r)
{
    if (!g->profile || r < g->last_cp)
        return NULL;
    return g->profile + slot_of(s, g, s->times[r % s->o->window]) * g->d;
}

/* Row r of the group's k-th column as the group measures it, given profile_of(r). */
static double value(const struct online *s, const struct online_group *g, uint64_t r, size_t k,
                    const double *prof)
{
    return at(s, r, g->cols[k]) - (prof ? prof[k] : 0);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median spacing of the n rows from `from`: the width of a profile slot. */
static int64_t row_spacing(const struct online *s, uint64_t from, size_t n)
{
    double *gap = nf_xmalloc(n * sizeof *gap), med;
    size_t i;
    for (i = 0; i + 1 < n; i++)
        gap[i] = (double)(s->times[(from + i + 1) % s->o->window] - s->times[(from + i) % s->o->window]);
    qsort(gap, n - 1, sizeof *gap, by_value);
    med = gap[(n - 1) / 2];
    free(gap);
    return med >= 1 ? (int64_t)med : 1;
}

/*
 * The profile of the n learned rows from `from` (spacing ms apart: the
 * width of a slot) over the period: each
 * slot the median of the learned values within ±1/48 of the period
 * (±30 minutes of a day) around it, which keeps the edges of a ramp; a
 * slot with none near it takes the median of all.
 */
static void learn_profile(struct online *s, struct online_group *g, uint64_t from, size_t n, int64_t spacing)
{
    size_t h, slot, k, i, m;
    size_t *at_slot = nf_xmalloc(n * sizeof *at_slot);
    double *near = nf_xmalloc(n * sizeof *near);
    g->slot_ms = spacing;
    g->nslots = (size_t)((s->o->relearn_period_ms + g->slot_ms - 1) / g->slot_ms);
    h = g->nslots / 48;
    for (i = 0; i < n; i++)
        at_slot[i] = slot_of(s, g, s->times[(from + i) % s->o->window]);
    g->profile = nf_xmalloc(g->nslots * g->d * sizeof *g->profile);
    for (k = 0; k < g->d; k++) {
        double all;
        for (i = 0; i < n; i++)
            near[i] = at(s, from + i, g->cols[k]);
        qsort(near, n, sizeof *near, by_value);
        all = near[n / 2];
        for (slot = 0; slot < g->nslots; slot++) {
            for (m = 0, i = 0; i < n; i++) {
                size_t d = at_slot[i] > slot ? at_slot[i] - slot : slot - at_slot[i];
                if (d > g->nslots - d)
                    d = g->nslots - d; /* the period wraps */
                if (d <= h)
                    near[m++] = at(s, from + i, g->cols[k]);
            }
            if (m == 0) {
                g->profile[slot * g->d + k] = all;
                continue;
            }
            qsort(near, m, sizeof *near, by_value);
            g->profile[slot * g->d + k] = m % 2 ? near[m / 2] : (near[m / 2 - 1] + near[m / 2]) / 2;
        }
    }
    free(at_slot);
    free(near);
}

/* Rows from..from+n-1 of the group's columns, in time order, into s->x (row-major, stride ncols). */
static void copy_rows(struct online *s, uint64_t from, size_t n)
{
    size_t r, c;
    for (r = 0; r < n; r++)
        for (c = 0; c < s->ncols; c++)
            s->x[r * s->ncols + c] = at(s, from + r, c);
}

/*
 * --sigma ar1 on n rows in s->x: the group's fixed point (ar1.h) at the
 * stream's penalty, as the batch path does on the whole series.
 */
static void ar1_scales(struct online *s, const struct online_group *grp, size_t n, double *sigma)
{
    struct nf_ar1_problem p = {
        .x = s->x, .n = n, .stride = s->ncols, .cols = grp->cols, .d = grp->d,
        .kind = s->o->kind, .mbic = s->o->pen.kind == NF_PEN_MBIC, .pen = s->pen,
        .minseg = s->o->minseg, .pruning = NF_PRUNE_EXACT, .centre = 1,
    };
    struct nf_segdata sd;
    struct nf_seg_result res;
    nf_ar1_solve(&p, sigma, NULL, NULL, &sd, &res);
    nf_segdata_free(&sd);
    nf_seg_result_free(&res);
}

/*
 * The noise scale and centre of the group's columns from n rows in s->x
 * (as the batch --sigma), into sigma[] and centre[] (d each).
 */
static void estimate_scales(struct online *s, const struct online_group *grp, size_t n,
                            double *sigma, double *centre)
{
    double *col = nf_xmalloc(n * sizeof *col);
    size_t block = s->o->sigma_diff ? 1 : (size_t)floor(sqrt((double)n)), k, r;
    int ar1 = s->o->sigma_ar1 && s->o->sigma <= 0 && s->o->kind->scales;
    if (ar1)
        ar1_scales(s, grp, n, sigma);
    for (k = 0; k < grp->d; k++) {
        for (r = 0; r < n; r++)
            col[r] = s->x[r * s->ncols + grp->cols[k]];
        if (!ar1)
            sigma[k] = !s->o->kind->scales ? 1
                       : s->o->sigma > 0   ? s->o->sigma
                                           : nf_sigma_estimate(col, n, 1, block);
        gsl_sort(col, 1, n);
        centre[k] = s->o->kind->shift_free ? gsl_stats_median_from_sorted_data(col, 1, n) : 0;
    }
    free(col);
}

/* The noise scale and centre of each column, from the first W rows. */
static void fix_scales(struct online *s)
{
    size_t g, k;
    copy_rows(s, 0, s->o->window);
    for (g = 0; g < s->ngroups; g++) {
        const struct online_group *grp = &s->groups[g];
        double *sigma = nf_xmalloc(grp->d * sizeof *sigma), *centre = nf_xmalloc(grp->d * sizeof *centre);
        estimate_scales(s, grp, s->o->window, sigma, centre);
        for (k = 0; k < grp->d; k++) {
            s->sigma[grp->cols[k]] = sigma[k];
            s->centre[grp->cols[k]] = centre[k];
        }
        free(sigma);
        free(centre);
    }
    s->ready = 1;
    s->ready_at = s->nrows;
}

/*
 * --relearn rows after the group's last change: its scales from the rows
 * since, never below the old ones (a quieter new segment keeps the old
 * scale, so it does not alert on smaller moves than the baseline did).
 */
static void relearn_scales(struct online *s, struct online_group *grp)
{
    size_t n = (size_t)(s->nrows - grp->last_cp), k, r;
    double *sigma = nf_xmalloc(grp->d * sizeof *sigma), *centre = nf_xmalloc(grp->d * sizeof *centre);
    int64_t span = s->times[(s->nrows - 1) % s->o->window] - s->times[grp->last_cp % s->o->window];
    copy_rows(s, grp->last_cp, n);
    estimate_scales(s, grp, n, sigma, centre);
    for (k = 0; k < grp->d; k++)
        if (sigma[k] > s->sigma[grp->cols[k]])
            s->sigma[grp->cols[k]] = sigma[k];
    free(grp->profile);
    grp->profile = NULL;
    if (s->o->relearn_period_ms > 0 && n >= 2) {
        int64_t spacing = row_spacing(s, grp->last_cp, n);
        if (span >= s->o->relearn_period_ms - spacing)
            learn_profile(s, grp, grp->last_cp, n, spacing);
    }
    /* the centre of what is segmented from now on: the learned rows less their profile */
    for (k = 0; k < grp->d; k++)
        centre[k] = 0;
    if (s->o->kind->shift_free) {
        double *col = nf_xmalloc(n * sizeof *col);
        for (k = 0; k < grp->d; k++) {
            for (r = 0; r < n; r++)
                col[r] = value(s, grp, grp->last_cp + r, k, profile_of(s, grp, grp->last_cp + r));
            qsort(col, n, sizeof *col, by_value);
            centre[k] = col[n / 2];
        }
        free(col);
    }
    for (k = 0; k < grp->d; k++)
        s->centre[grp->cols[k]] = centre[k];
    free(sigma);
    free(centre);
    grp->learning = 0;
    grp->quiet_until = s->nrows;
}

static void write_means(struct nf_jw *w, const char *key, const struct online *s,
                        const struct online_group *g, uint64_t from, uint64_t to)
{
    size_t k;
    nf_jw_begin_array(w, key);
    for (k = 0; k < g->d; k++) {
        double sum = 0;
        uint64_t r;
        for (r = from; r < to; r++)
            sum += at(s, r, g->cols[k]);
        nf_jw_double(w, NULL, sum / (double)(to - from));
    }
    nf_jw_end_array(w);
}

/* One change point record, as the batch path's write_changes, plus "delay". */
static void report(struct online *s, const struct online_group *g, const struct nf_segdata *sd,
                   const struct nf_seg_result *res, size_t i, uint64_t base)
{
    struct nf_jw *w = &s->out;
    size_t cp = res->cpts[i], n = sd->n, k;
    size_t from = i > 0 ? res->cpts[i - 1] : 0;
    size_t to = i + 1 < res->ncpts ? res->cpts[i + 1] : n;
    double whole = nf_seg_cost(sd, from, to);
    double parts = nf_seg_cost(sd, from, cp) + nf_seg_cost(sd, cp, to);
    nf_jw_begin(w);
    nf_jw_i64(w, s->time_key, s->times[(base + cp) % s->o->window]);
    nf_jw_u64(w, "index", base + cp);
    nf_jw_begin_array(w, "columns");
    for (k = 0; k < g->d; k++)
        nf_jw_str(w, NULL, s->names[g->cols[k]]);
    nf_jw_end_array(w);
    write_means(w, "mean_before", s, g, base + from, base + cp);
    write_means(w, "mean_after", s, g, base + cp, base + to);
    nf_jw_double(w, "cost_reduction", whole - parts);
    nf_jw_i64(w, "before_start", s->times[(base + from) % s->o->window]);
    nf_jw_i64(w, "after_end", s->times[(base + to - 1) % s->o->window]);
    nf_jw_double(w, "penalty", s->pen);
    nf_jw_u64(w, "delay", s->nrows - (base + cp));
    nf_jw_end(w);
}

/*
 * A change first confirmed more than --max-delay rows after it began: its
 * evidence grew slowly, as a drift's does or a day measured against a
 * profile learned on a day of another kind, where a step shows within
 * --confirm rows. The same change is seen at every later step, a row or
 * two from where it was: it is counted once.
 */
static void note_drift(struct online *s, struct online_group *g, uint64_t cp)
{
    char when[40];
    size_t i, kept = 0;
    for (i = 0; i < g->ndrift; i++)
        if (g->drift[i] + s->o->window > s->nrows)
            g->drift[kept++] = g->drift[i]; /* older ones are out of the window: never seen again */
    g->ndrift = kept;
    for (i = 0; i < g->ndrift; i++)
        if (g->drift[i] + s->o->minseg > cp && g->drift[i] < cp + s->o->minseg)
            return; /* counted already */
    g->drift[g->ndrift++] = cp;
    s->drifts++;
    if (s->o->verbose)
        nf_warn("--online: the change at %s (row %llu) is first confirmed %llu rows after it began, "
                "over --max-delay %zu: a drift, not reported",
                nf_time_format_iso(s->times[cp % s->o->window], when), (unsigned long long)cp,
                (unsigned long long)(s->nrows - cp), s->o->max_delay);
}

/* Segments the window for group g and reports change points not reported yet. */
static void step_group(struct online *s, struct online_group *g)
{
    size_t n = (size_t)(s->nrows < s->o->window ? s->nrows : s->o->window), r, k;
    uint64_t base = s->nrows - n;
    struct nf_segdata sd;
    struct nf_seg_result res;
    size_t i, *idx;
    if (g->learning) {
        if (s->nrows - g->last_cp < s->o->relearn)
            return;
        relearn_scales(s, g);
    }
    if (g->reported && s->o->relearn && g->last_cp > base) {
        base = g->last_cp; /* the rows before the last change are history */
        n = (size_t)(s->nrows - base);
    }
    if (n < 2 * s->o->minseg)
        return;
    idx = nf_xmalloc(g->d * sizeof *idx);
    for (k = 0; k < g->d; k++)
        idx[k] = k;
    for (r = 0; r < n; r++) {
        const double *prof = profile_of(s, g, base + r);
        for (k = 0; k < g->d; k++) {
            size_t c = g->cols[k];
            s->x[r * g->d + k] = (value(s, g, base + r, k, prof) - s->centre[c]) / s->sigma[c];
        }
    }
    nf_segdata_init(&sd, s->o->kind, s->o->pen.kind == NF_PEN_MBIC, s->x, n, g->d, idx, g->d,
                    NULL, 0);
    nf_pelt(&sd, s->pen, s->o->minseg, NF_PRUNE_EXACT, &res);
    for (i = 0; i < res.ncpts; i++) {
        uint64_t cp = base + res.cpts[i];
        if (g->reported && (cp < g->last_cp + s->o->minseg || cp < g->quiet_until))
            continue;
        if (s->nrows - cp < s->o->confirm)
            continue; /* not yet: where a young change lies is still moving */
        if (s->o->max_delay && s->nrows - (cp > s->ready_at ? cp : s->ready_at) > s->o->max_delay) {
            note_drift(s, g, cp);
            continue;
        }
        if (s->o->report_since_given && s->times[(s->nrows - 1) % s->o->window] < s->o->report_since_ms)
            s->held++; /* the earlier run reported it; what follows from it (relearning) is kept */
        else
            report(s, g, &sd, &res, i, base);
        g->last_cp = cp;
        g->reported = 1;
        g->learning = s->o->relearn > 0;
        if (g->learning)
            break; /* what follows it is segmented again from the change on */
    }
    nf_seg_result_free(&res);
    nf_segdata_free(&sd);
    free(idx);
}

static void add_row(struct online *s, const cJSON *obj, int64_t ms, const struct nf_lines *l,
                    struct nf_rejects *rej)
{
    size_t c, slot = (size_t)(s->nrows % s->o->window);
    double v;
    for (c = 0; c < s->ncols; c++) {
        v = nf_rec_number(obj, s->names[c]);
        if (!isfinite(v)) {
            char *raw = cJSON_PrintUnformatted(obj);
            nf_reject(rej, l->name, l->lineno, raw, raw ? strlen(raw) : 0,
                      "%s: missing, null or not a finite number", s->names[c]);
            cJSON_free(raw);
            return;
        }
    }
    for (c = 0; c < s->ncols; c++)
        s->ring[slot * s->ncols + c] = nf_rec_number(obj, s->names[c]);
    s->times[slot] = ms;
    s->nrows++;
    if (!s->ready && s->nrows == s->o->window)
        fix_scales(s);
    if (s->ready)
        for (c = 0; c < s->ngroups; c++)
            step_group(s, &s->groups[c]);
}

void nf_pelt_online(const struct nf_online_opts *o, char **paths, int npaths,
                    struct nf_rejects *rej)
{
    struct online s;
    struct nf_lines lines;
    int64_t prev = INT64_MIN;
    size_t i;
    cJSON *obj;

    memset(&s, 0, sizeof s);
    s.o = o;
    s.time_key = o->time_key ? o->time_key : "WINDOW_START";
    nf_jw_init(&s.out, stdout);
    s.out.flush_each = output_is_stream();
    nf_lines_init(&lines, paths, npaths);
    nf_scratch_begin(); /* each row's tree dies before the next is read */
    while ((obj = nf_rec_next(&lines, rej)) != NULL) {
        int64_t ms = 0;
        if (nf_table_row_time(obj, s.time_key, &ms) <= 0 || ms < prev) {
            char *raw = cJSON_PrintUnformatted(obj);
            char text[NF_ORDER_TEXT];
            if (ms < prev)
                nf_order_text(text, sizeof text, s.time_key, ms, "the row before", prev,
                              "skipped: --online needs rows in time order");
            else
                snprintf(text, sizeof text, "%s: missing or not a time (epoch ms or text)",
                         s.time_key);
            nf_reject(rej, lines.name, lines.lineno, raw, raw ? strlen(raw) : 0, "%s", text);
            cJSON_free(raw);
            cJSON_Delete(obj);
            continue;
        }
        if (!s.names)
            choose_columns(&s, obj);
        add_row(&s, obj, ms, &lines, rej);
        prev = ms;
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    nf_lines_free(&lines);
    nf_jw_free(&s.out);
    if (s.drifts)
        nf_warn("--online: %llu change%s first confirmed more than --max-delay %zu rows after %s start "
                "not reported (drifts, not steps; -v lists them)", (unsigned long long)s.drifts,
                s.drifts == 1 ? "" : "s", o->max_delay, s.drifts == 1 ? "its" : "their");
    if (o->report_since_given)
        nf_warn("--online: %llu change%s confirmed at rows before --report-since (an earlier run's) not written",
                (unsigned long long)s.held, s.held == 1 ? "" : "s");
    if (s.names && !s.ready)
        nf_warn("--online: %llu rows, fewer than the window of %zu: no change point can be "
                "confirmed yet", (unsigned long long)s.nrows, o->window);
    for (i = 0; i < s.ncols; i++)
        free(s.names[i]);
    for (i = 0; i < s.ngroups; i++) {
        free(s.groups[i].cols);
        free(s.groups[i].profile);
        free(s.groups[i].drift);
    }
    free(s.groups);
    free(s.names);
    free(s.ring);
    free(s.x);
    free(s.times);
    free(s.sigma);
    free(s.centre);
}
