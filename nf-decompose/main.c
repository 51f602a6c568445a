/*
 * nf-decompose - STL decomposition (R's stats::stl) of every selected
 * numeric column of an NDJSON series into trend, seasonal and remainder.
 *
 * The whole series is read into memory (lib/table.h), each column is
 * checked (complete, in time order, longer than two periods) and
 * decomposed independently, then every row is written with its
 * pass-through members first and <col>_trend, <col>_seasonal,
 * <col>_remainder after them. See docs/nf-decompose.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "order.h"
#include "jsonw.h"
#include "opt.h"
#include "rec.h"
#include "apply.h"
#include "season.h"
#include "stl.h"
#include "table.h"

/* Components, in output order; adjusted = trend + remainder = the seasonally adjusted series. */
enum { KEEP_TREND = 1, KEEP_SEASONAL = 2, KEEP_REMAINDER = 4, KEEP_ADJUSTED = 8 };
#define NCOMP 4
enum { NA_FAIL, NA_INTERPOLATE };

struct config {
    struct stl_opts stl;
    int trend_only;       /* --period none */
    int64_t period_ms;    /* --period DURATION, resolved against the time spacing */
    int keep;             /* KEEP_* bits */
    int keep_given;
    int na;
    struct nf_table_opts table;
    const char *save_model, *model; /* --save-model, --model FILE */
};

#define SHORTOPTS "t:c:x:hvV" /* getopt_long and nf_opt_bad */

static void usage(void)
{
    printf("Usage: nf-decompose --period N|DURATION|none [OPTIONS] [FILE...]\n"
           "STL decomposition (R stats::stl) of each numeric column of an NDJSON series.\n"
           "Writes pass-through keys, then <col>_trend, <col>_seasonal, <col>_remainder.\n"
           "\n"
           "  --period N|DURATION|none  points per cycle (288), or a duration (1d, 12h)\n"
           "                        divided by the time key spacing, or none: trend only\n"
           "  --s-window N|periodic seasonal loess window (default periodic)\n"
           "  --s-degree 0|1        seasonal local degree (default 0)\n"
           "  --t-window N          trend window (default R's nextodd(ceiling(1.5 period /\n"
           "                        (1 - 1.5 / s.window))); with --period none: nextodd(0.75 n))\n"
           "  --t-degree 0|1        trend local degree (default 1)\n"
           "  --l-window N          low-pass window (default nextodd(period))\n"
           "  --l-degree 0|1        low-pass local degree (default t-degree)\n"
           "  --s-jump N, --t-jump N, --l-jump N   fit every N points (default ceiling(window/10))\n"
           "  --inner N             inner iterations (default 2, 1 with --robust)\n"
           "  --outer N             robustness iterations (default 0, 15 with --robust)\n"
           "  --robust              robust fitting (bisquare weights of the remainder)\n"
           "  --median r|exact      robustness scale: R's stl.f median (default) or the\n"
           "                        exact median (statsmodels; differs for even n)\n"
           "  --keep LIST           components to write: trend,seasonal,remainder (default)\n"
           "                        and adjusted (trend + remainder: seasonally adjusted)\n"
           "  --na fail|interpolate missing values: error (default, as R) or linear fill\n"
           "  -t, --time-key KEY    time key (default WINDOW_START)\n"
           "  -c, --columns GLOBS   columns to decompose (default all numeric)\n"
           "  -x, --exclude GLOBS   columns to leave out\n"
           "  --save-model FILE     save each column's seasonal profile (by time in the cycle)\n"
           "  --model FILE          subtract a saved profile from each row as it arrives\n"
           "                        (streams; writes <col>_adjusted, or what --keep names)\n"
           "  --rejects FILE        copy unreadable input lines to FILE\n"
           "  -v, --verbose         every bad-record message (default: the first 20)\n"
           "  --strict              stop at the first unreadable line\n"
           "  -h, --help, -V, --version\n");
    nf_finish_stdout();
    exit(0);
}

static int degree_arg(const char *opt, const char *text)
{
    return (int)nf_opt_u64(opt, text, 0, 1);
}

static long window_arg(const char *opt, const char *text)
{
    return (long)nf_opt_u64(opt, text, 1, 1000000000);
}

static void period_arg(struct config *c, const char *text)
{
    size_t len = strlen(text);
    uint64_t v;
    if (strcmp(text, "none") == 0) {
        c->trend_only = 1;
    } else if (nf_parse_u64(text, &v) == 0) {
        if (v < 2 || v > 100000000)
            nf_usage_error("--period: '%s' must be at least 2 points (or a duration, or none)",
                           text);
        c->stl.period = (long)v;
    } else if (len > 1 && strchr("smhdw", text[len - 1])) {
        c->period_ms = nf_opt_seconds("--period", text) * 1000;
        if (c->period_ms <= 0)
            nf_usage_error("--period: '%s' must be a positive duration", text);
    } else {
        nf_usage_error("--period: '%s' is not a number of points, a duration (1d, 12h) or none",
                       text);
    }
}

static int keep_arg(const char *text)
{
    size_t n, i;
    char **list = nf_split_list(text, &n);
    int keep = 0;
    for (i = 0; i < n; i++) {
        if (strcmp(list[i], "trend") == 0)
            keep |= KEEP_TREND;
        else if (strcmp(list[i], "seasonal") == 0)
            keep |= KEEP_SEASONAL;
        else if (strcmp(list[i], "remainder") == 0)
            keep |= KEEP_REMAINDER;
        else if (strcmp(list[i], "adjusted") == 0)
            keep |= KEEP_ADJUSTED;
        else
            nf_usage_error("--keep: unknown component '%s' (trend, seasonal, remainder, adjusted)",
                           list[i]);
    }
    nf_free_list(list, n);
    if (!keep)
        nf_usage_error("--keep: name at least one of trend, seasonal, remainder, adjusted");
    return keep;
}

/* --period DURATION: the rows must be evenly spaced and the duration a whole number of steps. */
static long period_from_spacing(const struct nf_table *t, int64_t period_ms)
{
    int64_t step;
    size_t r;
    if (!t->has_time)
        nf_die("--period %lld s needs the time key '%s' in every row",
               (long long)(period_ms / 1000), t->time_key);
    if (t->nrows < 2)
        nf_die("%s: --period as a duration needs at least two rows to read the spacing",
               t->source);
    step = t->time[1] - t->time[0];
    for (r = 1; r < t->nrows; r++)
        if (t->time[r] - t->time[r - 1] != step || step <= 0)
            nf_die("%s:%llu: irregular time spacing (%s step %lld ms, first step %lld ms): "
                   "--period as a duration needs evenly spaced rows; give --period N",
                   t->source, (unsigned long long)t->lineno[r], t->time_key,
                   (long long)(t->time[r] - t->time[r - 1]), (long long)step);
    if (period_ms % step != 0)
        nf_die("--period: %lld ms is not a whole number of %lld ms steps",
               (long long)period_ms, (long long)step);
    if (period_ms / step < 2)
        nf_die("--period: %lld ms is fewer than two %lld ms steps", (long long)period_ms,
               (long long)step);
    return (long)(period_ms / step);
}

/*
 * Copies column col into y; a missing value is an error naming its row,
 * or with --na interpolate a straight line between the nearest values
 * (the nearest value at either end).
 */
static void column_values(const struct nf_table *t, size_t col, int na, double *y)
{
    size_t r, n = t->nrows, last = (size_t)-1;
    for (r = 0; r < n; r++) {
        y[r] = nf_table_at(t, r, col);
        if (isfinite(y[r]))
            continue;
        if (na == NA_FAIL)
            nf_die("%s:%llu: column '%s' is missing or not a number; STL needs a complete "
                   "series (as R's na.fail; --na interpolate fills gaps)",
                   t->source, (unsigned long long)t->lineno[r], t->colnames[col]);
    }
    if (na == NA_FAIL)
        return;
    for (r = 0; r < n; r++) {
        size_t i;
        if (!isfinite(y[r]))
            continue;
        if (last == (size_t)-1) {
            for (i = 0; i < r; i++)
                y[i] = y[r];
        } else {
            for (i = last + 1; i < r; i++)
                y[i] = y[last] + (y[r] - y[last]) * (double)(i - last) / (double)(r - last);
        }
        last = r;
    }
    if (last == (size_t)-1)
        nf_die("column '%s' has no numeric value to interpolate from", t->colnames[col]);
    for (r = last + 1; r < n; r++)
        y[r] = y[last];
}

/*
 * Decomposes column col into out[0] trend, out[1] seasonal, out[2]
 * remainder (out[1] untouched with --period none); y is scratch of nrows.
 */
static void decompose_column(const struct config *c, const struct nf_table *t, size_t col,
                             double *y, double **out)
{
    size_t r, n = t->nrows;
    column_values(t, col, c->na, y);
    if (c->trend_only) {
        long tw = c->stl.t_window ? c->stl.t_window : stl_nextodd(ceil(0.75 * (double)n));
        long tj = c->stl.t_jump ? c->stl.t_jump : (long)ceil((double)tw / 10.0);
        int outer = c->stl.outer >= 0 ? c->stl.outer : (c->stl.robust ? 15 : 0);
        stl_trend_only(y, n, tw, c->stl.t_degree, tj, outer, c->stl.true_median, out[0],
                       out[2], NULL);
    } else {
        struct stl_opts o = c->stl;
        if (n <= 2 * (size_t)o.period)
            nf_die("column '%s': %zu points is not more than two periods of %ld; STL "
                   "needs more than 2 x period points (or --period none for a trend only)",
                   t->colnames[col], n, o.period);
        stl_resolve(&o, n);
        stl_decompose(y, n, &o, out[0], out[1], out[2], NULL);
    }
    for (r = 0; r < n; r++)
        if (!isfinite(out[0][r]) || !isfinite(out[2][r]))
            nf_die("column '%s': the decomposition overflowed (values near the double "
                   "range); rescale the column",
                   t->colnames[col]);
}

static char *key_name(const char *col, const char *suffix)
{
    size_t a = strlen(col), b = strlen(suffix);
    char *k = nf_xmalloc(a + b + 1);
    memcpy(k, col, a);
    memcpy(k + a, suffix, b + 1);
    return k;
}

/*
 * --save-model: the spacing of the (evenly spaced) rows is the model's
 * step, the first row's time its origin; each column's profile is the mean
 * seasonal at each position (season.c).
 */
static void save_season(const struct config *c, const struct nf_table *t, double **comp)
{
    struct nf_season_model m = {0};
    size_t col;
    if (t->nrows == 0)
        nf_die("--save-model: no rows to fit a season from");
    if (!t->has_time)
        nf_die("--save-model: the season is saved by time; every row needs the time key '%s'",
               t->time_key);
    m.step_ms = t->nrows > 1 ? t->time[1] - t->time[0] : 0;
    if (period_from_spacing(t, m.step_ms * c->stl.period) != c->stl.period)
        nf_die("--save-model: the rows are not evenly spaced");
    m.time_key = nf_xstrdup(t->time_key);
    m.period = c->stl.period;
    m.origin_ms = t->time[0];
    m.robust = c->stl.robust;
    m.ncols = t->ncols;
    m.cols = nf_xcalloc(t->ncols, sizeof *m.cols);
    for (col = 0; col < t->ncols; col++) {
        m.cols[col].name = nf_xstrdup(t->colnames[col]);
        nf_season_fit_col(&m, &m.cols[col], t->time, comp[NCOMP * col + 1],
                          comp[NCOMP * col + 2], t->nrows);
    }
    nf_season_save(&m, c->save_model);
    nf_season_free(&m);
}

static void check_options(struct config *c)
{
    if (c->model) {
        if (c->save_model || c->stl.period || c->period_ms || c->trend_only)
            nf_usage_error("--model applies a saved season: it takes no --period or --save-model");
        if (c->keep_given && (c->keep & (KEEP_TREND | KEEP_REMAINDER)))
            nf_usage_error("--keep: with --model only seasonal and adjusted exist "
                           "(a saved season has no trend)");
        if (!c->keep_given)
            c->keep = KEEP_ADJUSTED;
        return;
    }
    if (c->save_model && c->trend_only)
        nf_usage_error("--save-model saves a season: it needs a --period other than none");
    if (!c->trend_only && c->stl.period == 0 && c->period_ms == 0)
        nf_usage_error("--period is required (points per cycle, a duration such as 1d, or none)");
    if (c->trend_only) {
        if (c->keep_given && (c->keep & KEEP_SEASONAL))
            nf_usage_error("--keep seasonal: there is no seasonal part with --period none");
        if (!c->keep_given)
            c->keep = KEEP_TREND | KEEP_REMAINDER;
    }
}

int main(int argc, char **argv)
{
    enum {
        O_PERIOD = 256, O_SWIN, O_SDEG, O_TWIN, O_TDEG, O_LWIN, O_LDEG, O_SJUMP, O_TJUMP,
        O_LJUMP, O_INNER, O_OUTER, O_ROBUST, O_KEEP, O_NA,
        O_REJECTS, O_STRICT, O_HELP, O_VERSION, O_MEDIAN, O_SAVE_MODEL, O_MODEL
    };
    static const struct option longopts[] = {
        {"period", required_argument, NULL, O_PERIOD},
        {"s-window", required_argument, NULL, O_SWIN},
        {"s-degree", required_argument, NULL, O_SDEG},
        {"t-window", required_argument, NULL, O_TWIN},
        {"t-degree", required_argument, NULL, O_TDEG},
        {"l-window", required_argument, NULL, O_LWIN},
        {"l-degree", required_argument, NULL, O_LDEG},
        {"s-jump", required_argument, NULL, O_SJUMP},
        {"t-jump", required_argument, NULL, O_TJUMP},
        {"l-jump", required_argument, NULL, O_LJUMP},
        {"inner", required_argument, NULL, O_INNER},
        {"outer", required_argument, NULL, O_OUTER},
        {"robust", no_argument, NULL, O_ROBUST},
        {"keep", required_argument, NULL, O_KEEP},
        {"na", required_argument, NULL, O_NA},
        {"median", required_argument, NULL, O_MEDIAN},
        {"time-key", required_argument, NULL, 't'},
        {"columns", required_argument, NULL, 'c'},
        {"exclude", required_argument, NULL, 'x'},
        {"save-model", required_argument, NULL, O_SAVE_MODEL},
        {"model", required_argument, NULL, O_MODEL},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, O_HELP},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    struct config c;
    struct nf_rejects rej = {0};
    struct nf_lines lines;
    struct nf_table t;
    struct nf_jw w;
    double *y = NULL, **comp = NULL;
    char **keys = NULL;
    size_t col, r, nkeys;
    int opt, k;
    static const char *const suffix[NCOMP] = {"_trend", "_seasonal", "_remainder", "_adjusted"};

    nf_tool_init(argc, argv);
    memset(&c, 0, sizeof c);
    c.stl.periodic = 1;
    c.stl.t_degree = 1;
    c.stl.l_degree = -1;
    c.stl.inner = -1;
    c.stl.outer = -1;
    c.keep = KEEP_TREND | KEEP_SEASONAL | KEEP_REMAINDER;
    c.na = NA_FAIL;
    while ((opt = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (opt) {
        case O_PERIOD: period_arg(&c, optarg); break;
        case O_SWIN:
            if (strcmp(optarg, "periodic") == 0) {
                c.stl.periodic = 1;
            } else {
                c.stl.periodic = 0;
                /* Below 3 R's default t.window turns negative; stl.f raises it to 3 anyway. */
                c.stl.s_window = (long)nf_opt_u64("--s-window", optarg, 3, 1000000000);
            }
            break;
        case O_SDEG: c.stl.s_degree = degree_arg("--s-degree", optarg); break;
        case O_TWIN: c.stl.t_window = window_arg("--t-window", optarg); break;
        case O_TDEG: c.stl.t_degree = degree_arg("--t-degree", optarg); break;
        case O_LWIN: c.stl.l_window = window_arg("--l-window", optarg); break;
        case O_LDEG: c.stl.l_degree = degree_arg("--l-degree", optarg); break;
        case O_SJUMP: c.stl.s_jump = window_arg("--s-jump", optarg); break;
        case O_TJUMP: c.stl.t_jump = window_arg("--t-jump", optarg); break;
        case O_LJUMP: c.stl.l_jump = window_arg("--l-jump", optarg); break;
        case O_INNER: c.stl.inner = (int)nf_opt_u64("--inner", optarg, 1, 1000); break;
        case O_OUTER: c.stl.outer = (int)nf_opt_u64("--outer", optarg, 0, 1000); break;
        case O_ROBUST: c.stl.robust = 1; break;
        case O_KEEP:
            c.keep = keep_arg(optarg);
            c.keep_given = 1;
            break;
        case O_NA:
            if (strcmp(optarg, "fail") == 0)
                c.na = NA_FAIL;
            else if (strcmp(optarg, "interpolate") == 0)
                c.na = NA_INTERPOLATE;
            else
                nf_usage_error("--na: '%s' is not fail or interpolate", optarg);
            break;
        case O_MEDIAN:
            if (strcmp(optarg, "r") == 0)
                c.stl.true_median = 0;
            else if (strcmp(optarg, "exact") == 0)
                c.stl.true_median = 1;
            else
                nf_usage_error("--median: '%s' is not r or exact", optarg);
            break;
        case 't': c.table.time_key = optarg; break;
        case 'c': c.table.columns = nf_split_list(optarg, &c.table.ncolumns); break;
        case 'x': c.table.exclude = nf_split_list(optarg, &c.table.nexclude); break;
        case O_SAVE_MODEL: c.save_model = optarg; break;
        case O_MODEL: c.model = optarg; break;
        case O_REJECTS: nf_rejects_open(&rej, optarg); break;
        case O_STRICT: rej.strict = 1; break;
        case 'v': rej.verbose = 1; break;
        case 'h': case O_HELP: usage(); break;
        case 'V': case O_VERSION: nf_print_version(); break;
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    check_options(&c);
    if (c.model) {
        struct nf_season_model m;
        nf_season_load(&m, c.model);
        nf_season_apply(&m, c.table.time_key ? c.table.time_key : m.time_key,
                        (c.keep & KEEP_SEASONAL) != 0, (c.keep & KEEP_ADJUSTED) != 0,
                        argv + optind, argc - optind, &rej);
        nf_rejects_finish(&rej, "lines");
        nf_season_free(&m);
        nf_free_list(c.table.columns, c.table.ncolumns);
        nf_free_list(c.table.exclude, c.table.nexclude);
        nf_finish_stdout();
        return 0;
    }

    nf_lines_init(&lines, argv + optind, argc - optind);
    c.table.roles = NF_ROLES_SEASONAL;
    nf_table_read(&t, &lines, &c.table, &rej);
    nf_lines_free(&lines);
    nf_rejects_finish(&rej, "records");
    nf_table_require_rows(&t, &rej);
    nf_table_say_columns(&t);

    if (t.nrows > 0) {
        size_t bad = nf_table_first_disorder(&t);
        if (bad) {
            char text[NF_ORDER_TEXT];
            nf_die_at(t.source, t.lineno[bad], "%s",
                      nf_order_text(text, sizeof text, t.time_key, t.time[bad], "the row before",
                                    t.time[bad - 1], "sort the input by time"));
        }
        if (t.ncols == 0)
            nf_die("%s: no numeric column to decompose", t.source);
        if (c.period_ms)
            c.stl.period = period_from_spacing(&t, c.period_ms);
    }

    /* Decompose each column into comp[NCOMP * col + component]. */
    nkeys = NCOMP * t.ncols;
    comp = nf_xcalloc(nkeys + 1, sizeof *comp);
    keys = nf_xcalloc(nkeys + 1, sizeof *keys);
    y = nf_xmalloc((t.nrows + 1) * sizeof *y);
    for (col = 0; col < t.ncols && t.nrows > 0; col++) {
        double **out = comp + NCOMP * col;
        for (k = 0; k < NCOMP; k++) {
            out[k] = nf_xcalloc(t.nrows, sizeof **out);
            keys[NCOMP * col + k] = key_name(t.colnames[col], suffix[k]);
        }
        decompose_column(&c, &t, col, y, out);
        for (r = 0; r < t.nrows; r++)
            out[3][r] = out[0][r] + out[2][r];
    }

    if (c.save_model)
        save_season(&c, &t, comp);
    nf_jw_init(&w, stdout);
    for (r = 0; r < t.nrows; r++) {
        nf_jw_begin(&w);
        nf_jw_members(&w, t.pass[r], t.pass_len[r]);
        for (col = 0; col < t.ncols; col++)
            for (k = 0; k < NCOMP; k++)
                if (c.keep & (1 << k))
                    nf_jw_double(&w, keys[NCOMP * col + k], comp[NCOMP * col + k][r]);
        nf_jw_end(&w);
    }
    nf_jw_free(&w);

    for (r = 0; r < nkeys; r++) {
        free(comp[r]);
        free(keys[r]);
    }
    free(comp);
    free(keys);
    free(y);
    nf_table_free(&t);
    nf_free_list(c.table.columns, c.table.ncolumns);
    nf_free_list(c.table.exclude, c.table.nexclude);
    nf_finish_stdout();
    return 0;
}
