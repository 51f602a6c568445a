/*
 * nf-pelt - change points of numeric NDJSON series by PELT (exact, with a
 * minimum segment length), per column or jointly, with R changepoint's
 * costs and penalties, CROPS over a penalty range, or every row annotated
 * with its segment number. See docs/nf-pelt.md.
 */
#include "ar1.h"
#include "cost.h"
#include "crops.h"
#include "err.h"
#include "order.h"
#include "events.h"
#include "jsonw.h"
#include "ntime.h"
#include "baseline.h"
#include "online.h"
#include "opt.h"
#include "pelt.h"
#include "penalty.h"
#include "rec.h"
#include "sparse.h"
#include "table.h"

#include <getopt.h>
#include <math.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

/* --period-test: N rows, or a duration matched against the time key. */
struct period {
    size_t rows;
    int64_t ms;
};

enum sigma_mode { SIGMA_AR1, SIGMA_AUTO, SIGMA_DIFF, SIGMA_FIXED }; /* SIGMA_AR1 = 0: the default */

struct config {
    struct nf_table_opts topts;
    const struct nf_cost_kind *kind;
    struct nf_penalty pen;
    size_t minseg;          /* 0 = the cost kind's default */
    enum sigma_mode sigma_mode;
    double sigma;           /* SIGMA_FIXED */
    size_t sigma_block;     /* 0 = automatic */
    int crops;
    double crops_min, crops_max;
    int joint, annotate, verbose;
    int events;             /* --events: one record per event */
    size_t event_gap;       /* --event-gap: rows between change points of one event */
    size_t lasting;         /* --lasting: changes undone within this many rows are dropped */
    double min_score;       /* --min-score: events with a lower score are dropped (0: none) */
    int median_score;       /* --median-score: --min-score applies to the median score too */
    int sparse;             /* --sparse: with --joint, also changes in a few of the columns */
    struct period period_test; /* --period-test P: a step must be seen one period away (0 and 0: off) */
    enum nf_pruning pruning;
    int brute_force;        /* --method op */
    int online;             /* --online */
    size_t online_window;   /* --online-window W */
    size_t confirm;         /* --confirm N (0 = 2 x --min-seg-len) */
    size_t max_delay;       /* --max-delay N (0: report every change) */
    size_t relearn;         /* --relearn N (SIZE_MAX = not given: 0) */
    int64_t relearn_period_ms; /* --relearn-period DURATION (-1 = 1d) */
    const char *save_baseline, *baseline; /* --save-baseline, --baseline FILE */
    int64_t report_since_ms;  /* --report-since TIME */
    int report_since_given;
    int pen_given, cost_given, sigma_given;
};

/* One segmentation problem: a group of columns (one, or all with --joint). */
struct group {
    size_t *cols, d;
    double *sigma;          /* [d] scale each column was divided by */
    double *rho;            /* [d] --sigma ar1: the residuals' lag-1 autocorrelation, else NULL */
    double *start;          /* [d] --sigma ar1: the scale it started from */
    int runs;               /* --sigma ar1: segmentations run to find sigma */
    double pen;
    struct nf_segdata sd;
    struct nf_seg_result res;
    struct nf_crops crops;
    /*
     * --sparse: a second view of the joint group (sharing its data) whose
     * change points are the joint ones and the changes of a few columns
     * (sparse.h) within its segments, marked 1 in sparse[res.ncpts]. The
     * joint group itself stays as PELT left it, so its events do not move.
     */
    unsigned char *sparse;  /* NULL in every other group */
    double alpha, beta;     /* what each moved column and the change pay */
};

#define SHORTOPTS "t:c:x:p:m:s:jaevhV" /* getopt_long and nf_opt_bad */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: %s [options] [FILE...]\n"
            "Change points of numeric NDJSON series by PELT (exact optimal segmentation).\n"
            "\n"
            "  -t, --time-key KEY      time key (default WINDOW_START)\n"
            "  -c, --columns GLOBS     columns to segment, comma-separated globs (default all numeric)\n"
            "  -x, --exclude GLOBS     columns to leave out, comma-separated globs\n"
            "      --cost KIND         mean (default), meanvar, poisson\n"
            "  -p, --penalty P         MBIC (default), BIC, SIC, AIC, HQ, or a value per change point\n"
            "  -m, --min-seg-len N     minimum segment length (default 1; 2 for meanvar, poisson)\n"
            "  -s, --sigma S           noise scale the mean cost divides by: ar1 (default: the AR(1)\n"
            "                          long-run SD of the residuals, re-estimated until the segmentation\n"
            "                          repeats), auto (robust block estimate, the pipeline's), diff, or a\n"
            "                          number (--sigma 1 is R changepoint's unit-variance cost)\n"
            "      --sigma-block B     block length for --sigma auto (default sqrt(n))\n"
            "      --crops MIN,MAX     every optimal segmentation for penalties in [MIN, MAX]\n"
            "      --pruning P         exact (default: PELT plus functional pruning, the optimum),\n"
            "                          pelt (PELT's inequality alone, the optimum), or r (R changepoint's\n"
            "                          pruning, which can miss the optimum with MBIC; reproduces R)\n"
            "      --method M          pelt (default) or op (brute-force Optimal Partitioning, O(n^2))\n"
            "  -j, --joint             one segmentation for all columns (costs summed)\n"
            "      --sparse            with --joint: also changes in a few of the columns, searched\n"
            "                          within each joint segment (a column counts by what its cost\n"
            "                          reduction exceeds 2 log d; the change by what the counted\n"
            "                          columns exceed the penalty of one column)\n"
            "  -a, --annotate          pass every row through with its segment number\n"
            "      --online            confirm change points as rows arrive (bounded memory)\n"
            "      --online-window W   rows segmented at each step with --online (default 288)\n"
            "      --confirm N         --online: report a change once its new segment has lasted\n"
            "                          N rows (default 2 x --min-seg-len)\n"
            "      --max-delay N       --online: a change first confirmed more than N rows after it\n"
            "                          began is a drift, not a step: counted, not reported\n"
            "                          (default 0: report it; nfshift watch: 3 x --confirm)\n"
            "      --relearn N         --online: after a reported change, N rows learn the new\n"
            "                          segment's noise scale before the next report (default 0:\n"
            "                          keep the first scale; nfshift watch: 288)\n"
            "      --relearn-period P  --online: learned rows that span P (default 1d; 0: never) also\n"
            "                          give the new segment's profile over P, which later rows are\n"
            "                          measured against\n"
            "      --save-baseline FILE  save each column's noise scale and centre, the cost and\n"
            "                          the penalty (batch path over a quiet period)\n"
            "      --baseline FILE     --online: columns, scales, cost and penalty from FILE\n"
            "      --report-since TIME --online: a change confirmed at a row before TIME (ISO UTC\n"
            "                          or epoch ms) is counted, not written: the rows of an earlier\n"
            "                          run bring the state up to where it stopped\n"
            "  -e, --events            one record per event: change points of all columns at most\n"
            "                          --event-gap rows apart, with the columns that moved and a score\n"
            "      --event-gap N       rows between neighbouring change points of one event (default 2)\n"
            "      --lasting N         with --events: leave out changes undone within N rows (excursions;\n"
            "                          default 0: keep all)\n"
            "      --min-score S       with --events: leave out events whose score is below S (default 0)\n"
            "      --median-score      with --min-score: leave out events whose median score (the same\n"
            "                          with segment medians for means) is below S too\n"
            "      --period-test P     with --events: leave out events whose step is not seen against\n"
            "                          the same time of the cycle P away (a duration such as 1d): the\n"
            "                          new level against P earlier, or the old one against P later,\n"
            "                          differs by less than half the step (default: no test)\n"
            "  -v, --verbose           per column: sigma, penalty, change points, work done,\n"
            "                          and every bad-record message (stderr)\n"
            "      --rejects FILE      write unreadable input lines to FILE\n"
            "      --strict            stop at the first unreadable line\n"
            "  -h, --help              this text\n"
            "  -V, --version           version\n",
            nf_progname());
}

static void parse_crops(const char *text, struct config *cfg)
{
    char *copy = nf_xstrdup(text), *comma = strchr(copy, ',');
    if (!comma)
        nf_usage_error("--crops: expected MIN,MAX, got '%s'", text);
    *comma = '\0';
    cfg->crops_min = nf_opt_double("--crops", copy, 0, 1e300);
    cfg->crops_max = nf_opt_double("--crops", comma + 1, 0, 1e300);
    free(copy);
    if (!(cfg->crops_min < cfg->crops_max))
        nf_usage_error("--crops: MIN must be below MAX ('%s')", text);
    cfg->crops = 1;
}

static void parse_sigma(const char *text, struct config *cfg)
{
    if (strcmp(text, "ar1") == 0) {
        cfg->sigma_mode = SIGMA_AR1;
    } else if (strcmp(text, "auto") == 0) {
        cfg->sigma_mode = SIGMA_AUTO;
    } else if (strcmp(text, "diff") == 0) {
        cfg->sigma_mode = SIGMA_DIFF;
    } else {
        cfg->sigma_mode = SIGMA_FIXED;
        cfg->sigma = nf_opt_double("--sigma", text, 0, 1e300);
        if (!(cfg->sigma > 0))
            nf_usage_error("--sigma: must be above 0, got '%s'", text);
    }
}

static void parse_options(int argc, char **argv, struct config *cfg, struct nf_rejects *rej)
{
    enum { OPT_COST = 256, OPT_BLOCK, OPT_CROPS, OPT_PRUNING, OPT_METHOD, OPT_REJECTS, OPT_STRICT,
           OPT_EVENT_GAP, OPT_LASTING, OPT_MIN_SCORE, OPT_ONLINE, OPT_ONLINE_WINDOW, OPT_CONFIRM, OPT_MAX_DELAY,
           OPT_SAVE_BASELINE, OPT_BASELINE, OPT_RELEARN, OPT_RELEARN_PERIOD, OPT_MEDIAN_SCORE,
           OPT_PERIOD_TEST, OPT_SPARSE, OPT_REPORT_SINCE };
    static const struct option longopts[] = {
        {"time-key", required_argument, NULL, 't'},
        {"columns", required_argument, NULL, 'c'},
        {"exclude", required_argument, NULL, 'x'},
        {"cost", required_argument, NULL, OPT_COST},
        {"penalty", required_argument, NULL, 'p'},
        {"min-seg-len", required_argument, NULL, 'm'},
        {"sigma", required_argument, NULL, 's'},
        {"sigma-block", required_argument, NULL, OPT_BLOCK},
        {"crops", required_argument, NULL, OPT_CROPS},
        {"pruning", required_argument, NULL, OPT_PRUNING},
        {"method", required_argument, NULL, OPT_METHOD},
        {"joint", no_argument, NULL, 'j'},
        {"sparse", no_argument, NULL, OPT_SPARSE},
        {"annotate", no_argument, NULL, 'a'},
        {"events", no_argument, NULL, 'e'},
        {"event-gap", required_argument, NULL, OPT_EVENT_GAP},
        {"lasting", required_argument, NULL, OPT_LASTING},
        {"min-score", required_argument, NULL, OPT_MIN_SCORE},
        {"median-score", no_argument, NULL, OPT_MEDIAN_SCORE},
        {"period-test", required_argument, NULL, OPT_PERIOD_TEST},
        {"verbose", no_argument, NULL, 'v'},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"online", no_argument, NULL, OPT_ONLINE},
        {"online-window", required_argument, NULL, OPT_ONLINE_WINDOW},
        {"confirm", required_argument, NULL, OPT_CONFIRM},
        {"max-delay", required_argument, NULL, OPT_MAX_DELAY},
        {"relearn", required_argument, NULL, OPT_RELEARN},
        {"relearn-period", required_argument, NULL, OPT_RELEARN_PERIOD},
        {"save-baseline", required_argument, NULL, OPT_SAVE_BASELINE},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"report-since", required_argument, NULL, OPT_REPORT_SINCE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    cfg->kind = &nf_cost_kinds[NF_COST_MEAN];
    cfg->pen.kind = NF_PEN_MBIC;
    cfg->event_gap = 2;
    while ((ch = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (ch) {
        case 't':
            cfg->topts.time_key = optarg;
            break;
        case 'c':
            nf_free_list(cfg->topts.columns, cfg->topts.ncolumns);
            cfg->topts.columns = nf_split_list(optarg, &cfg->topts.ncolumns);
            break;
        case 'x':
            nf_free_list(cfg->topts.exclude, cfg->topts.nexclude);
            cfg->topts.exclude = nf_split_list(optarg, &cfg->topts.nexclude);
            break;
        case OPT_COST:
            cfg->kind = nf_cost_lookup(optarg);
            if (!cfg->kind)
                nf_usage_error("--cost: '%s' is not mean, meanvar or poisson", optarg);
            cfg->cost_given = 1;
            break;
        case 'p':
            if (nf_penalty_parse(optarg, &cfg->pen) != 0)
                nf_usage_error("--penalty: '%s' is not MBIC, BIC, SIC, AIC, HQ or a number >= 0",
                               optarg);
            cfg->pen_given = 1;
            break;
        case 'm':
            cfg->minseg = (size_t)nf_opt_u64("--min-seg-len", optarg, 1, 1000000000);
            break;
        case 's':
            parse_sigma(optarg, cfg);
            cfg->sigma_given = 1;
            break;
        case OPT_BLOCK:
            cfg->sigma_block = (size_t)nf_opt_u64("--sigma-block", optarg, 1, 1000000000);
            break;
        case OPT_CROPS:
            parse_crops(optarg, cfg);
            break;
        case OPT_PRUNING:
            if (strcmp(optarg, "exact") == 0)
                cfg->pruning = NF_PRUNE_EXACT;
            else if (strcmp(optarg, "pelt") == 0)
                cfg->pruning = NF_PRUNE_INEQUALITY;
            else if (strcmp(optarg, "r") == 0)
                cfg->pruning = NF_PRUNE_R;
            else
                nf_usage_error("--pruning: '%s' is not exact, pelt or r", optarg);
            break;
        case OPT_METHOD:
            if (strcmp(optarg, "pelt") == 0)
                cfg->brute_force = 0;
            else if (strcmp(optarg, "op") == 0)
                cfg->brute_force = 1;
            else
                nf_usage_error("--method: '%s' is not pelt or op", optarg);
            break;
        case 'j':
            cfg->joint = 1;
            break;
        case OPT_SPARSE:
            cfg->sparse = 1;
            break;
        case 'a':
            cfg->annotate = 1;
            break;
        case 'e':
            cfg->events = 1;
            break;
        case OPT_EVENT_GAP:
            cfg->event_gap = (size_t)nf_opt_u64("--event-gap", optarg, 0, 1000000000);
            break;
        case OPT_LASTING:
            cfg->lasting = (size_t)nf_opt_u64("--lasting", optarg, 0, 1000000000);
            break;
        case OPT_MIN_SCORE:
            cfg->min_score = nf_opt_double("--min-score", optarg, 0, 1e300);
            break;
        case OPT_MEDIAN_SCORE:
            cfg->median_score = 1;
            break;
        case OPT_PERIOD_TEST:
            /* as nf-decompose --period: a plain number is rows, else a duration */
            if (optarg[0] && strspn(optarg, "0123456789") == strlen(optarg))
                cfg->period_test.rows = (size_t)nf_opt_u64("--period-test", optarg, 1, 1000000000);
            else if ((cfg->period_test.ms = nf_opt_seconds("--period-test", optarg) * 1000) <= 0)
                nf_usage_error("--period-test: '%s' must be rows (288) or a duration (1d, 12h)", optarg);
            break;
        case 'v':
            cfg->verbose = 1;
            rej->verbose = 1;
            break;
        case OPT_REJECTS:
            nf_rejects_open(rej, optarg);
            break;
        case OPT_STRICT:
            rej->strict = 1;
            break;
        case OPT_ONLINE:
            cfg->online = 1;
            break;
        case OPT_ONLINE_WINDOW:
            cfg->online_window = (size_t)nf_opt_u64("--online-window", optarg, 2, 100000);
            break;
        case OPT_CONFIRM:
            cfg->confirm = (size_t)nf_opt_u64("--confirm", optarg, 1, 100000);
            break;
        case OPT_MAX_DELAY:
            cfg->max_delay = (size_t)nf_opt_u64("--max-delay", optarg, 0, 100000);
            break;
        case OPT_RELEARN:
            cfg->relearn = (size_t)nf_opt_u64("--relearn", optarg, 0, 100000);
            break;
        case OPT_RELEARN_PERIOD:
            cfg->relearn_period_ms = strcmp(optarg, "0") == 0 ? 0 : nf_opt_seconds("--relearn-period", optarg) * 1000;
            if (cfg->relearn_period_ms < 0)
                nf_usage_error("--relearn-period: '%s' must be a duration such as 1d or 12h, or 0", optarg);
            break;
        case OPT_SAVE_BASELINE:
            cfg->save_baseline = optarg;
            break;
        case OPT_BASELINE:
            cfg->baseline = optarg;
            break;
        case OPT_REPORT_SINCE:
            if (nf_time_parse(optarg, strlen(optarg), NULL, &cfg->report_since_ms) != 0)
                nf_usage_error("--report-since: '%s' is not a time (ISO 8601 UTC or epoch ms)", optarg);
            cfg->report_since_given = 1;
            break;
        case 'h':
            usage(stdout);
            nf_finish_stdout();
            exit(0);
        case 'V':
            nf_print_version();
        default:
            nf_opt_bad(argv, SHORTOPTS);
        }
    }
    cfg->topts.no_pass = !cfg->annotate; /* only annotated rows are written back */
    if (cfg->crops && cfg->annotate)
        nf_usage_error("--crops and --annotate do not go together (CROPS gives many segmentations)");
    if (cfg->events && (cfg->crops || cfg->annotate))
        nf_usage_error("--events goes with neither --crops nor --annotate");
    if (cfg->sparse && (!cfg->joint || cfg->crops || cfg->online))
        nf_usage_error("--sparse goes with --joint, and with neither --crops nor --online");
    if (cfg->lasting && !cfg->events)
        nf_usage_error("--lasting goes with --events");
    if (cfg->min_score > 0 && !cfg->events)
        nf_usage_error("--min-score goes with --events");
    if ((cfg->period_test.rows || cfg->period_test.ms) && !cfg->events)
        nf_usage_error("--period-test goes with --events");
    if (cfg->median_score && !(cfg->min_score > 0))
        nf_usage_error("--median-score goes with --min-score");
    if (cfg->median_score && cfg->kind != &nf_cost_kinds[NF_COST_MEAN])
        nf_usage_error("--median-score measures steps of the mean cost; it does not go with --cost %s",
                       cfg->kind->name);
    if (cfg->sigma_block && cfg->sigma_mode != SIGMA_AUTO)
        nf_usage_error("--sigma-block goes with --sigma auto");
    if (cfg->crops && cfg->brute_force)
        nf_usage_error("--crops runs PELT; it does not go with --method op");
    if (cfg->crops && cfg->pen.kind != NF_PEN_MBIC)
        nf_usage_error("--crops and --penalty do not go together (CROPS varies the penalty)");
    if (cfg->minseg == 0) {
        cfg->minseg = cfg->kind->default_minseg;
    } else if (cfg->minseg < cfg->kind->min_minseg) {
        nf_warn("--min-seg-len: %s needs at least %zu rows per segment; using %zu",
                cfg->kind->name, cfg->kind->min_minseg, cfg->kind->min_minseg);
        cfg->minseg = cfg->kind->min_minseg;
    }
}

/* NaN (missing, null, text) and data the cost cannot take are errors naming the row. */
static void check_data(const struct nf_table *t, const struct config *cfg)
{
    size_t r, c, bad;
    for (c = 0; c < t->ncols; c++) {
        int fractional = 0;
        for (r = 0; r < t->nrows; r++) {
            double v = nf_table_at(t, r, c);
            if (isnan(v))
                nf_die("%s:%llu: column '%s' has no number in this row (missing, null or text);"
                       " choose columns with --columns/--exclude or fill the gap first",
                       t->source, (unsigned long long)t->lineno[r], t->colnames[c]);
            if (!isfinite(v))
                nf_die("%s:%llu: column '%s' is not finite", t->source,
                       (unsigned long long)t->lineno[r], t->colnames[c]);
            if (cfg->kind == &nf_cost_kinds[NF_COST_POISSON]) {
                if (v < 0)
                    nf_die("%s:%llu: column '%s' is negative (%g); the Poisson cost needs counts",
                           t->source, (unsigned long long)t->lineno[r], t->colnames[c], v);
                if (v != floor(v))
                    fractional = 1;
            }
        }
        if (fractional)
            nf_warn("column '%s' has values that are not whole numbers; the Poisson cost "
                    "treats them as counts", t->colnames[c]);
    }
    bad = nf_table_first_disorder(t);
    if (bad > 0) {
        char text[NF_ORDER_TEXT];
        nf_die_at(t->source, t->lineno[bad], "%s",
                  nf_order_text(text, sizeof text, t->time_key, t->time[bad], "the row before",
                                t->time[bad - 1], "sort the input by time"));
    }
}

static double column_sigma(const struct nf_table *t, size_t col, const struct config *cfg)
{
    size_t block = 1;
    switch (cfg->sigma_mode) {
    case SIGMA_AR1: /* solve_ar1 */
    case SIGMA_FIXED:
        return cfg->sigma;
    case SIGMA_DIFF:
        break;
    case SIGMA_AUTO:
        block = cfg->sigma_block ? cfg->sigma_block : (size_t)floor(sqrt((double)t->nrows));
        break;
    }
    return nf_sigma_estimate(t->x + col, t->nrows, t->ncols, block);
}

/*
 * A column whose prefix sums cannot resolve a cost difference of a small
 * part of the penalty (or of one noise scale squared, with a penalty below
 * 1) gives change points made of rounding: one extreme value is enough
 * (2^64 - 1 among values near 100). Overflow is an error, a coarse
 * resolution a warning naming the row (the first few columns; then a count).
 */
#define RESOLUTION_SHARE 0.01
#define RESOLUTION_WARNINGS 5
static size_t coarse_columns;

static void check_resolution(const struct nf_table *t, const struct group *g, double pen)
{
    size_t k, row;
    for (k = 0; k < g->d; k++) {
        double res = nf_segdata_resolution(&g->sd, k, &row);
        const char *name = t->colnames[g->cols[k]];
        double v = nf_table_at(t, row, g->cols[k]);
        if (!isfinite(res))
            nf_die("%s:%llu: column '%s': %.15g overflows the cost's sums of squares; "
                   "the column cannot be segmented: remove or clip the value, or leave the "
                   "column out with --exclude", t->source, (unsigned long long)t->lineno[row],
                   name, v);
        if (res > RESOLUTION_SHARE * (pen > 1 ? pen : 1) && coarse_columns++ < RESOLUTION_WARNINGS)
            nf_warn_at(t->source, t->lineno[row],
                       "column '%s': the value %.15g makes the costs' rounding error %.3g, "
                       "more than %g %% of the penalty %.6g: change points of this column are "
                       "unreliable; remove or clip the value",
                       name, v, res, 100 * RESOLUTION_SHARE, pen);
    }
}

/*
 * --sigma ar1 (ar1.h): the scale and the segmentation come out together.
 * With --crops the scale is the one of the MBIC segmentation, and the
 * prefix sums are built again without MBIC's segment term for CROPS.
 */
static void solve_ar1(const struct nf_table *t, struct group *g, const struct config *cfg,
                      int mbic)
{
    struct nf_ar1_problem p = {
        .x = t->x, .n = t->nrows, .stride = t->ncols, .cols = g->cols, .d = g->d,
        .kind = cfg->kind, .mbic = cfg->pen.kind == NF_PEN_MBIC, .pen = g->pen,
        .minseg = cfg->minseg, .pruning = cfg->pruning, .brute_force = cfg->brute_force,
        .centre = cfg->pruning != NF_PRUNE_R,
    };
    g->rho = nf_xmalloc(g->d * sizeof *g->rho);
    g->start = nf_xmalloc(g->d * sizeof *g->start);
    g->runs = nf_ar1_solve(&p, g->sigma, g->rho, g->start, &g->sd, &g->res);
    if (!cfg->crops)
        return;
    nf_segdata_free(&g->sd);
    nf_seg_result_free(&g->res);
    nf_segdata_init(&g->sd, cfg->kind, mbic, t->x, t->nrows, t->ncols, g->cols, g->d, g->sigma,
                    p.centre);
}

static void say_sigma(const struct group *g, size_t k, char *buf, size_t size)
{
    if (g->rho)
        snprintf(buf, size, "sigma %.9g (ar1: rho %.9g, start %.9g, %d PELT runs)", g->sigma[k],
                 g->rho[k], g->start[k], g->runs);
    else
        snprintf(buf, size, "sigma %.6g", g->sigma[k]);
}

static void solve_group(const struct nf_table *t, struct group *g, const struct config *cfg)
{
    size_t k;
    int mbic = cfg->pen.kind == NF_PEN_MBIC && !cfg->crops;
    int ar1 = cfg->sigma_mode == SIGMA_AR1 && cfg->kind->scales;
    char sig[128];
    g->sigma = nf_xmalloc(g->d * sizeof *g->sigma);
    g->pen = nf_penalty_value(&cfg->pen, cfg->kind->params * (int)g->d, t->nrows);
    if (ar1) {
        solve_ar1(t, g, cfg, mbic);
    } else {
        for (k = 0; k < g->d; k++)
            g->sigma[k] = cfg->kind->scales ? column_sigma(t, g->cols[k], cfg) : 1;
        nf_segdata_init(&g->sd, cfg->kind, mbic, t->x, t->nrows, t->ncols, g->cols, g->d, g->sigma,
                        cfg->pruning != NF_PRUNE_R);
    }
    check_resolution(t, g, cfg->crops ? cfg->crops_min : g->pen);
    if (cfg->crops) {
        nf_crops_run(&g->sd, cfg->minseg, cfg->crops_min, cfg->crops_max, &g->crops);
        if (cfg->verbose)
            nf_warn("%s%s: %zu rows, CROPS [%g, %g]: %zu segmentations, %zu PELT runs",
                    t->colnames[g->cols[0]], g->d > 1 ? " (joint)" : "", t->nrows,
                    cfg->crops_min, cfg->crops_max, g->crops.nsegs, g->crops.runs);
        return;
    }
    if (!ar1 && cfg->brute_force) /* ar1 segmented already, at its scale */
        nf_op(&g->sd, g->pen, cfg->minseg, &g->res);
    else if (!ar1)
        nf_pelt(&g->sd, g->pen, cfg->minseg, cfg->pruning, &g->res);
    if (cfg->verbose)
        for (k = 0; k < g->d; k++) {
            say_sigma(g, k, sig, sizeof sig);
            nf_warn("%s: %zu rows, %s, penalty %s %.6g, %zu change points, "
                    "%llu segment costs (%.1f per row)",
                    t->colnames[g->cols[k]], t->nrows, sig, nf_penalty_name(&cfg->pen),
                    g->pen, g->res.ncpts, (unsigned long long)g->res.evaluations,
                    t->nrows ? (double)g->res.evaluations / (double)t->nrows : 0.0);
        }
}

/*
 * --sparse: view (see struct group) of the joint group g, with the
 * changes of a few columns within g's segments. Each moved column pays
 * alpha = 2 log d, the change the penalty of one column.
 */
static void add_sparse(const struct nf_table *t, const struct group *g, struct group *view,
                       const struct config *cfg)
{
    struct nf_sparse_change *sc;
    size_t nsc, i = 0, j = 0, k = 0, n;
    *view = *g; /* cols, sigma, sd shared: freed with g */
    view->rho = view->start = NULL;
    memset(&view->crops, 0, sizeof view->crops);
    view->alpha = 2 * log((double)g->d);
    view->beta = nf_penalty_value(&cfg->pen, cfg->kind->params, t->nrows);
    nsc = nf_sparse_scan(&g->sd, g->res.cpts, g->res.ncpts, cfg->minseg, view->alpha, view->beta, &sc);
    n = g->res.ncpts + nsc;
    view->res.cpts = nf_xmalloc((n ? n : 1) * sizeof *view->res.cpts);
    view->res.ncpts = n;
    view->sparse = nf_xcalloc(n ? n : 1, 1);
    while (k < n) { /* merge: a change of a few columns splits a joint segment, never meets its ends */
        if (j < nsc && (i >= g->res.ncpts || sc[j].row < g->res.cpts[i])) {
            view->sparse[k] = 1;
            view->res.cpts[k++] = sc[j++].row;
        } else {
            view->res.cpts[k++] = g->res.cpts[i++];
        }
    }
    if (cfg->verbose)
        nf_warn("--sparse: %zu changes of a few columns within the joint segments (alpha %.6g per column, "
                "beta %.6g)", nsc, view->alpha, view->beta);
    free(sc);
}

static void write_time(struct nf_jw *w, const char *key, const struct nf_table *t, size_t row)
{
    if (t->has_time)
        nf_jw_i64(w, key, t->time[row]);
    else
        nf_jw_null(w, key);
}

static void write_columns(struct nf_jw *w, const struct nf_table *t, const struct group *g)
{
    size_t k;
    nf_jw_begin_array(w, "columns");
    for (k = 0; k < g->d; k++)
        nf_jw_str(w, NULL, t->colnames[g->cols[k]]);
    nf_jw_end_array(w);
}

static double raw_mean(const struct nf_table *t, size_t col, size_t from, size_t to)
{
    double s = 0;
    size_t r;
    for (r = from; r < to; r++)
        s += nf_table_at(t, r, col);
    return s / (double)(to - from);
}

static void write_means(struct nf_jw *w, const char *key, const struct nf_table *t,
                        const struct group *g, size_t from, size_t to)
{
    size_t k;
    nf_jw_begin_array(w, key);
    for (k = 0; k < g->d; k++)
        nf_jw_double(w, NULL, raw_mean(t, g->cols[k], from, to));
    nf_jw_end_array(w);
}

/* The segment around change point i of g: [from, to). */
static void segment_of(const struct group *g, size_t i, size_t n, size_t *from, size_t *to)
{
    *from = i > 0 ? g->res.cpts[i - 1] : 0;
    *to = i + 1 < g->res.ncpts ? g->res.cpts[i + 1] : n;
}

/* Scaled means of g's columns over [from, to) into out[d]. */
static void scaled_means(const struct nf_table *t, const struct group *g, size_t from, size_t to,
                         double *out)
{
    size_t m;
    for (m = 0; m < g->d; m++)
        out[m] = raw_mean(t, g->cols[m], from, to) / g->sigma[m];
}

static int is_sparse(const struct group *g, size_t k)
{
    return g->sparse && g->sparse[k];
}

/*
 * Whether column m of g moved at change point k: with --sparse, for a
 * change of a few columns, its cost reduction exceeds alpha; else its own cost reduction,
 * n1 n2 / (n1 + n2) (difference of scaled means)^2, pays at least its
 * share pen / d of the penalty (with one column per group: always).
 */
static int column_moved(const struct nf_table *t, const struct group *g, size_t k, size_t m)
{
    size_t from, to, cp = g->res.cpts[k];
    double n1, n2, diff;
    if (g->d == 1)
        return 1;
    segment_of(g, k, t->nrows, &from, &to);
    if (is_sparse(g, k))
        return nf_sparse_gain(&g->sd, m, from, cp, to) > g->alpha;
    n1 = (double)(cp - from);
    n2 = (double)(to - cp);
    diff = (raw_mean(t, g->cols[m], cp, to) - raw_mean(t, g->cols[m], from, cp)) / g->sigma[m];
    return n1 * n2 / (n1 + n2) * diff * diff >= g->pen / (double)g->d;
}

/*
 * Whether a change's columns all speak for it (a joint change) or only
 * those that moved (a change of a few columns, --sparse): the rest are
 * noise there, and would add their own to its medians and step.
 */
static int column_counts(const struct nf_table *t, const struct group *g, size_t k, size_t m)
{
    return !is_sparse(g, k) || column_moved(t, g, k, m);
}

/*
 * undone[k] = 1 for change point k of g that is one side of an excursion:
 * the next (or previous) change, within lasting rows, takes the level back.
 */
static unsigned char *excursions(const struct nf_table *t, const struct group *g, size_t lasting)
{
    size_t k, m, n = t->nrows;
    unsigned char *undone = nf_xcalloc(g->res.ncpts + 1, 1);
    double *lv = nf_xmalloc(3 * g->d * sizeof *lv);
    for (k = 0; lasting && k + 1 < g->res.ncpts; k++) {
        size_t a = g->res.cpts[k], b = g->res.cpts[k + 1];
        size_t from = k > 0 ? g->res.cpts[k - 1] : 0, to = k + 2 < g->res.ncpts ? g->res.cpts[k + 2] : n;
        if (b - a >= lasting)
            continue;
        scaled_means(t, g, from, a, lv);
        scaled_means(t, g, a, b, lv + g->d);
        scaled_means(t, g, b, to, lv + 2 * g->d);
        if (is_sparse(g, k) || is_sparse(g, k + 1))
            for (m = 0; m < g->d; m++) /* only the columns that moved speak for a change of a few */
                if (!(is_sparse(g, k) && column_moved(t, g, k, m)) &&
                    !(is_sparse(g, k + 1) && column_moved(t, g, k + 1, m)))
                    lv[m] = lv[g->d + m] = lv[2 * g->d + m] = 0;
        if (nf_change_undone(lv, lv + g->d, lv + 2 * g->d, g->d))
            undone[k] = undone[k + 1] = 1;
    }
    free(lv);
    return undone;
}

/* Median of column col over rows [from, to), sorted in buf (at least to - from long). */
static double raw_median(const struct nf_table *t, size_t col, size_t from, size_t to, double *buf)
{
    size_t r;
    for (r = from; r < to; r++)
        buf[r - from] = nf_table_at(t, r, col);
    gsl_sort(buf, 1, to - from);
    return gsl_stats_median_from_sorted_data(buf, 1, to - from);
}

/*
 * The score of change c (cost_reduction / penalty) with the two segments'
 * medians in place of their means: n1 n2 / (n1 + n2) times the squared
 * scaled difference, summed over the group's columns. A level moved by a
 * few points (a spike shorter than the segment, its echo in the seasonal
 * fit) moves the mean but not the median; a shift moves both.
 */
static double median_strength(const struct nf_table *t, const struct group *g, const struct nf_change *c,
                              double *buf)
{
    size_t m, from, to;
    double n1, n2, red = 0;
    segment_of(g, c->cpt, t->nrows, &from, &to);
    n1 = (double)(c->row - from);
    n2 = (double)(to - c->row);
    for (m = 0; m < g->d; m++) {
        if (!column_counts(t, g, c->cpt, m))
            continue;
        double diff = (raw_median(t, g->cols[m], c->row, to, buf) -
                       raw_median(t, g->cols[m], from, c->row, buf)) / g->sigma[m];
        red += n1 * n2 / (n1 + n2) * diff * diff;
    }
    return c->penalty > 0 ? red / c->penalty : red;
}

/* The row one period after r (dir 1) or before it (dir -1), or SIZE_MAX. */
static size_t period_partner(const struct nf_table *t, const struct period *p, size_t r, int dir)
{
    size_t at;
    int64_t ms;
    if (p->rows)
        return dir > 0 ? (r + p->rows < t->nrows ? r + p->rows : SIZE_MAX)
                       : (r >= p->rows ? r - p->rows : SIZE_MAX);
    if (dir > 0 ? t->time[r] > INT64_MAX - p->ms : t->time[r] < INT64_MIN + p->ms)
        return SIZE_MAX;
    ms = t->time[r] + dir * p->ms; /* the row with exactly this time (rows are in time order) */
    at = nf_table_row_at_or_after(t, ms);
    return at < t->nrows && t->time[at] == ms ? at : SIZE_MAX;
}

#define PERIOD_PARTS 4 /* --sparse: a change of a few columns must hold in each quarter of the period */

/* Which of the PERIOD_PARTS parts of the period row r falls in. */
static size_t period_part(const struct nf_table *t, const struct period *per, size_t r)
{
    int64_t phase;
    if (per->rows)
        return r % per->rows * PERIOD_PARTS / per->rows;
    phase = t->time[r] % per->ms;
    phase += phase < 0 ? per->ms : 0;
    return (size_t)((double)phase / (double)per->ms * PERIOD_PARTS) % PERIOD_PARTS;
}

/* The lagged step of one side of a change: over all its rows, and by part of the period. */
struct lagged {
    double mean, part[PERIOD_PARTS];
    size_t n, npart[PERIOD_PARTS];
};

/*
 * Mean over rows r of [from, to) of the difference (partner - r) * dir,
 * partner the row a period away in direction dir, projected on the unit
 * step u (scaled units): the step from a period earlier (dir -1, sign
 * turned) or to a period later (dir 1); n the rows that have a partner;
 * the same by the part of the period the row falls in.
 */
static void lagged_step(const struct nf_table *t, const struct group *g, const double *u, size_t from,
                        size_t to, const struct period *per, int dir, struct lagged *l)
{
    size_t r, m, p, q;
    double s = 0, v;
    memset(l, 0, sizeof *l);
    for (r = from; r < to; r++) {
        if ((p = period_partner(t, per, r, dir)) == SIZE_MAX)
            continue;
        for (m = 0, v = 0; m < g->d; m++)
            v += dir * u[m] * (nf_table_at(t, p, g->cols[m]) - nf_table_at(t, r, g->cols[m])) / g->sigma[m];
        q = period_part(t, per, r);
        l->part[q] += v;
        l->npart[q]++;
        s += v;
        l->n++;
    }
    l->mean = l->n ? s / (double)l->n : 0;
    for (q = 0; q < PERIOD_PARTS; q++)
        l->part[q] = l->npart[q] ? l->part[q] / (double)l->npart[q] : 0;
}

/*
 * Whether one side shows the step: half of it on average and, when each
 * part must (a change of a few columns), half of it in every part of the
 * period, each part with at least PERIOD_PART_ROWS rows (a part without
 * them cannot show that the step holds there).
 */
#define PERIOD_PART_ROWS 6
static int side_shows(const struct lagged *l, double norm, int every_part)
{
    size_t q;
    if (!l->n || l->mean < norm / 2)
        return 0;
    for (q = 0; every_part && q < PERIOD_PARTS; q++)
        if (l->npart[q] < PERIOD_PART_ROWS || l->part[q] < norm / 2)
            return 0;
    return 1;
}

/*
 * --period-test: 1 when change c's step is seen against the same time of
 * the cycle one period away. A shift holds at every time of day: the new
 * level (up to a period after the change) differs from the same times a
 * period earlier by the step, and the old level (up to a period before)
 * from a period later. An offset of the seasonally adjusted series at some
 * times of day only (a daytime that the one daily profile fits badly)
 * appears on every such day alike, so against the day before it is no
 * step. The test passes when either side shows at least half the step
 * (the half of --lasting; either, so that a one-day jump is seen at its
 * start and at its end); with no row a period away on either side it
 * passes (docs/method.md). A change of a few columns (--sparse), which
 * pays a far smaller penalty, must show half the step in each quarter of
 * the period too: its columns are few, and an offset by day only (a
 * weekend's daytime, a daily shape that changed with a real shift) is
 * what a few columns show most often.
 */
static int period_step_seen(const struct nf_table *t, const struct group *g, const struct nf_change *c,
                            const struct period *per, double *u)
{
    size_t m, from, to;
    double norm = 0;
    struct lagged back, fwd;
    segment_of(g, c->cpt, t->nrows, &from, &to);
    for (m = 0; m < g->d; m++) {
        u[m] = column_counts(t, g, c->cpt, m)
                   ? (raw_mean(t, g->cols[m], c->row, to) - raw_mean(t, g->cols[m], from, c->row)) / g->sigma[m]
                   : 0;
        norm += u[m] * u[m];
    }
    norm = sqrt(norm);
    if (!(norm > 0))
        return 1;
    for (m = 0; m < g->d; m++)
        u[m] /= norm;
    /* at most one period of rows on each side of the change */
    if (per->rows) {
        to = to - c->row > per->rows ? c->row + per->rows : to;
        from = c->row - from > per->rows ? c->row - per->rows : from;
    } else {
        while (to > c->row && t->time[to - 1] - t->time[c->row] >= per->ms)
            to--;
        while (from < c->row && t->time[c->row] - t->time[from] > per->ms)
            from++;
    }
    /* new level minus a period earlier; a period later minus the old level */
    lagged_step(t, g, u, c->row, to, per, -1, &back);
    lagged_step(t, g, u, from, c->row, per, 1, &fwd);
    if (!back.n && !fwd.n)
        return 1;
    return side_shows(&back, norm, is_sparse(g, c->cpt)) || side_shows(&fwd, norm, is_sparse(g, c->cpt));
}

/*
 * Change point k's cost reduction and penalty: of the whole group for a
 * joint change; for a change of a few columns (--sparse), of the columns
 * that moved, which pay beta + k alpha.
 */
static void change_evidence(const struct nf_table *t, const struct group *g, size_t k, struct nf_change *c)
{
    size_t m, from, to, moved = 0, cp = g->res.cpts[k];
    segment_of(g, k, t->nrows, &from, &to);
    if (!is_sparse(g, k)) {
        c->cost_reduction = nf_seg_cost(&g->sd, from, to) - nf_seg_cost(&g->sd, from, cp) -
                            nf_seg_cost(&g->sd, cp, to);
        c->penalty = g->pen;
        return;
    }
    c->cost_reduction = 0;
    for (m = 0; m < g->d; m++)
        if (column_moved(t, g, k, m)) {
            c->cost_reduction += nf_sparse_gain(&g->sd, m, from, cp, to);
            moved++;
        }
    c->penalty = g->beta + (double)moved * g->alpha;
}

static void write_changes(struct nf_jw *w, const struct nf_table *t, const struct group *g)
{
    size_t i, n = t->nrows;
    for (i = 0; i < g->res.ncpts; i++) {
        size_t cp = g->res.cpts[i];
        if (g->sparse && !g->sparse[i])
            continue; /* a joint change: the joint group has it */
        size_t from = i > 0 ? g->res.cpts[i - 1] : 0;
        size_t to = i + 1 < g->res.ncpts ? g->res.cpts[i + 1] : n;
        struct nf_change c;
        change_evidence(t, g, i, &c);
        if (!is_sparse(g, i)) /* as before --sparse, to the last bit: the whole less both parts at once */
            c.cost_reduction = nf_seg_cost(&g->sd, from, to) -
                               (nf_seg_cost(&g->sd, from, cp) + nf_seg_cost(&g->sd, cp, to));
        nf_jw_begin(w);
        write_time(w, t->time_key, t, cp);
        nf_jw_u64(w, "index", cp);
        write_columns(w, t, g);
        write_means(w, "mean_before", t, g, from, cp);
        write_means(w, "mean_after", t, g, cp, to);
        nf_jw_double(w, "cost_reduction", c.cost_reduction);
        write_time(w, "before_start", t, from);
        write_time(w, "after_end", t, to - 1);
        nf_jw_double(w, "penalty", c.penalty);
        nf_jw_end(w);
    }
}

/* One record per event (events.h): the columns by strength, their rows and means. */
static void write_events(struct nf_jw *w, const struct nf_table *t, const struct group *g,
                         size_t ngroups, size_t gap, size_t lasting, double min_score, int median_test,
                         const struct period *per)
{
    size_t i, k, m, nch = 0, nev, from, to;
    struct nf_change *ch;
    struct nf_event *ev;
    size_t nbuf = t->nrows;
    double *buf;
    for (i = 0; i < ngroups; i++)
        nbuf = g[i].d > nbuf ? g[i].d : nbuf; /* --period-test's step direction */
    buf = nf_xmalloc((nbuf ? nbuf : 1) * sizeof *buf);
    if (per->ms && !t->has_time)
        nf_die("--period-test needs the time key '%s' in every row", t->time_key);
    for (i = 0; i < ngroups; i++)
        nch += g[i].res.ncpts;
    ch = nf_xcalloc(nch ? nch : 1, sizeof *ch);
    for (i = 0, m = 0; i < ngroups; i++) {
        unsigned char *undone = excursions(t, &g[i], lasting);
        for (k = 0; k < g[i].res.ncpts; k++) {
            size_t cp = g[i].res.cpts[k];
            if (undone[k])
                continue;
            segment_of(&g[i], k, t->nrows, &from, &to);
            ch[m].row = cp;
            ch[m].group = i;
            ch[m].cpt = k;
            if (g[i].sparse && !g[i].sparse[k])
                continue; /* a joint change: the joint group has it */
            change_evidence(t, &g[i], k, &ch[m]);
            if (is_sparse(&g[i], k) && !(ch[m].cost_reduction > 0))
                continue; /* no column moves between its final neighbours */
            m++;
        }
        free(undone);
    }
    nch = m;
    nev = nf_events_group(ch, nch, gap, &ev);
    for (i = 0; i < nev; i++) {
        const struct nf_change *c = ch + ev[i].first;
        size_t lo = c[0].row, hi = c[0].row;
        double total = 0, median = 0;
        /* weak evidence: a change that barely pays its penalty is mostly noise (docs/method.md) */
        if (ev[i].score < min_score)
            continue;
        for (k = 0; k < ev[i].count; k++)
            median += median_strength(t, &g[c[k].group], &c[k], buf);
        /* a step of the mean that the medians do not make is a few outlying rows (docs/method.md) */
        if (median_test && median < min_score)
            continue;
        /* an offset at some times of day only is no shift (docs/method.md) */
        if ((per->rows || per->ms) && !period_step_seen(t, &g[c[0].group], &c[0], per, buf))
            continue;
        for (k = 0; k < ev[i].count; k++) {
            lo = c[k].row < lo ? c[k].row : lo;
            hi = c[k].row > hi ? c[k].row : hi;
            total += c[k].cost_reduction;
        }
        nf_jw_begin(w);
        write_time(w, t->time_key, t, ev[i].row);
        nf_jw_str(w, "kind", "event");
        nf_jw_u64(w, "index", ev[i].row);
        nf_jw_begin_array(w, "columns");
        for (k = 0; k < ev[i].count; k++)
            for (m = 0; m < g[c[k].group].d; m++)
                if (column_moved(t, &g[c[k].group], c[k].cpt, m))
                    nf_jw_str(w, NULL, t->colnames[g[c[k].group].cols[m]]);
        nf_jw_end_array(w);
        nf_jw_begin_array(w, "column_index");
        for (k = 0; k < ev[i].count; k++)
            for (m = 0; m < g[c[k].group].d; m++)
                if (column_moved(t, &g[c[k].group], c[k].cpt, m))
                    nf_jw_u64(w, NULL, c[k].row);
        nf_jw_end_array(w);
        for (int after = 0; after < 2; after++) {
            nf_jw_begin_array(w, after ? "mean_after" : "mean_before");
            for (k = 0; k < ev[i].count; k++) {
                const struct group *gk = &g[c[k].group];
                segment_of(gk, c[k].cpt, t->nrows, &from, &to);
                for (m = 0; m < gk->d; m++)
                    if (column_moved(t, gk, c[k].cpt, m))
                        nf_jw_double(w, NULL, after ? raw_mean(t, gk->cols[m], c[k].row, to)
                                                    : raw_mean(t, gk->cols[m], from, c[k].row));
            }
            nf_jw_end_array(w);
        }
        nf_jw_double(w, "cost_reduction", total);
        nf_jw_double(w, "score", ev[i].score);
        nf_jw_double(w, "median_score", median);
        write_time(w, "first", t, lo);
        write_time(w, "last", t, hi);
        segment_of(&g[c[0].group], c[0].cpt, t->nrows, &from, &to);
        write_time(w, "before_start", t, from);
        write_time(w, "after_end", t, to - 1);
        nf_jw_double(w, "penalty", c[0].penalty);
        nf_jw_end(w);
    }
    free(ev);
    free(ch);
    free(buf);
}

static void write_crops(struct nf_jw *w, const struct nf_table *t, const struct group *g)
{
    size_t i, j;
    for (i = 0; i < g->crops.nsegs; i++) {
        const struct nf_crops_seg *s = &g->crops.segs[i];
        nf_jw_begin(w);
        write_columns(w, t, g);
        nf_jw_double(w, "penalty_min", s->pen_lo);
        nf_jw_double(w, "penalty_max", s->pen_hi);
        nf_jw_u64(w, "ncpts", s->res.ncpts);
        nf_jw_double(w, "cost", s->res.cost);
        nf_jw_begin_array(w, "index");
        for (j = 0; j < s->res.ncpts; j++)
            nf_jw_u64(w, NULL, s->res.cpts[j]);
        nf_jw_end_array(w);
        nf_jw_begin_array(w, t->time_key);
        for (j = 0; j < s->res.ncpts; j++)
            write_time(w, NULL, t, s->res.cpts[j]);
        nf_jw_end_array(w);
        nf_jw_end(w);
    }
}

/* Every row: its pass-through members, the segmented columns, segment numbers from 0. */
static void write_annotated(struct nf_jw *w, const struct nf_table *t, const struct group *g,
                            size_t ngroups, int joint)
{
    size_t r, c, k, *next = nf_xcalloc(ngroups, sizeof *next);
    char name[512];
    for (r = 0; r < t->nrows; r++) {
        nf_jw_begin(w);
        nf_jw_members(w, t->pass[r], t->pass_len[r]);
        for (c = 0; c < t->ncols; c++)
            nf_jw_double(w, t->colnames[c], nf_table_at(t, r, c));
        for (k = 0; k < ngroups; k++) {
            while (next[k] < g[k].res.ncpts && g[k].res.cpts[next[k]] <= r)
                next[k]++;
            if (joint) {
                nf_jw_u64(w, "segment", next[k]);
            } else {
                snprintf(name, sizeof name, "%s_segment", t->colnames[g[k].cols[0]]);
                nf_jw_u64(w, name, next[k]);
            }
        }
        nf_jw_end(w);
    }
    free(next);
}

/*
 * --save-baseline: the scale each column was divided by (its group's),
 * its median (the centre --online subtracts for costs that ignore a
 * shift), the cost and the penalty, for --online --baseline.
 */
static void save_baseline(const struct nf_table *t, const struct group *g, size_t ngroups, const struct config *cfg)
{
    struct nf_pelt_baseline b = {0};
    double *col = nf_xmalloc((t->nrows ? t->nrows : 1) * sizeof *col);
    size_t i, k, r;
    if (t->nrows == 0 || t->ncols == 0)
        nf_die("--save-baseline: no rows to fit a baseline on");
    b.ncols = t->ncols;
    b.names = t->colnames;
    b.kind = cfg->kind;
    b.pen = cfg->pen;
    b.rows = t->nrows;
    b.sigma = nf_xmalloc(t->ncols * sizeof *b.sigma);
    b.centre = nf_xmalloc(t->ncols * sizeof *b.centre);
    for (i = 0; i < ngroups; i++)
        for (k = 0; k < g[i].d; k++)
            b.sigma[g[i].cols[k]] = g[i].sigma[k];
    for (k = 0; k < t->ncols; k++) {
        for (r = 0; r < t->nrows; r++)
            col[r] = nf_table_at(t, r, k);
        gsl_sort(col, 1, t->nrows);
        b.centre[k] = gsl_stats_median_from_sorted_data(col, 1, t->nrows);
    }
    nf_pelt_baseline_save(&b, cfg->save_baseline);
    free(col);
    free(b.sigma);
    free(b.centre);
}

/* --online (online.c): rows are segmented as they arrive. */
static int run_online(struct config *cfg, char **paths, int npaths, struct nf_rejects *rej)
{
    struct nf_online_opts o = {0};
    if (cfg->crops || cfg->annotate || cfg->brute_force || cfg->events)
        nf_usage_error("--online does not go with --crops, --annotate, --events or --method op");
    o.time_key = cfg->topts.time_key;
    o.columns = cfg->topts.columns;
    o.ncolumns = cfg->topts.ncolumns;
    o.exclude = cfg->topts.exclude;
    o.nexclude = cfg->topts.nexclude;
    o.kind = cfg->kind;
    o.pen = cfg->pen;
    o.minseg = cfg->minseg;
    o.sigma = cfg->sigma_mode == SIGMA_FIXED ? cfg->sigma : 0;
    o.sigma_diff = cfg->sigma_mode == SIGMA_DIFF;
    o.sigma_ar1 = cfg->sigma_mode == SIGMA_AR1;
    o.window = cfg->online_window ? cfg->online_window : 288;
    o.joint = cfg->joint;
    o.confirm = cfg->confirm ? cfg->confirm : 2 * cfg->minseg;
    o.max_delay = cfg->max_delay == SIZE_MAX ? 0 : cfg->max_delay;
    o.verbose = cfg->verbose;
    o.report_since_ms = cfg->report_since_ms;
    o.report_since_given = cfg->report_since_given;
    if (o.max_delay && o.max_delay < o.confirm)
        nf_usage_error("--max-delay %zu: a change is confirmed %zu rows after it began at the earliest "
                       "(--confirm); 0 reports every change", o.max_delay, o.confirm);
    o.relearn = cfg->relearn == SIZE_MAX ? 0 : cfg->relearn;
    o.relearn_period_ms = cfg->relearn_period_ms < 0 ? 86400000 : cfg->relearn_period_ms;
    if (o.relearn > o.window)
        nf_usage_error("--relearn %zu: the rows it learns from must fit in the online window (%zu)",
                       o.relearn, o.window);
    if (o.relearn && o.relearn < o.confirm)
        nf_usage_error("--relearn %zu: fewer rows than --confirm (%zu) cannot give a noise scale",
                       o.relearn, o.confirm);
    if (cfg->save_baseline)
        nf_usage_error("--save-baseline fits on the whole input; it does not go with --online (--baseline applies one)");
    struct nf_pelt_baseline base;
    if (cfg->baseline) {
        if (cfg->sigma_given || cfg->topts.ncolumns)
            nf_usage_error("--baseline gives the columns and their noise scales: no --sigma or --columns with it");
        nf_pelt_baseline_load(&base, cfg->baseline);
        if (cfg->cost_given && cfg->kind != base.kind)
            nf_usage_error("--cost %s: the baseline %s was fitted with --cost %s", cfg->kind->name, cfg->baseline,
                           base.kind->name);
        o.kind = base.kind;
        if (!cfg->pen_given)
            o.pen = base.pen;
        o.base = &base;
    }
    if (o.window < 2 * o.minseg)
        nf_usage_error("--online-window: %zu rows cannot hold two segments of %zu",
                       o.window, o.minseg);
    nf_pelt_online(&o, paths, npaths, rej);
    if (cfg->baseline)
        nf_pelt_baseline_free(&base);
    nf_free_list(cfg->topts.columns, cfg->topts.ncolumns);
    nf_free_list(cfg->topts.exclude, cfg->topts.nexclude);
    nf_rejects_finish(rej, "records");
    nf_finish_stdout();
    return 0;
}

int main(int argc, char **argv)
{
    struct config cfg = {0};
    struct nf_rejects rej = {0};
    struct nf_lines lines;
    cfg.relearn = SIZE_MAX; /* not given */
    cfg.max_delay = SIZE_MAX;
    cfg.relearn_period_ms = -1;
    struct nf_table t;
    struct nf_jw w;
    struct group *groups;
    size_t ngroups, nview = 0, i, k;

    nf_tool_init(argc, argv);
    parse_options(argc, argv, &cfg, &rej);
    if (cfg.online)
        return run_online(&cfg, argv + optind, argc - optind, &rej);
    if (cfg.baseline || cfg.confirm || cfg.max_delay != SIZE_MAX || cfg.relearn != SIZE_MAX ||
        cfg.relearn_period_ms >= 0 || cfg.report_since_given)
        nf_usage_error("--baseline, --confirm, --max-delay, --relearn, --relearn-period and --report-since "
                       "are for --online");
    nf_lines_init(&lines, argv + optind, argc - optind);
    cfg.topts.roles = NF_ROLES_CHANGE;
    nf_table_read(&t, &lines, &cfg.topts, &rej);
    nf_lines_free(&lines);
    nf_table_require_rows(&t, &rej);
    nf_table_say_columns(&t);
    check_data(&t, &cfg);
    if (t.ncols == 0 && t.nrows > 0)
        nf_die("%s: no numeric column to segment", t.source);

    ngroups = cfg.joint ? (t.ncols > 0) : t.ncols;
    groups = nf_xcalloc(ngroups + 1, sizeof *groups);
    for (i = 0; i < ngroups; i++) {
        struct group *g = &groups[i];
        g->d = cfg.joint ? t.ncols : 1;
        g->cols = nf_xmalloc(g->d * sizeof *g->cols);
        for (k = 0; k < g->d; k++)
            g->cols[k] = cfg.joint ? k : i;
        solve_group(&t, g, &cfg);
    }

    if (cfg.sparse && ngroups == 1 && groups[0].d > 1) {
        add_sparse(&t, &groups[0], &groups[1], &cfg);
        nview = 1;
    }
    if (cfg.save_baseline)
        save_baseline(&t, groups, ngroups, &cfg);
    if (coarse_columns > RESOLUTION_WARNINGS)
        nf_warn("%zu columns in all have unreliable costs (the first %d named above)",
                coarse_columns, RESOLUTION_WARNINGS);
    nf_jw_init(&w, stdout);
    if (cfg.annotate) /* with --sparse, the segments of both kinds */
        write_annotated(&w, &t, groups + nview, ngroups, cfg.joint);
    else if (cfg.events)
        write_events(&w, &t, groups, ngroups + nview, cfg.event_gap, cfg.lasting, cfg.min_score, cfg.median_score,
                     &cfg.period_test);
    else
        for (i = 0; i < ngroups + nview; i++) {
            if (cfg.crops)
                write_crops(&w, &t, &groups[i]);
            else
                write_changes(&w, &t, &groups[i]);
        }
    nf_jw_free(&w);

    for (i = 0; i < ngroups; i++) {
        nf_segdata_free(&groups[i].sd);
        nf_seg_result_free(&groups[i].res);
        nf_crops_free(&groups[i].crops);
        free(groups[i].cols);
        free(groups[i].sigma);
        free(groups[i].rho);
        free(groups[i].start);
    }
    if (nview) { /* the rest is the joint group's */
        nf_seg_result_free(&groups[1].res);
        free(groups[1].sparse);
    }
    free(groups);
    nf_table_free(&t);
    nf_free_list(cfg.topts.columns, cfg.topts.ncolumns);
    nf_free_list(cfg.topts.exclude, cfg.topts.nexclude);
    nf_rejects_finish(&rej, "records");
    nf_finish_stdout();
    return 0;
}
