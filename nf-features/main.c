/*
 * nf-features - interval features (116 per window) from nf-window
 * aggregates, with --flow-medians five medians over the flows of
 * nf-window --with-flows, or per-flow context features from nf-window
 * --flows output.
 * See docs/nf-features.md and docs/features.md.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "order.h"
#include "fields.h"
#include "scratch.h"
#include "interval.h"
#include "flow.h"
#include "jsonw.h"
#include "medians.h"
#include "opt.h"
#include "perflow.h"
#include "rec.h"
#include "scope.h"

/* What out-of-order windows need (nf-window writes them so). */
#define ORDER_ADVICE "input must be grouped by window in time order"

/* -f: older spelling of --per-flow (-f is --input-format in nf-parse) */
#define SHORTOPTS "i:I:fw:hvV" /* getopt_long and nf_opt_bad */

/* Records read (JSON or not) and written: non-empty input with no output is exit 1. */
static uint64_t nread, nwritten;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s --internal CIDR[,CIDR...] [options] [FILE...]\n"
            "       %s --per-flow [--window SECONDS] [options] [FILE...]\n"
            "\n"
            "Interval mode (default) reads nf-window aggregate records, grouped by\n"
            "window in time order, and writes one record per window: WINDOW_START,\n"
            "WINDOW_END and the 116 features of docs/features.md (and the five flow\n"
            "medians with --flow-medians).\n"
            "Per-flow mode reads nf-window --flows records and writes each one\n"
            "unchanged followed by its context features over its window.\n"
            "\n"
            "  -i, --internal CIDR[,...]  the monitored (internal) prefixes; repeatable\n"
            "  -I, --internal-file FILE   prefixes from FILE, one per line, # comments\n"
            "      --flow-medians         five more features: medians over the flows between\n"
            "                             internal and external hosts, from the flow records\n"
            "                             of nf-window --with-flows in the input\n"
            "      --median-pool FLOWS    a window with fewer such flows pools the windows\n"
            "                             before it until it has this many (default 100)\n"
            "      --median-span SECONDS  pool at most this far back (default 1h)\n"
            "      --per-flow             per-flow context features\n"
            "  -w, --window SECONDS       per-flow mode: window of each flow from\n"
            "                             FIRST_SWITCHED instead of WINDOW_START\n"
            "      --rejects FILE         write unusable input lines to FILE\n"
            "  -v, --verbose              every bad-record message (default: the first 20)\n"
            "      --strict               stop at the first unusable line (exit 1)\n"
            "  -h, --help                 this text\n"
            "  -V, --version              version\n"
            "Older spelling, still accepted:\n"
            "  -f                         --per-flow\n",
            nf_progname(), nf_progname());
}

static void read_internal_file(struct nf_cidr_list *l, const char *path)
{
    FILE *f = nf_open_input(path, NULL);
    char *line = NULL;
    size_t cap = 0;
    uint64_t lineno = 0;
    while (getline(&line, &cap, f) >= 0) {
        const char *bad;
        size_t badlen;
        char *hash = strchr(line, '#');
        lineno++;
        if (hash)
            *hash = '\0';
        if (nf_cidr_list_add(l, line, &bad, &badlen) != 0) {
            nf_warn_at(path, lineno, "not a CIDR prefix: '%.*s'", (int)badlen, bad);
            free(line);
            if (f != stdin)
                fclose(f);
            nf_cidr_list_free(l);
            exit(NF_EXIT_USAGE);
        }
    }
    free(line);
    if (ferror(f))
        nf_die("error reading %s: %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
}

/* A number that is a whole value in [min, max]. */
static int whole(const struct field *v, double min, double max)
{
    return v->type == F_NUMBER && v->num == floor(v->num) && v->num >= min && v->num <= max;
}

#define MAX_MS 9007199254740991.0 /* 2^53 - 1 */

/* ---- interval mode ---- */

enum { A_START, A_END, A_SRC, A_DST, A_PROTO, A_FLOWS, A_PACKETS, A_BYTES, A_FLOW_SRC, A_N };
static const char *const agg_keys[A_N] = {
    "WINDOW_START", "WINDOW_END", "SRC_NET", "DST_NET", "PROTOCOL_NUM", "FLOWS", "PACKETS", "BYTES",
    "IP_SRC_ADDR", /* present: a flow record of nf-window --with-flows */
};

/* The window being read and what its features come from. */
struct iwin {
    struct nf_jw *w;
    struct interval iv;
    struct medians *med; /* --flow-medians, or NULL */
    int64_t start, end;
    int open;
};

/* Writes the features of the window being read. */
static void iwin_write(struct iwin *x)
{
    double feat[NF_NFEATURES], med[NF_NMEDIANS];
    int i;
    interval_compute(&x->iv, feat);
    nf_jw_begin(x->w);
    interval_write_members(x->w, x->start, x->end, feat);
    if (x->med) {
        medians_compute(x->med, x->start, med);
        for (i = 0; i < NF_NMEDIANS; i++)
            interval_write_value(x->w, nf_medians[i].name, med[i], 0);
    }
    nf_jw_end(x->w);
    nwritten++;
}

/* Checks the window of a record against the one being read: 0, or -1 and why in text. */
static int iwin_check(const struct iwin *x, const struct field *val, char *text, size_t cap)
{
    int64_t start, end;
    if (!whole(&val[A_START], -MAX_MS, MAX_MS) || !whole(&val[A_END], -MAX_MS, MAX_MS) ||
        val[A_END].num <= val[A_START].num) {
        snprintf(text, cap, "WINDOW_START/WINDOW_END: missing, not integer epoch ms, or END not after START");
        return -1;
    }
    start = (int64_t)val[A_START].num;
    end = (int64_t)val[A_END].num;
    if (x->open && start < x->start) {
        nf_order_text(text, cap, "WINDOW_START", start, "the current window", x->start, ORDER_ADVICE);
        return -1;
    }
    if (x->open && start == x->start && end != x->end) {
        snprintf(text, cap, "WINDOW_END %lld differs from %lld of the same window", (long long)end,
                 (long long)x->end);
        return -1;
    }
    return 0;
}

/* A good record's window: the one before is written when this one is new. */
static void iwin_enter(struct iwin *x, const struct field *val)
{
    int64_t start = (int64_t)val[A_START].num;
    if (x->open && start != x->start)
        iwin_write(x);
    x->start = start;
    x->end = (int64_t)val[A_END].num;
    x->open = 1;
}

/* An aggregate record: 0, or -1 and why it cannot be used in text. */
static int agg_check(const struct field *val, char *text, size_t cap)
{
    const char *why = NULL;
    int c;
    for (c = A_FLOWS; c <= A_BYTES; c++)
        if (val[c].type != F_NUMBER || !(val[c].num >= 0) || !isfinite(val[c].num)) {
            snprintf(text, cap, "%s: missing or not a number >= 0", agg_keys[c]);
            return -1;
        }
    if (val[A_SRC].type == F_NULL && val[A_DST].type == F_NULL && val[A_PROTO].type == F_NULL) {
        /* The empty-window marker of nf-window: it carries no traffic. */
        if (val[A_FLOWS].num != 0 || val[A_PACKETS].num != 0 || val[A_BYTES].num != 0)
            why = "empty-window record (null SRC_NET/DST_NET/PROTOCOL_NUM) with nonzero counters";
    } else if (val[A_SRC].type != F_STRING || val[A_DST].type != F_STRING) {
        why = "SRC_NET/DST_NET: missing or not text";
    } else if (!whole(&val[A_PROTO], 0, 255)) {
        why = "PROTOCOL_NUM: missing or not an integer 0-255";
    }
    if (why)
        snprintf(text, cap, "%s", why);
    return why ? -1 : 0;
}

static int run_interval(struct nf_lines *in, struct nf_rejects *rej, struct nf_jw *w,
                        const struct nf_cidr_list *internal, struct medians *med)
{
    struct field val[A_N];
    struct fields f = {agg_keys, A_N, val, NULL};
    struct iwin x = {w, {0}, med, 0, 0, 0};
    struct scope scope;
    cJSON *obj;

    interval_init(&x.iv, internal);
    scope_init(&scope, internal);
    x.iv.scope = &scope;
    while ((obj = nf_rec_next(in, rej)) != NULL) {
        const char *line = in->buf, *why = NULL; /* the record as read, for rejects */
        size_t len = in->len;
        char text[NF_ORDER_TEXT];
        nread++;
        fields_take(&f, obj);
        if (val[A_FLOW_SRC].type != F_ABSENT && !med) {
            nf_reject(rej, in->name, in->lineno, line, len,
                      "a flow record (IP_SRC_ADDR), not an aggregate: use --flow-medians for the "
                      "flows of nf-window --with-flows");
            continue;
        }
        if (iwin_check(&x, val, text, sizeof text) != 0) {
            nf_reject(rej, in->name, in->lineno, line, len, "%s", text);
            continue;
        }
        if (val[A_FLOW_SRC].type != F_ABSENT) {
            struct nf_flow flow;
            if (nf_flow_from_json(f.tree, &flow, text, sizeof text) != 0) {
                nf_reject(rej, in->name, in->lineno, line, len, "%s", text);
                continue;
            }
            iwin_enter(&x, val);
            medians_add(med, &flow);
            continue;
        }
        if (agg_check(val, text, sizeof text) != 0) {
            nf_reject(rej, in->name, in->lineno, line, len, "%s", text);
            continue;
        }
        iwin_enter(&x, val);
        if (val[A_SRC].type == F_STRING &&
            interval_add(&x.iv, val[A_SRC].s, val[A_SRC].n, val[A_DST].s, val[A_DST].n,
                         (unsigned)val[A_PROTO].num, val[A_FLOWS].num, val[A_PACKETS].num,
                         val[A_BYTES].num, &why) != 0)
            nf_reject(rej, in->name, in->lineno, line, len, "%s", why);
    }
    if (x.open)
        iwin_write(&x);
    scope_finish(&scope);
    if (med && nwritten > 0 && med->crossing == 0)
        nf_warn("warning: --flow-medians: no flow between an internal and an external address in "
                "the input, so the five medians are 0 (nf-window --with-flows writes the flows)");
    fields_free(&f);
    interval_free(&x.iv);
    scope_free(&scope);
    return 0;
}

/* ---- per-flow mode ---- */

enum {
    P_START, P_SRC, P_DST, P_DPORT, P_PROTO, P_FLAGS, P_FIRST, P_IPKTS, P_IBYTES, P_N
};
static const char *const flow_keys[P_N] = {
    "WINDOW_START", "IP_SRC_ADDR", "IP_DST_ADDR", "L4_DST_PORT", "PROTOCOL_NUM",
    "TCP_FLAGS", "FIRST_SWITCHED", "IN_PKTS", "IN_BYTES",
};

static int run_perflow(struct nf_lines *in, struct nf_rejects *rej, struct nf_jw *w,
                       int64_t window_ms)
{
    struct field val[P_N];
    struct fields f = {flow_keys, P_N, val, NULL};
    struct perflow pf;
    int64_t cur = 0;
    int open = 0;
    cJSON *obj;

    perflow_init(&pf);
    while ((obj = nf_rec_next(in, rej)) != NULL) {
        const char *line = in->buf, *members; /* the record as read */
        size_t len = in->len, mlen;
        nread++;
        int64_t key, first;
        fields_take(&f, obj);
        if (val[P_SRC].type != F_STRING || val[P_DST].type != F_STRING) {
            nf_reject(rej, in->name, in->lineno, line, len, "IP_SRC_ADDR/IP_DST_ADDR: missing or not text");
            continue;
        }
        if (!whole(&val[P_PROTO], 0, 255) || !whole(&val[P_DPORT], 0, 65535) ||
            !whole(&val[P_FLAGS], 0, 255)) {
            nf_reject(rej, in->name, in->lineno, line, len,
                      "PROTOCOL_NUM/L4_DST_PORT/TCP_FLAGS: missing or out of range");
            continue;
        }
        if (val[P_IPKTS].type != F_NUMBER || !(val[P_IPKTS].num >= 0) ||
            val[P_IBYTES].type != F_NUMBER || !(val[P_IBYTES].num >= 0)) {
            nf_reject(rej, in->name, in->lineno, line, len, "IN_PKTS/IN_BYTES: missing or not a number >= 0");
            continue;
        }
        if (val[P_FIRST].type == F_NULL) {
            first = INT64_MIN;
        } else if (whole(&val[P_FIRST], -MAX_MS, MAX_MS)) {
            first = (int64_t)val[P_FIRST].num;
        } else {
            nf_reject(rej, in->name, in->lineno, line, len, "FIRST_SWITCHED: missing or not epoch ms");
            continue;
        }
        if (window_ms > 0) {
            if (first == INT64_MIN) {
                nf_reject(rej, in->name, in->lineno, line, len,
                          "FIRST_SWITCHED is null: no window with --window");
                continue;
            }
            key = first >= 0 ? first / window_ms * window_ms
                             : -((-first + window_ms - 1) / window_ms) * window_ms;
        } else if (whole(&val[P_START], -MAX_MS, MAX_MS)) {
            key = (int64_t)val[P_START].num;
        } else {
            nf_reject(rej, in->name, in->lineno, line, len,
                      "WINDOW_START: missing or not epoch ms (use nf-window --flows, or --window)");
            continue;
        }
        if (open && key < cur) {
            char text[NF_ORDER_TEXT];
            nf_reject(rej, in->name, in->lineno, line, len,
                      "%s", nf_order_text(text, sizeof text, "WINDOW_START", key,
                                          "the current window", cur, ORDER_ADVICE));
            continue;
        }
        if (open && key != cur)
            perflow_flush(&pf, w);
        cur = key;
        open = 1;
        fields_members(line, len, &members, &mlen);
        nwritten++;
        perflow_add(&pf, members, mlen, val[P_SRC].s, val[P_SRC].n, val[P_DST].s, val[P_DST].n,
                    first, val[P_IPKTS].num, val[P_IBYTES].num, (unsigned)val[P_DPORT].num,
                    (unsigned)val[P_PROTO].num, (unsigned)val[P_FLAGS].num);
    }
    perflow_flush(&pf, w);
    fields_free(&f);
    perflow_free(&pf);
    return 0;
}

int main(int argc, char **argv)
{
    enum { OPT_REJECTS = 256, OPT_STRICT, OPT_MEDIANS, OPT_MEDIAN_POOL, OPT_MEDIAN_SPAN };
    static const struct option longopts[] = {
        {"internal", required_argument, NULL, 'i'},
        {"internal-file", required_argument, NULL, 'I'},
        {"per-flow", no_argument, NULL, 'f'},
        {"flow-medians", no_argument, NULL, OPT_MEDIANS},
        {"median-pool", required_argument, NULL, OPT_MEDIAN_POOL},
        {"median-span", required_argument, NULL, OPT_MEDIAN_SPAN},
        {"window", required_argument, NULL, 'w'},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct nf_cidr_list internal = {NULL, 0};
    struct nf_rejects rej = {0};
    const char *rejects_path = NULL;
    int per_flow = 0, have_internal = 0, flow_medians = 0, median_opt = 0, c;
    int64_t window_s = 0, median_span_s = 3600;
    uint64_t median_pool = 100;
    struct medians med;
    struct nf_lines in;
    struct nf_jw w;

    nf_tool_init(argc, argv);
    while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        const char *bad;
        size_t badlen;
        switch (c) {
        case 'i':
            if (nf_cidr_list_add(&internal, optarg, &bad, &badlen) != 0) {
                nf_cidr_list_free(&internal);
                nf_usage_error("--internal: not a CIDR prefix: '%.*s'", (int)badlen, bad);
            }
            have_internal = 1;
            break;
        case 'I':
            read_internal_file(&internal, optarg);
            have_internal = 1;
            break;
        case 'f': per_flow = 1; break;
        case 'w':
            window_s = nf_opt_seconds("--window", optarg);
            if (window_s <= 0)
                nf_usage_error("--window: must be at least 1 second");
            break;
        case OPT_MEDIANS: flow_medians = 1; break;
        case OPT_MEDIAN_POOL:
            median_pool = nf_opt_u64("--median-pool", optarg, 0, 100000000);
            median_opt = 1;
            break;
        case OPT_MEDIAN_SPAN:
            median_span_s = nf_opt_seconds("--median-span", optarg);
            if (median_span_s < 0)
                nf_usage_error("--median-span: must not be negative");
            median_opt = 1;
            break;
        case OPT_REJECTS: rejects_path = optarg; break;
        case OPT_STRICT: rej.strict = 1; break;
        case 'v': rej.verbose = 1; break;
        case 'h': usage(stdout); nf_cidr_list_free(&internal); exit(0);
        case 'V': nf_cidr_list_free(&internal); nf_print_version();
        default: nf_cidr_list_free(&internal); nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (per_flow && have_internal)
        nf_usage_error("--internal does not apply to --per-flow: a flow's context features are "
                       "counted over every flow of its window, in both directions (docs/features.md)");
    if (!per_flow && !have_internal)
        nf_usage_error("interval mode needs the internal prefixes: --internal CIDR[,CIDR...] or --internal-file FILE");
    if (!per_flow && internal.n == 0)
        nf_usage_error("--internal-file: no prefixes given");
    if (per_flow && flow_medians)
        nf_usage_error("--flow-medians is an interval feature; --per-flow writes each flow's context");
    if (median_opt && !flow_medians)
        nf_usage_error("--median-pool and --median-span apply to --flow-medians only");
    if (!per_flow && window_s)
        nf_usage_error("--window applies to --per-flow only (nf-window sets the windows of aggregates)");
    if (rejects_path)
        nf_rejects_open(&rej, rejects_path);

    nf_lines_init(&in, argv + optind, argc - optind);
    nf_jw_init(&w, stdout);
    nf_scratch_begin(); /* one record's tree at a time (fields.h) */
    if (per_flow)
        run_perflow(&in, &rej, &w, window_s * 1000);
    else {
        if (flow_medians)
            medians_init(&med, &internal, (size_t)median_pool, median_span_s * 1000);
        run_interval(&in, &rej, &w, &internal, flow_medians ? &med : NULL);
        if (flow_medians)
            medians_free(&med);
    }
    nf_scratch_end();
    nf_jw_free(&w);
    nf_lines_free(&in);
    nf_cidr_list_free(&internal);
    nf_rejects_finish(&rej, "records");
    nf_finish_stdout();
    if (nread + rej.count > 0 && nwritten == 0) {
        nf_warn("error: no record written from non-empty input (%llu records skipped as bad)",
                (unsigned long long)rej.count);
        return NF_EXIT_DATA;
    }
    return 0;
}
