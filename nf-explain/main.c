/*
 * nf-explain - reports that say what changed or what is odd, and why,
 * with every claim backed by a number from the data and a baseline.
 *
 * Input is either nf-pelt change points (explained against the feature
 * stream of --features) or nf-pca scored rows (the flagged ones, or the
 * --top K by score, explained against the rest of the stream or
 * --baseline). Output is Markdown (one document per anomaly plus an
 * index) or NDJSON with the same facts. See docs/nf-explain.md.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpmerge.h"
#include "err.h"
#include "explain.h"
#include "follow.h"
#include "ntime.h"
#include "markdown.h"
#include "opt.h"
#include "plot.h"
#include "rec.h"
#include "table.h"

#define SHORTOPTS "t:o:hvV" /* getopt_long and nf_opt_bad */

enum mode { MODE_AUTO, MODE_CHANGE, MODE_FLAGGED };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: nf-explain [options] [FILE...]\n"
            "Explains nf-pelt change points or flagged nf-pca rows in Markdown or JSON.\n"
            "\n"
            "Input (FILE or stdin): nf-pelt change points, or nf-pca scored rows (auto-detected).\n"
            "  --mode auto|change|flagged   force the kind of input (default auto)\n"
            "  --flagged                    same as --mode flagged\n"
            "  --features FILE              feature stream: nf-features output (intervals or\n"
            "                               --per-flow); required for change points\n"
            "  --baseline FILE              rows to compare flagged rows with (default: the\n"
            "                               rows of the feature stream not reported)\n"
            "  --model FILE                 nf-pca model: loadings, contributions to SPE and T2\n"
            "  --top N|all                  report the N flagged rows ranked highest (default 20)\n"
            "  --all-rows                   rank every scored row, flagged or not (by --score)\n"
            "  --score auto|spe|t2          rank flagged rows by the score that flagged each, over\n"
            "                               its limit (auto, default), or only the rows flagged by\n"
            "                               SPE or T2, by that score\n"
            "  -t, --time-key KEY           time key of the records (default WINDOW_START)\n"
            "Attribution (who carried a shift; which records made a flagged interval unusual):\n"
            "  --records FILE               nf-window aggregates the features were computed from\n"
            "  --flows FILE                 nf-parse flows of those windows: hosts and ports too\n"
            "  --uniflow                    the records were made by nf-window --uniflow: each\n"
            "                               flow's OUT_ counters count from DST to SRC\n"
            "  --internal CIDR[,...]        the internal prefixes given to nf-features\n"
            "  --attrib-span N              windows compared per side, nearest the change\n"
            "                               point; a flagged interval against the N before\n"
            "                               it (default 288)\n"
            "Output:\n"
            "  --output-format markdown|json  Markdown documents (default) or NDJSON\n"
            "  --output-dir DIR             one file per report plus README.md ranking them\n"
            "                               (json: DIR/reports.ndjson); default stdout\n"
            "  --force                      replace the reports of an earlier run in --output-dir\n"
            "                               (default: refuse to mix runs)\n"
            "  -o, --output FILE            NDJSON to FILE instead of stdout (json only)\n"
            "  --top-features N             features listed per report (default 10)\n"
            "  --plot                       SVG timeline per report via gnuplot (needs --output-dir)\n"
            "  --no-merge                   one report per change-point record (default: records\n"
            "                               of several columns at the same time make one report)\n"
            "Live (docs/nf-explain.md \"Following a live run\"):\n"
            "  --follow                     report each change point or event as it arrives; the\n"
            "                               --features, --records and --flows files may grow\n"
            "  --follow-wait S              how long an event waits for its feature rows (default 10)\n"
            "  --features-since TIME        the --features rows before TIME (ISO UTC or epoch ms)\n"
            "                               are an earlier run's: the events' rows count from TIME\n"
            "  --exec CMD                   run /bin/sh -c CMD per report, its JSON on stdin and\n"
            "                               NFSHIFT_EVENT_* in the environment (needs --follow)\n"
            "  --exec-timeout S             kill a command still running after S s (default 30)\n"
            "  --rejects FILE               copy unreadable input lines to FILE\n"
            "  -v, --verbose                every bad-record message (default: the first 20)\n"
            "  --strict                     stop at the first unreadable input line (exit 1)\n"
            "  -h, --help, -V, --version\n"
            "Older spellings, still accepted:\n"
            "  --format markdown|json       --output-format\n"
            "  --out-dir DIR                --output-dir\n");
}

enum {
    OPT_MODE = 256, OPT_FLAGGED, OPT_FEATURES, OPT_BASELINE, OPT_MODEL, OPT_TOP, OPT_ALL_ROWS, OPT_SCORE,
    OPT_FORMAT, OPT_OUT_DIR, OPT_TOP_FEATURES, OPT_PLOT, OPT_NO_MERGE, OPT_FORCE, OPT_REJECTS, OPT_STRICT,
    OPT_HELP, OPT_VERSION, OPT_RECORDS, OPT_INTERNAL, OPT_ATTRIB_SPAN, OPT_FLOWS, OPT_UNIFLOW,
    OPT_FOLLOW, OPT_FOLLOW_WAIT, OPT_EXEC, OPT_EXEC_TIMEOUT, OPT_FEATURES_SINCE
};

static const struct option long_options[] = {
    {"mode", required_argument, NULL, OPT_MODE},
    {"flagged", no_argument, NULL, OPT_FLAGGED},
    {"features", required_argument, NULL, OPT_FEATURES},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"model", required_argument, NULL, OPT_MODEL},
    {"top", required_argument, NULL, OPT_TOP},
    {"all-rows", no_argument, NULL, OPT_ALL_ROWS},
    {"score", required_argument, NULL, OPT_SCORE},
    {"time-key", required_argument, NULL, 't'},
    {"output-format", required_argument, NULL, OPT_FORMAT},
    {"format", required_argument, NULL, OPT_FORMAT}, /* older spelling */
    {"output-dir", required_argument, NULL, OPT_OUT_DIR},
    {"out-dir", required_argument, NULL, OPT_OUT_DIR}, /* older spelling */
    {"output", required_argument, NULL, 'o'},
    {"top-features", required_argument, NULL, OPT_TOP_FEATURES},
    {"plot", no_argument, NULL, OPT_PLOT},
    {"no-merge", no_argument, NULL, OPT_NO_MERGE},
    {"force", no_argument, NULL, OPT_FORCE},
    {"rejects", required_argument, NULL, OPT_REJECTS},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"internal", required_argument, NULL, OPT_INTERNAL},
    {"attrib-span", required_argument, NULL, OPT_ATTRIB_SPAN},
    {"flows", required_argument, NULL, OPT_FLOWS},
    {"uniflow", no_argument, NULL, OPT_UNIFLOW},
    {"follow", no_argument, NULL, OPT_FOLLOW},
    {"follow-wait", required_argument, NULL, OPT_FOLLOW_WAIT},
    {"features-since", required_argument, NULL, OPT_FEATURES_SINCE},
    {"exec", required_argument, NULL, OPT_EXEC},
    {"exec-timeout", required_argument, NULL, OPT_EXEC_TIMEOUT},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static void read_table(struct nf_table *t, const char *path, const char *time_key, struct nf_rejects *rej)
{
    char *paths[1] = {(char *)path};
    struct nf_lines l;
    struct nf_table_opts o = {.time_key = time_key};
    nf_lines_init(&l, paths, 1);
    nf_table_read(t, &l, &o, rej);
    nf_lines_free(&l);
}

/* A flag member: numeric column (non-zero) or a boolean true in the pass-through text. */
static int row_flagged(const struct nf_table *t, size_t r, const char *key, long col)
{
    if (col >= 0) {
        double v = nf_table_at(t, r, (size_t)col);
        return isfinite(v) && v != 0;
    }
    char pat[64];
    int n = snprintf(pat, sizeof pat, "\"%s\":true", key);
    return memmem(t->pass[r], t->pass_len[r], pat, (size_t)n) != NULL;
}

static const double *sort_keys;

/* Ranking key descending, NaN last, ties by input order. */
static int by_key(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double sx = sort_keys[x], sy = sort_keys[y];
    if (isnan(sx)) sx = -INFINITY;
    if (isnan(sy)) sy = -INFINITY;
    if (sx != sy)
        return sx < sy ? 1 : -1;
    return (x > y) - (x < y);
}

static double cell(const struct nf_table *t, size_t r, long c)
{
    return c >= 0 ? nf_table_at(t, r, (size_t)c) : NAN;
}

/*
 * The rows to report, best first: the flagged ones (by the score of
 * --score when given) or, with --all-rows, every row, ranked by
 * nfx_rank_stat; at most --top. Says in *what how many there were. The
 * first *nexclude rows of *out stay out of the baseline: every flagged row,
 * reported or not, so that a report does not depend on --top (with
 * --all-rows, the reported rows).
 */
static size_t select_rows(const struct nf_table *t, const struct nfx_ctx *ctx, size_t **out, char **what,
                          size_t *nexclude)
{
    long spe = nfx_col(t, "spe"), t2 = nfx_col(t, "t2"), spe_lim = nfx_col(t, "spe_limit"), t2_lim = nfx_col(t, "t2_limit");
    long fspe = nfx_col(t, "spe_flag"), ft2 = nfx_col(t, "t2_flag");
    size_t *sel = nf_xmalloc((t->nrows ? t->nrows : 1) * sizeof *sel), n = 0, nspe = 0, nt2 = 0, nboth = 0, r;
    double *keys = nf_xmalloc((t->nrows ? t->nrows : 1) * sizeof *keys);
    const char *need = ctx->score == NFX_SCORE_T2 ? "t2" : ctx->score == NFX_SCORE_SPE ? "spe" : NULL;

    if (need && nfx_col(t, need) < 0)
        nf_die("%s: the scored rows have no numeric \"%s\" (see --score)", t->source, need);
    if (spe < 0 && t2 < 0)
        nf_die("%s: the scored rows have no numeric \"spe\" or \"t2\"", t->source);
    for (r = 0; r < t->nrows; r++) {
        int fs = row_flagged(t, r, "spe_flag", fspe), ftt = row_flagged(t, r, "t2_flag", ft2);
        int wanted = ctx->score == NFX_SCORE_SPE ? fs : ctx->score == NFX_SCORE_T2 ? ftt : fs || ftt;
        nspe += fs;
        nt2 += ftt;
        nboth += fs && ftt;
        nfx_rank_stat(ctx->all_rows ? (ctx->score == NFX_SCORE_T2 ? NFX_SCORE_T2 : NFX_SCORE_SPE) : ctx->score,
                      cell(t, r, spe), cell(t, r, spe_lim), fs, cell(t, r, t2), cell(t, r, t2_lim), ftt, &keys[r]);
        if (ctx->all_rows || wanted)
            sel[n++] = r;
    }
    sort_keys = keys;
    qsort(sel, n, sizeof *sel, by_key);
    free(keys);
    /* the rows flagged by the other score (--score spe|t2) follow, to stay out of the baseline too */
    *nexclude = n;
    for (r = 0; r < t->nrows && !ctx->all_rows && ctx->score != NFX_SCORE_AUTO; r++) {
        int fs = row_flagged(t, r, "spe_flag", fspe), ftt = row_flagged(t, r, "t2_flag", ft2);
        if ((fs || ftt) && !(ctx->score == NFX_SCORE_SPE ? fs : ftt))
            sel[(*nexclude)++] = r;
    }
    if (ctx->all_rows && n > ctx->top_k)
        *nexclude = ctx->top_k;
    if (n > ctx->top_k && asprintf(what, "%zu of %zu scored rows are flagged (SPE %zu, T² %zu, both %zu)%s; "
                                         "the %zu ranked highest are reported (--top N or --top all for more).",
                                   nspe + nt2 - nboth, t->nrows, nspe, nt2, nboth, ctx->all_rows ? ", every row ranked" : "",
                                   ctx->top_k) < 0)
        nf_die("out of memory");
    if (n <= ctx->top_k && asprintf(what, "%zu of %zu scored rows are flagged (SPE %zu, T² %zu, both %zu)%s; %s reported.",
                                    nspe + nt2 - nboth, t->nrows, nspe, nt2, nboth,
                                    ctx->all_rows ? ", every row ranked" : "", n == 1 ? "the one selected is" : "all selected are") < 0)
        nf_die("out of memory");
    if (n > ctx->top_k)
        n = ctx->top_k;
    *out = sel;
    return n;
}

int main(int argc, char **argv)
{
    size_t r;
    struct nfx_ctx ctx = {.time_key = "WINDOW_START", .top_features = 10, .top_k = 20, .score = NFX_SCORE_AUTO,
                          .attrib_span = 288};
    struct nfx_out out = {.format = NFX_MARKDOWN, .mode_title = "nf-explain reports"};
    struct nf_rejects rej = {0};
    enum mode mode = MODE_AUTO;
    const char *model_path = NULL, *output = NULL;
    int plot = 0, merge = 1, force = 0, top_given = 0, c;
    struct nf_cidr_list internal = {NULL, 0};
    const char *bad;
    size_t badlen;
    int follow = 0;
    struct nfx_follow_opts fo = {.exec_timeout = 30, .wait = 10};

    nf_tool_init(argc, argv);
    while ((c = getopt_long(argc, argv, SHORTOPTS, long_options, NULL)) != -1) {
        switch (c) {
        case OPT_MODE:
            if (strcmp(optarg, "auto") == 0) mode = MODE_AUTO;
            else if (strcmp(optarg, "change") == 0) mode = MODE_CHANGE;
            else if (strcmp(optarg, "flagged") == 0) mode = MODE_FLAGGED;
            else nf_usage_error("--mode: '%s' is not auto, change or flagged", optarg);
            break;
        case OPT_FLAGGED: mode = MODE_FLAGGED; break;
        case OPT_FEATURES: ctx.features_path = optarg; break;
        case OPT_BASELINE: ctx.baseline_path = optarg; break;
        case OPT_MODEL: model_path = optarg; break;
        case OPT_TOP:
            top_given = 1;
            ctx.top_k = strcmp(optarg, "all") == 0 ? SIZE_MAX : nf_opt_u64("--top", optarg, 1, 1000000);
            break;
        case OPT_ALL_ROWS: ctx.all_rows = 1; break;
        case OPT_SCORE:
            if (strcmp(optarg, "auto") == 0) ctx.score = NFX_SCORE_AUTO;
            else if (strcmp(optarg, "spe") == 0) ctx.score = NFX_SCORE_SPE;
            else if (strcmp(optarg, "t2") == 0) ctx.score = NFX_SCORE_T2;
            else nf_usage_error("--score: '%s' is not auto, spe or t2", optarg);
            break;
        case 't':
            if (!*optarg) nf_usage_error("--time-key: empty key");
            ctx.time_key = optarg;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "markdown") == 0) out.format = NFX_MARKDOWN;
            else if (strcmp(optarg, "json") == 0) out.format = NFX_JSON;
            else nf_usage_error("--output-format: '%s' is not markdown or json", optarg);
            break;
        case OPT_OUT_DIR: out.dir = optarg; break;
        case 'o': output = optarg; break;
        case OPT_TOP_FEATURES: ctx.top_features = nf_opt_u64("--top-features", optarg, 1, 1000); break;
        case OPT_PLOT: plot = 1; break;
        case OPT_NO_MERGE: merge = 0; break;
        case OPT_FORCE: force = 1; break;
        case OPT_REJECTS: nf_rejects_open(&rej, optarg); break;
        case OPT_STRICT: rej.strict = 1; break;
        case OPT_RECORDS: ctx.records_path = optarg; break;
        case OPT_FLOWS: ctx.flows_path = optarg; break;
        case OPT_UNIFLOW: ctx.uniflow = 1; break;
        case OPT_INTERNAL:
            if (nf_cidr_list_add(&internal, optarg, &bad, &badlen) != 0)
                nf_usage_error("--internal: not a CIDR prefix: '%.*s'", (int)badlen, bad);
            break;
        case OPT_ATTRIB_SPAN: ctx.attrib_span = nf_opt_u64("--attrib-span", optarg, 1, 1000000); break;
        case OPT_FOLLOW: follow = 1; break;
        case OPT_FOLLOW_WAIT: fo.wait = nf_opt_double("--follow-wait", optarg, 0, 86400); break;
        case OPT_FEATURES_SINCE:
            if (nf_time_parse(optarg, strlen(optarg), NULL, &fo.since) != 0)
                nf_usage_error("--features-since: '%s' is not a time (ISO 8601 UTC or epoch ms)", optarg);
            fo.since_given = 1;
            break;
        case OPT_EXEC:
            if (!*optarg) nf_usage_error("--exec: empty command");
            fo.exec = optarg;
            break;
        case OPT_EXEC_TIMEOUT: fo.exec_timeout = nf_opt_double("--exec-timeout", optarg, 0.001, 86400); break;
        case 'v': rej.verbose = 1; break;
        case 'h': case OPT_HELP: usage(stdout); return 0;
        case 'V': case OPT_VERSION: nf_print_version();
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (ctx.records_path && internal.n == 0)
        nf_usage_error("--records needs --internal CIDR[,CIDR...] (the prefixes given to nf-features) to tell ingress from egress");
    if (ctx.flows_path && !ctx.records_path)
        nf_usage_error("--flows adds hosts and ports to the attribution of --records FILE; give both");
    if (ctx.uniflow && !ctx.flows_path)
        nf_usage_error("--uniflow says how to read the --flows FILE of an attribution; give --records and --flows");
    if (internal.n && !ctx.records_path)
        nf_usage_error("--internal is for attribution and needs --records FILE");
    ctx.internal = &internal;
    ctx.rejects = &rej;
    if (output && out.format != NFX_JSON)
        nf_usage_error("--output is for --output-format json; Markdown goes to --output-dir DIR");
    if (output && out.dir)
        nf_usage_error("--output and --output-dir exclude each other");
    if (plot && (!out.dir || out.format != NFX_MARKDOWN))
        nf_usage_error("--plot draws pictures for Markdown reports and needs --output-dir DIR");
    if (out.dir)
        nfx_out_open_dir(&out, force);
    if (plot) {
        out.plot = nfx_plot_available();
        if (!out.plot)
            nf_warn("--plot: gnuplot is not in PATH (Debian package gnuplot-nox); reports are written without pictures");
    }

    if (fo.since_given && !follow)
        nf_usage_error("--features-since is about the growing feature file of --follow");
    if (fo.exec && !follow)
        nf_usage_error("--exec runs a command per event as it arrives and needs --follow");
    if (follow) {
        struct nf_pca_model fmodel;
        if (mode == MODE_FLAGGED)
            nf_usage_error("--follow reports change points and events, not flagged rows");
        if (ctx.baseline_path)
            nf_usage_error("--baseline is for flagged rows; --follow reports change points");
        if (model_path) {
            nf_pca_model_load(&fmodel, NULL, model_path);
            ctx.model = &fmodel;
        }
        fo.output = output;
        int rc = nfx_follow(&ctx, &out, &fo, argv + optind, argc - optind);
        nfx_out_free(&out);
        nfx_md_text_free();
        if (ctx.model)
            nf_pca_model_free(&fmodel);
        nf_cidr_list_free(&internal);
        nf_rejects_finish(&rej, "records");
        nf_finish_stdout();
        return rc;
    }

    /* The input: change points or scored rows, told apart by their keys. */
    struct nf_table input;
    struct nf_lines lines;
    struct nf_table_opts topts = {.time_key = ctx.time_key};
    nf_lines_init(&lines, argv + optind, argc - optind);
    nf_table_read(&input, &lines, &topts, &rej);
    nf_lines_free(&lines);
    if (mode == MODE_AUTO && input.nrows > 0) {
        if (nfx_col(&input, "cost_reduction") >= 0 || memmem(input.pass[0], input.pass_len[0], "\"mean_before\"", 13))
            mode = MODE_CHANGE;
        else if (nfx_col(&input, "spe") >= 0 || nfx_col(&input, "t2") >= 0)
            mode = MODE_FLAGGED;
        else
            nf_die("%s: input is neither nf-pelt change points (cost_reduction, mean_before) "
                   "nor nf-pca rows (spe, t2); see --mode", input.source);
    }

    struct nf_table features, baseline;
    struct nf_pca_model model;
    if (ctx.features_path) {
        read_table(&features, ctx.features_path, ctx.time_key, &rej);
        ctx.features = &features;
    }
    if (ctx.baseline_path) {
        read_table(&baseline, ctx.baseline_path, ctx.time_key, &rej);
        ctx.baseline = &baseline;
    }
    if (model_path) {
        nf_pca_model_load(&model, NULL, model_path);
        ctx.model = &model;
    }

    struct nf_jw jw;
    FILE *jf = NULL;
    if (out.format == NFX_JSON) {
        if (out.dir) {
            jf = nfx_out_create(&out, "reports.ndjson");
        } else {
            jf = output ? nf_open_output(output) : stdout;
        }
        nf_jw_init(&jw, jf);
        out.jw = &jw;
    }

    if (mode == MODE_CHANGE) {
        out.mode_title = "Change points";
        cJSON **recs = nf_xcalloc(input.nrows ? input.nrows : 1, sizeof *recs);
        size_t nrecs = input.nrows;
        for (r = 0; r < input.nrows; r++)
            recs[r] = nfx_row_object(&input, r);
        if (merge)
            nfx_merge_same_time(recs, &nrecs, ctx.time_key);
        nfx_change_reports(&ctx, recs, nrecs, &out);
        for (r = 0; r < nrecs; r++)
            cJSON_Delete(recs[r]);
        free(recs);
    } else if (mode == MODE_FLAGGED) {
        out.mode_title = "Flagged rows";
        out.ranking = ctx.all_rows || ctx.score != NFX_SCORE_AUTO
                          ? "by anomaly score (highest first)"
                          : "by how far each row is over the limit it broke (score / limit, highest first)";
        size_t nexclude = 0, *sel = NULL, nsel = select_rows(&input, &ctx, &sel, &out.selection, &nexclude);
        /* Without an index to say so, the default --top cutting reports off is said on stderr. */
        if (nsel < nexclude && !top_given && (!out.dir || out.format == NFX_JSON))
            nf_warn("%s", out.selection);
        nfx_flag_reports(&ctx, &input, sel, nsel, nexclude, &out);
        free(sel);
    }
    if (out.format == NFX_MARKDOWN)
        nfx_out_index(&out);

    if (out.jw)
        nf_jw_free(&jw);
    if (jf && jf != stdout && fclose(jf) != 0)
        nf_die("write error on the JSON output");
    nfx_out_free(&out);
    nfx_md_text_free();
    if (ctx.model)
        nf_pca_model_free(&model);
    if (ctx.baseline)
        nf_table_free(&baseline);
    if (ctx.features)
        nf_table_free(&features);
    nf_table_free(&input);
    nf_cidr_list_free(&internal);
    nf_rejects_finish(&rej, "records");
    nf_finish_stdout();
    return 0;
}
