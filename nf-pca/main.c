/*
 * nf-pca - principal components of a numeric NDJSON series, with the SPE
 * and Hotelling T^2 statistics and their limits per row.
 *
 * Reads every row (lib/table.h), drops rows with a missing value in a used
 * column (as rejects), fits on all rows or a baseline (--fit-rows,
 * --fit-until) or takes a saved model (--model), and writes each row's
 * pass-through members, scores and statistics. With --model nothing is
 * fitted, so rows stream: each is written as soon as it is read
 * (apply_model_streaming). See docs/nf-pca.md and docs/live.md.
 */
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "order.h"
#include "jsonw.h"
#include "ntime.h"
#include "opt.h"
#include "pca.h"
#include "pcamodel.h"
#include "rec.h"
#include "scratch.h"
#include "table.h"
#include "transform.h"

#include <sys/stat.h>

#define DEFAULT_VARIANCE 0.95
#define DEFAULT_ALPHA 0.01

struct options {
    const char *time_key;
    const char *columns, *exclude;
    size_t components;   /* 0 = by variance */
    double variance;     /* 0 = not given */
    int no_scale;
    int log1p;           /* --transform log1p */
    double alpha;        /* 0 = not given */
    double clip;         /* --clip Z, 0 = none */
    size_t fit_rows;     /* 0 = not given */
    int has_fit_until;
    int64_t fit_until;
    const char *save_model, *model;
    const char *rejects;
    int strict, verbose;
};

static void usage(void)
{
    printf("usage: nf-pca [options] [FILE...]\n"
           "Principal components of a numeric NDJSON series: per row the pass-through\n"
           "members, pc1..pcK, spe, t2, spe_limit, t2_limit, spe_flag, t2_flag.\n"
           "\n"
           "  -t, --time-key KEY   time key, passed through (default WINDOW_START)\n"
           "  -c, --columns GLOBS  numeric columns to use, comma-separated globs (default all)\n"
           "  -x, --exclude GLOBS  columns not to use\n"
           "  --components K       keep K components\n"
           "  --variance FRACTION  keep the fewest components explaining FRACTION of the\n"
           "                       variance (default %.2f when --components is not given)\n"
           "  --no-scale           centre only (default: z-scores, sample SD with n-1)\n"
           "  --transform T        none (default) or log1p: log(1 + x) of the count features\n"
           "                       (not shares, coefficients, per-record statistics) before\n"
           "                       standardising; the model records it\n"
           "  --clip Z             scores from z-scores bounded to +-Z (spe and t2 from the\n"
           "                       whole row); the model records it (default: none)\n"
           "  --alpha A            significance level of the limits (default %g)\n"
           "  --fit-rows N         fit on the first N usable rows, project the rest\n"
           "  --fit-until TIME     fit on the rows before TIME (epoch ms or time text)\n"
           "  --save-model FILE    write the fitted model as JSON\n"
           "  --model FILE         apply a saved model (no fitting)\n"
           "  --rejects FILE       copy rows that cannot be used to FILE\n"
           "  -v, --verbose        every bad-row message (default: the first 20)\n"
           "  --strict             stop at the first row that cannot be used\n"
           "  -h, --help, -V, --version\n"
           "\n"
           "Rows with a missing or non-numeric value in a used column are skipped with a\n"
           "message. Constant columns get scale 1. See nf-pca(1) and docs/nf-pca.md.\n",
           DEFAULT_VARIANCE, DEFAULT_ALPHA);
    exit(0);
}

static int64_t parse_time_option(const char *opt, const char *text)
{
    int64_t ms;
    if (nf_parse_i64(text, &ms) == 0)
        return ms;
    if (nf_time_parse(text, strlen(text), NULL, &ms) == 0)
        return ms;
    nf_usage_error("%s: not a time (epoch ms or time text): '%s'", opt, text);
}

#define SHORTOPTS "t:c:x:hvV" /* getopt_long and nf_opt_bad */

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { O_COMPONENTS = 256, O_VARIANCE, O_NO_SCALE, O_TRANSFORM,
           O_ALPHA, O_CLIP, O_FIT_ROWS, O_FIT_UNTIL, O_SAVE_MODEL, O_MODEL, O_REJECTS, O_STRICT };
    static const struct option longopts[] = {
        {"time-key", required_argument, NULL, 't'},
        {"columns", required_argument, NULL, 'c'},
        {"exclude", required_argument, NULL, 'x'},
        {"components", required_argument, NULL, O_COMPONENTS},
        {"variance", required_argument, NULL, O_VARIANCE},
        {"no-scale", no_argument, NULL, O_NO_SCALE},
        {"transform", required_argument, NULL, O_TRANSFORM},
        {"alpha", required_argument, NULL, O_ALPHA},
        {"clip", required_argument, NULL, O_CLIP},
        {"fit-rows", required_argument, NULL, O_FIT_ROWS},
        {"fit-until", required_argument, NULL, O_FIT_UNTIL},
        {"save-model", required_argument, NULL, O_SAVE_MODEL},
        {"model", required_argument, NULL, O_MODEL},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(o, 0, sizeof *o);
    while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 't': o->time_key = optarg; break;
        case 'c': o->columns = optarg; break;
        case 'x': o->exclude = optarg; break;
        case O_COMPONENTS: o->components = nf_opt_u64("--components", optarg, 1, 1000000); break;
        case O_VARIANCE:
            o->variance = nf_opt_double("--variance", optarg, 0, 1);
            if (!(o->variance > 0))
                nf_usage_error("--variance: must be above 0: '%s'", optarg);
            break;
        case O_NO_SCALE: o->no_scale = 1; break;
        case O_TRANSFORM:
            if (strcmp(optarg, "log1p") == 0)
                o->log1p = 1;
            else if (strcmp(optarg, "none") == 0)
                o->log1p = 0;
            else
                nf_usage_error("--transform: none or log1p, not '%s'", optarg);
            break;
        case O_ALPHA:
            o->alpha = nf_opt_double("--alpha", optarg, 0, 1);
            if (!(o->alpha > 0 && o->alpha < 1))
                nf_usage_error("--alpha: must be between 0 and 1 (exclusive): '%s'", optarg);
            break;
        case O_CLIP:
            o->clip = nf_opt_double("--clip", optarg, 0, 1e300);
            if (!(o->clip > 0))
                nf_usage_error("--clip: must be above 0: '%s'", optarg);
            break;
        case O_FIT_ROWS: o->fit_rows = nf_opt_u64("--fit-rows", optarg, 2, UINT64_MAX); break;
        case O_FIT_UNTIL:
            o->fit_until = parse_time_option("--fit-until", optarg);
            o->has_fit_until = 1;
            break;
        case O_SAVE_MODEL: o->save_model = optarg; break;
        case O_MODEL: o->model = optarg; break;
        case O_REJECTS: o->rejects = optarg; break;
        case O_STRICT: o->strict = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': usage(); break;
        case 'V': nf_print_version(); break;
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (o->components && o->variance > 0)
        nf_usage_error("--components and --variance exclude each other");
    if (o->fit_rows && o->has_fit_until)
        nf_usage_error("--fit-rows and --fit-until exclude each other");
    if (o->model) {
        const char *clash = o->columns ? "--columns" : o->exclude ? "--exclude"
                          : o->components ? "--components" : o->variance > 0 ? "--variance"
                          : o->no_scale ? "--no-scale" : o->log1p ? "--transform"
                          : o->clip > 0 ? "--clip"
                          : o->fit_rows ? "--fit-rows"
                          : o->has_fit_until ? "--fit-until" : o->save_model ? "--save-model"
                          : NULL;
        if (clash)
            nf_usage_error("--model applies a saved model: %s cannot be used with it", clash);
    }
}

/* The row as a record again, for --rejects: the table keeps no raw line. */
static char *row_text(const struct nf_table *t, size_t r, size_t *len)
{
    struct nf_jw w;
    char *text = NULL;
    size_t size = 0, c;
    FILE *f = open_memstream(&text, &size);

    if (!f)
        nf_die("out of memory");
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    nf_jw_members(&w, t->pass[r], t->pass_len[r]);
    for (c = 0; c < t->ncols; c++)
        if (!isnan(nf_table_at(t, r, c)))
            nf_jw_double(&w, t->colnames[c], nf_table_at(t, r, c));
    nf_jw_end(&w);
    nf_jw_free(&w);
    fclose(f);
    *len = size;
    return text;
}

/*
 * The first column of row x[p] that the model cannot take, or p: a value
 * that is not a finite number, or a negative one in a log1p column (a
 * count is never negative; log(1 + x) is not defined below -1). *why gets
 * the reason.
 */
static size_t unusable_column(const struct nf_pca_model *m, const double *x, const char **why)
{
    size_t j;
    for (j = 0; j < m->p; j++) {
        if (!isfinite(x[j])) {
            *why = "missing, null or not a finite number";
            return j;
        }
        if (m->log1p && m->log1p[j] && x[j] < 0) {
            *why = "negative, but --transform log1p takes it as a count";
            return j;
        }
    }
    return m->p;
}

/* Copies the used columns of row r into out[p]. */
static void gather(const struct nf_table *t, size_t r, const size_t *col, size_t p, double *out)
{
    const double *row = t->x + r * t->ncols;
    size_t j;
    for (j = 0; j < p; j++)
        out[j] = row[col[j]];
}

/*
 * Marks usable rows (every used column a finite number: 1e999 reads as inf; no negative count
 * under --transform log1p). Rows that are not go to the rejects with the first bad column named.
 */
static size_t usable_rows(const struct nf_table *t, const struct nf_pca_model *m, const size_t *col,
                          struct nf_rejects *rej, unsigned char *ok)
{
    double *x = nf_xmalloc((m->p ? m->p : 1) * sizeof *x);
    size_t r, j, n = 0;
    for (r = 0; r < t->nrows; r++) {
        const char *why = NULL;
        ok[r] = 1;
        gather(t, r, col, m->p, x);
        j = unusable_column(m, x, &why);
        if (j < m->p) {
            size_t len;
            char *raw = row_text(t, r, &len);
            ok[r] = 0;
            nf_reject(rej, t->source, t->lineno[r], raw, len, "%s: %s", t->colnames[col[j]], why);
            free(raw);
            continue;
        }
        n++;
    }
    free(x);
    return n;
}

/* Which usable rows are fit rows: the first N, or those before --fit-until. */
static size_t choose_fit_rows(const struct nf_table *t, const struct options *o,
                              const unsigned char *ok, size_t nusable, unsigned char *fit)
{
    size_t r, n = 0;
    if (o->has_fit_until && !t->has_time)
        nf_die("--fit-until: the time key %s is not present in every row", t->time_key);
    if (o->fit_rows && o->fit_rows > nusable)
        nf_warn("--fit-rows %zu: only %zu usable rows, fitting on all of them", o->fit_rows,
                nusable);
    for (r = 0; r < t->nrows; r++) {
        fit[r] = 0;
        if (!ok[r])
            continue;
        if (o->fit_rows)
            fit[r] = n < o->fit_rows;
        else if (o->has_fit_until)
            fit[r] = t->time[r] < o->fit_until;
        else
            fit[r] = 1;
        n += fit[r];
    }
    return n;
}

/* Names at most this many constant columns (a wide input can have thousands). */
#define CONSTANT_NAMES 20

static void warn_constant(const struct nf_pca_model *m, const struct pca_fit_info *info)
{
    size_t i, len = 0, shown = info->nconstant < CONSTANT_NAMES ? info->nconstant : CONSTANT_NAMES;
    char *list, *end;
    if (info->nconstant == 0)
        return;
    for (i = 0; i < shown; i++)
        len += strlen(m->columns[info->constant[i]]) + 2;
    end = list = nf_xmalloc(len + 1);
    *end = '\0';
    for (i = 0; i < shown; i++)
        end += sprintf(end, "%s%s", i > 0 ? ", " : "", m->columns[info->constant[i]]);
    if (shown < info->nconstant)
        nf_warn("%zu constant columns in the fit rows (not scaled, z-score 0 there): %s and %zu more",
                info->nconstant, list, info->nconstant - shown);
    else
        nf_warn("%zu constant column%s in the fit rows (not scaled, z-score 0 there): %s",
                info->nconstant, info->nconstant == 1 ? "" : "s", list);
    free(list);
}

/* Fits the model on the fit rows and settles K and the limits. */
static void fit_model(struct nf_pca_model *m, const struct nf_table *t, const size_t *col,
                      const unsigned char *fit, size_t nfit, const struct options *o)
{
    size_t p = m->p, r, i = 0;
    struct pca_fit_info info = {0};
    /* with a transform the fit works on a transformed copy */
    int identity = nfit == t->nrows && p == t->ncols && !m->log1p;
    double *x;

    /* The eigenproblem is min(rows, columns) square: bounded in memory and time. */
    if (nfit > PCA_MAX_ORDER && p > PCA_MAX_ORDER)
        nf_die("%zu fit rows and %zu columns: the eigenproblem would be %zu x %zu; nf-pca fits at "
               "most %d of the smaller of the two (fewer rows with --fit-rows or --fit-until, "
               "fewer columns with --columns or --exclude)",
               nfit, p, nfit < p ? nfit : p, nfit < p ? nfit : p, PCA_MAX_ORDER);
    for (r = 0; r < p && identity; r++)
        identity = col[r] == r;
    /* Fitting on the whole table as read: no copy of the matrix. */
    x = identity ? t->x : nf_xmalloc(nfit * p * sizeof *x);
    for (r = 0; r < t->nrows && !identity; r++)
        if (fit[r])
            gather(t, r, col, p, x + (i++) * p);
    for (r = 0; r < nfit && m->log1p; r++)
        for (i = 0; i < p; i++)
            if (m->log1p[i])
                x[r * p + i] = log1p(x[r * p + i]); /* as nf_pca_project does */
    if (pca_fit(m, x, nfit, p, !o->no_scale, &info) < 0)
        nf_die("every used column is constant in the fit rows: nothing to analyse");
    if (!identity)
        free(x);
    warn_constant(m, &info);

    if (o->components) {
        if (o->components > p)
            nf_die("--components %zu: only %zu columns", o->components, p);
        if (o->components > info.rank)
            nf_die("--components %zu: only %zu component%s non-zero variance", o->components,
                   info.rank, info.rank == 1 ? " has" : "s have");
        m->k = o->components;
    } else {
        m->k = pca_k_for_variance(m, o->variance > 0 ? o->variance : DEFAULT_VARIANCE);
        if (m->k > info.rank)
            m->k = info.rank;
    }
    free(info.constant);
    m->alpha = o->alpha > 0 ? o->alpha : DEFAULT_ALPHA;
    m->clip = o->clip;
}

static void set_limits(struct nf_pca_model *m)
{
    m->spe_limit = pca_spe_limit(m->eigenvalues, m->p, m->k, m->alpha);
    m->t2_limit = pca_t2_limit(m->k, m->n_fit, m->alpha);
    if (isnan(m->spe_limit))
        nf_warn("the %zu component%s hold%s all the variance: no residual space, spe_limit is null",
                m->k, m->k == 1 ? "" : "s", m->k == 1 ? "s" : "");
    if (isnan(m->t2_limit))
        nf_warn("%zu fit rows for %zu components: t2_limit needs more rows than components, "
                "it is null", m->n_fit, m->k);
}

/* Rows per unit of output work; two units are formatted at a time, one per core. */
#define CHUNK_ROWS 2048

struct out_chunk {
    const struct nf_pca_model *m;
    const struct nf_table *t;
    const size_t *col;
    const unsigned char *ok;
    char (*names)[24];      /* "pc1".. */
    const char *spe_lim, *t2_lim;
    size_t spe_lim_len, t2_lim_len;
    size_t from, to;        /* rows [from, to) */
    char *text;             /* the formatted records */
    size_t len;
};

static void *format_chunk(void *arg)
{
    struct out_chunk *ch = arg;
    const struct nf_pca_model *m = ch->m;
    double *x = nf_xmalloc(m->p * sizeof *x), *z = nf_xmalloc(m->p * sizeof *z);
    double *scores = nf_xmalloc(m->k * sizeof *scores);
    FILE *f = open_memstream(&ch->text, &ch->len);
    struct nf_jw w;
    size_t r, c;

    if (!f)
        nf_die("out of memory");
    nf_jw_init(&w, f);
    for (r = ch->from; r < ch->to; r++) {
        double spe, t2;
        if (!ch->ok[r])
            continue;
        gather(ch->t, r, ch->col, m->p, x);
        nf_pca_project(m, x, NULL, scores, z, &spe, &t2);
        nf_jw_begin(&w);
        nf_jw_members(&w, ch->t->pass[r], ch->t->pass_len[r]);
        for (c = 0; c < m->k; c++)
            nf_jw_double(&w, ch->names[c], scores[c]);
        nf_jw_double(&w, "spe", spe);
        nf_jw_double(&w, "t2", t2);
        nf_jw_raw(&w, "spe_limit", ch->spe_lim, ch->spe_lim_len);
        nf_jw_raw(&w, "t2_limit", ch->t2_lim, ch->t2_lim_len);
        nf_jw_bool(&w, "spe_flag", spe > m->spe_limit);
        nf_jw_bool(&w, "t2_flag", t2 > m->t2_limit);
        nf_jw_end(&w);
    }
    nf_jw_free(&w);
    fclose(f);
    free(x);
    free(z);
    free(scores);
    return NULL;
}

/*
 * Projects and prints every usable row. Formatting the numbers is most of
 * the work, so two chunks are formatted at once (a second thread), then
 * written in row order: the output is the same bytes as a serial loop.
 */
static void write_rows(const struct nf_pca_model *m, const struct nf_table *t, const size_t *col,
                       const unsigned char *ok)
{
    char spe_lim[32], t2_lim[32];
    struct out_chunk ch[2];
    size_t from, c, i;

    memset(ch, 0, sizeof ch);
    ch[0].m = m;
    ch[0].t = t;
    ch[0].col = col;
    ch[0].ok = ok;
    ch[0].names = nf_xmalloc(m->k * sizeof *ch[0].names);
    for (c = 0; c < m->k; c++)
        snprintf(ch[0].names[c], sizeof ch[0].names[c], "pc%zu", c + 1);
    ch[0].spe_lim = spe_lim;
    ch[0].spe_lim_len = nf_format_double(spe_lim, m->spe_limit);
    ch[0].t2_lim = t2_lim;
    ch[0].t2_lim_len = nf_format_double(t2_lim, m->t2_limit);
    ch[1] = ch[0];

    for (from = 0; from < t->nrows; from += 2 * CHUNK_ROWS) {
        pthread_t helper;
        int threaded;
        for (i = 0; i < 2; i++) {
            ch[i].from = from + i * CHUNK_ROWS < t->nrows ? from + i * CHUNK_ROWS : t->nrows;
            ch[i].to = ch[i].from + CHUNK_ROWS < t->nrows ? ch[i].from + CHUNK_ROWS : t->nrows;
            ch[i].text = NULL;
        }
        threaded = ch[1].from < ch[1].to && pthread_create(&helper, NULL, format_chunk, &ch[1]) == 0;
        format_chunk(&ch[0]);
        if (threaded)
            pthread_join(helper, NULL);
        else if (ch[1].from < ch[1].to)
            format_chunk(&ch[1]);
        for (i = 0; i < 2; i++) {
            if (ch[i].text)
                fwrite(ch[i].text, 1, ch[i].len, stdout);
            free(ch[i].text);
        }
    }
    free(ch[0].names);
}

/* ---- --model: rows projected as they are read ------------------------ */

/*
 * The model's column of each key name met so far (-1: not a model
 * column), tried first at the position after the last hit: rows repeat
 * their key order.
 */
struct colmap {
    char **names;
    long *col;
    size_t n, cap, hint;
};

static long colmap_find(struct colmap *k, const struct nf_pca_model *m, const char *time_key,
                        const char *name)
{
    size_t i = k->hint, j;
    if (i >= k->n || strcmp(k->names[i], name) != 0) {
        for (i = 0; i < k->n && strcmp(k->names[i], name) != 0; i++)
            ;
        if (i == k->n) {
            if (k->n == k->cap) {
                k->cap = k->cap ? 2 * k->cap : 64;
                k->names = nf_xrealloc(k->names, k->cap * sizeof *k->names);
                k->col = nf_xrealloc(k->col, k->cap * sizeof *k->col);
            }
            k->names[i] = nf_xstrdup(name);
            k->col[i] = -1;
            if (strcmp(name, time_key) != 0) /* the time key is never a column */
                for (j = 0; j < m->p; j++)
                    if (strcmp(m->columns[j], name) == 0)
                        k->col[i] = (long)j;
            k->n++;
        }
    }
    k->hint = i + 1;
    return k->col[i];
}

static void colmap_free(struct colmap *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->names[i]);
    free(k->names);
    free(k->col);
}

/* One row being streamed: its model column values and pass-through members. */
struct stream_row {
    double *x;
    struct nf_jw pass;      /* members text only (never written out) */
    size_t *order;          /* model columns in order of first appearance in the input */
    size_t norder;
    unsigned char *seen;    /* [p] met as a number in some row */
};

/* The row as a record again, for --rejects, as the batch path writes it (row_text). */
static char *stream_row_text(const struct stream_row *sr, const struct nf_pca_model *m, size_t *len)
{
    struct nf_jw w;
    char *text = NULL;
    size_t size = 0, i;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        nf_die("out of memory");
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    nf_jw_members(&w, sr->pass.buf, sr->pass.len);
    for (i = 0; i < sr->norder; i++)
        if (!isnan(sr->x[sr->order[i]]))
            nf_jw_double(&w, m->columns[sr->order[i]], sr->x[sr->order[i]]);
    nf_jw_end(&w);
    nf_jw_free(&w);
    fclose(f);
    *len = size;
    return text;
}

/* Splits obj into model column values and pass-through members, as nf_table_read does. */
static void split_row(struct stream_row *sr, const cJSON *obj, struct colmap *keys,
                      const struct nf_pca_model *m, const char *time_key)
{
    const cJSON *item;
    size_t j;
    for (j = 0; j < m->p; j++)
        sr->x[j] = NAN;
    sr->pass.len = 0;
    sr->pass.depth = 0;
    sr->pass.first[0] = 1;
    keys->hint = 0;
    cJSON_ArrayForEach(item, obj)
    {
        long at;
        if (!item->string)
            continue;
        at = cJSON_IsNumber(item) ? colmap_find(keys, m, time_key, item->string) : -1;
        if (at < 0) {
            nf_jw_item(&sr->pass, item->string, item);
            continue;
        }
        sr->x[at] = item->valuedouble;
        if (!sr->seen[at]) {
            sr->seen[at] = 1;
            sr->order[sr->norder++] = (size_t)at;
        }
    }
}

/* Output to a pipe or terminal goes out row by row: the next stage is waiting for it. */
static int output_is_stream(void)
{
    struct stat st;
    return fstat(fileno(stdout), &st) != 0 || !S_ISREG(st.st_mode);
}

/*
 * --model: each row is read, projected and written before the next one is
 * read, so a live feed (nf-features on a collector) gets its scores at
 * once. The rows, rejects and bytes written are those of the batch path
 * (write_rows); only the order of messages on stderr may differ.
 */
static void apply_model_streaming(const struct nf_pca_model *m, const char *time_key,
                                  const char *model_path, char **paths, int npaths,
                                  struct nf_rejects *rej)
{
    struct nf_lines lines;
    struct colmap keys = {0};
    struct stream_row sr;
    struct nf_jw out;
    char spe_lim[32], t2_lim[32], (*names)[24];
    size_t spe_lim_len, t2_lim_len, c, j, nrows = 0;
    double *z, *scores;
    int64_t prev_ms = 0;
    int all_time = 1, warned = 0;
    cJSON *obj;

    memset(&sr, 0, sizeof sr);
    sr.x = nf_xmalloc((m->p + 1) * sizeof *sr.x);
    sr.order = nf_xmalloc((m->p + 1) * sizeof *sr.order);
    sr.seen = nf_xcalloc(m->p + 1, 1);
    nf_jw_init(&sr.pass, NULL);
    z = nf_xmalloc((m->p + 1) * sizeof *z);
    scores = nf_xmalloc((m->k + 1) * sizeof *scores);
    names = nf_xmalloc((m->k + 1) * sizeof *names);
    for (c = 0; c < m->k; c++)
        snprintf(names[c], sizeof names[c], "pc%zu", c + 1);
    spe_lim_len = nf_format_double(spe_lim, m->spe_limit);
    t2_lim_len = nf_format_double(t2_lim, m->t2_limit);
    nf_jw_init(&out, stdout);
    out.flush_each = output_is_stream();

    nf_lines_init(&lines, paths, npaths);
    nf_scratch_begin(); /* each row's tree dies before the next is read */
    while ((obj = nf_rec_next(&lines, rej)) != NULL) {
        double spe, t2;
        const char *why = NULL;
        int64_t ms = 0;
        int tr = nf_table_row_time(obj, time_key, &ms);
        if (tr < 0) {
            char *raw = cJSON_PrintUnformatted(obj);
            nf_reject(rej, lines.name, lines.lineno, raw, raw ? strlen(raw) : 0,
                      "%s: not a time (epoch ms or text)", time_key);
            cJSON_free(raw);
            cJSON_Delete(obj);
            continue;
        }
        if (tr == 0) {
            all_time = 0;
        } else if (all_time && nrows > 0 && ms < prev_ms && !warned) {
            char text[NF_ORDER_TEXT];
            nf_warn_at(lines.name, lines.lineno, "%s",
                       nf_order_text(text, sizeof text, time_key, ms, "the row before", prev_ms,
                                     "rows are kept in input order (the first such row named)"));
            warned = 1;
        }
        prev_ms = ms;
        nrows++;
        split_row(&sr, obj, &keys, m, time_key);
        j = unusable_column(m, sr.x, &why);
        if (j < m->p) {
            size_t len;
            char *raw = stream_row_text(&sr, m, &len);
            nf_reject(rej, lines.name, lines.lineno, raw, len, "%s: %s", m->columns[j], why);
            free(raw);
            cJSON_Delete(obj);
            continue;
        }
        nf_pca_project(m, sr.x, NULL, scores, z, &spe, &t2);
        nf_jw_begin(&out);
        nf_jw_members(&out, sr.pass.buf, sr.pass.len);
        for (c = 0; c < m->k; c++)
            nf_jw_double(&out, names[c], scores[c]);
        nf_jw_double(&out, "spe", spe);
        nf_jw_double(&out, "t2", t2);
        nf_jw_raw(&out, "spe_limit", spe_lim, spe_lim_len);
        nf_jw_raw(&out, "t2_limit", t2_lim, t2_lim_len);
        nf_jw_bool(&out, "spe_flag", spe > m->spe_limit);
        nf_jw_bool(&out, "t2_flag", t2 > m->t2_limit);
        nf_jw_end(&out);
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    nf_lines_free(&lines);
    nf_jw_free(&out);
    /* the batch path's check, made once every row has been seen */
    for (j = 0; j < m->p && nrows > 0; j++)
        if (!sr.seen[j])
            nf_die("the input has no column %s of model %s", m->columns[j], model_path);
    colmap_free(&keys);
    free(sr.x);
    free(sr.order);
    free(sr.seen);
    free(sr.pass.buf);
    free(z);
    free(scores);
    free(names);
}

int main(int argc, char **argv)
{
    /*
     * Static, so that what they point to stays reachable when a data error
     * exits from the middle (LeakSanitizer then has nothing to report).
     */
    static struct options o;
    static struct nf_table_opts topts;
    static struct nf_table t;
    static struct nf_lines lines;
    static struct nf_rejects rej;
    static struct nf_pca_model m;
    static char *model_time_key;
    static size_t *col;
    static unsigned char *ok, *fit;
    size_t nusable, nfit = 0, j, first;

    nf_tool_init(argc, argv);
    /* GSL's default handler aborts; pca.c checks what it gets back instead. */
    gsl_set_error_handler_off();
    parse_options(argc, argv, &o);
    rej.strict = o.strict;
    rej.verbose = o.verbose;
    if (o.rejects)
        nf_rejects_open(&rej, o.rejects);

    if (o.model) {
        nf_pca_model_load(&m, &model_time_key, o.model);
        if (o.alpha > 0 && o.alpha != m.alpha) {
            m.alpha = o.alpha;
            set_limits(&m);
        }
        apply_model_streaming(&m, o.time_key ? o.time_key : model_time_key, o.model,
                              argv + optind, argc - optind, &rej);
        nf_rejects_finish(&rej, "records");
        nf_pca_model_free(&m);
        free(model_time_key);
        nf_finish_stdout();
        return 0;
    }
    topts.time_key = o.time_key;
    if (o.columns)
        topts.columns = nf_split_list(o.columns, &topts.ncolumns);
    if (o.exclude)
        topts.exclude = nf_split_list(o.exclude, &topts.nexclude);

    nf_lines_init(&lines, argv + optind, argc - optind);
    topts.roles = NF_ROLES_FEATURES;
    nf_table_read(&t, &lines, &topts, &rej);
    nf_lines_free(&lines);
    nf_table_require_rows(&t, &rej);
    nf_table_say_columns(&t);

    first = nf_table_first_disorder(&t);
    if (first > 0) {
        char text[NF_ORDER_TEXT];
        nf_warn_at(t.source, t.lineno[first], "%s",
                   nf_order_text(text, sizeof text, t.time_key, t.time[first], "the row before",
                                 t.time[first - 1],
                                 o.fit_rows ? "rows are kept in input order (the first such row named), "
                                              "and --fit-rows counts rows in input order"
                                            : "rows are kept in input order (the first such row named)"));
    }

    if (t.nrows > 0 && t.ncols == 0)
        nf_die("no numeric columns to analyse in the input");
    m.p = t.ncols;
    m.columns = nf_xmalloc((m.p ? m.p : 1) * sizeof *m.columns);
    col = nf_xmalloc((m.p ? m.p : 1) * sizeof *col);
    for (j = 0; j < m.p; j++) {
        m.columns[j] = nf_xstrdup(t.colnames[j]);
        col[j] = j;
    }
    if (o.log1p) {
        m.log1p = nf_xmalloc(m.p ? m.p : 1);
        if (transform_choose_log1p(m.columns, m.p, m.log1p) == 0) {
            nf_warn("--transform log1p: no count feature among the %zu columns, nothing transformed", m.p);
            free(m.log1p);
            m.log1p = NULL;
        }
    }

    ok = nf_xmalloc(t.nrows + 1);
    fit = nf_xmalloc(t.nrows + 1);
    nusable = t.nrows > 0 ? usable_rows(&t, &m, col, &rej, ok) : 0;

    if (t.nrows > 0 || o.save_model) {
        nfit = choose_fit_rows(&t, &o, ok, nusable, fit);
        if (nfit < 2)
            nf_die("%zu usable fit row%s: PCA needs at least 2", nfit, nfit == 1 ? "" : "s");
        fit_model(&m, &t, col, fit, nfit, &o);
        set_limits(&m);
        if (o.save_model)
            nf_pca_model_save(&m, t.time_key, o.save_model);
    }

    if (nusable > 0)
        write_rows(&m, &t, col, ok);

    nf_rejects_finish(&rej, "records");
    free(ok);
    free(fit);
    free(col);
    nf_pca_model_free(&m);
    free(model_time_key);
    nf_free_list(topts.columns, topts.ncolumns);
    nf_free_list(topts.exclude, topts.nexclude);
    nf_table_free(&t);
    nf_finish_stdout();
    return 0;
}
