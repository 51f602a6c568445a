/*
 * nf-window - flow records into time windows: per window and (source
 * subnet, destination subnet, protocol) the sums of flows, packets and
 * bytes (docs/nf-window.md), or with --flows the flows themselves grouped
 * by window, or with --with-flows both in one stream; --merge adds up the
 * aggregates of several runs.
 */
#include "err.h"
#include "flow.h"
#include "jsonw.h"
#include "merge.h"
#include "ntime.h"
#include "order.h"
#include "opt.h"
#include "rec.h"
#include "scratch.h"
#include "split.h"
#include "windows.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A flow whose span covers more windows than this is refused by --split. */
#define SPLIT_MAX_WINDOWS 1000000

/*
 * Default --lateness: 2 hours. Measured on every shared real export
 * (docs/nf-window.md, "Default lateness"): flows arrive up to 200 s behind
 * the newest start in the CESNET IPFIX file, 339 s from a Palo Alto, 826 s
 * where nfcapd interleaved two captures (the pmacct nfdump CSV) and 4,546 s
 * from a Ubiquiti EdgeRouter (its TCP timeout is an hour); 2 hours keeps all
 * of them with room, and covers Cisco's 30-minute default active timeout.
 */
#define DEFAULT_LATENESS_MS (2 * 3600 * 1000)

/* Messages about restarts printed one by one; later ones are only counted. */
#define RESTART_MESSAGES 5

struct run {
    int64_t width, lateness, max_gap;
    int window_given, lateness_given;
    int64_t start_at;             /* --start-at: the first window */
    int start_at_given;
    uint64_t nbefore;             /* flows before --start-at: counted, kept in --late */
    unsigned prefix4, prefix6;
    int split, fill, merge, flows, with_flows, uniflow;
    const char *late_path;
    FILE *late;
    struct nf_rejects rej;
    struct nf_jw out;
    struct engine eng;
    int64_t newest;               /* newest flow time seen */
    int have_newest;
    uint64_t nlate, ntimeless;    /* counted, kept in --late */
    int64_t max_late_ms;          /* the latest of the late flows, behind the newest time */
    const char *first_late_file;
    uint64_t first_late_line;
    uint64_t nrestarts;           /* times the input went back more than --max-gap */
    uint64_t nread, nwritten;     /* records read; flows written (--flows, --with-flows) */
    uint64_t *shares;             /* --split scratch */
    size_t nshares;
    cJSON *current;      /* the record being handled, freed by an early exit */
};

#define SHORTOPTS "hvV" /* getopt_long and nf_opt_bad */

static void usage(void)
{
    printf("usage: %s [options] [FILE...]\n"
           "Groups flow records (NDJSON, docs/records.md) into time windows and writes per\n"
           "window and (source subnet, destination subnet, protocol) the sums of FLOWS,\n"
           "PACKETS and BYTES, window by window in time order.\n"
           "\n"
           "  --window SECONDS     window length (default 300; 5m, 1h also work); windows\n"
           "                       start at multiples of it since 1970-01-01 00:00 UTC\n"
           "  --prefix4 N          IPv4 subnet length (default 24)\n"
           "  --prefix6 N          IPv6 subnet length (default 64)\n"
           "  --split              spread a flow's packets and bytes over the windows it\n"
           "                       spans, in proportion to overlap (flow counted once)\n"
           "  --lateness SECONDS   keep windows open this long after the newest flow time\n"
           "                       seen, for input that is only roughly in time order (2h)\n"
           "  --late FILE          keep late flows and flows without a time in FILE\n"
           "                       (without it they are dropped and the exit status is 1)\n"
           "  --start-at TIME      continue a series an earlier run ended at TIME (ISO UTC\n"
           "                       or epoch ms; a window start): windows before it are not\n"
           "                       written, their flows count as late; the empty windows\n"
           "                       from TIME on are filled\n"
           "  --max-gap SECONDS    do not fill a run of empty windows longer than this;\n"
           "                       report it as an error, exit status 1 (default 1d)\n"
           "  --no-fill            write only non-empty windows\n"
           "  --flows              write the flows themselves, tagged with WINDOW_START and\n"
           "                       WINDOW_END, grouped by window\n"
           "  --with-flows         write both: per window its flows as --flows writes them,\n"
           "                       then its aggregates (flows with FLOWS 0 or a null address\n"
           "                       are rejected: they cannot be aggregated)\n"
           "  --uniflow            split a bidirectional flow into its two directions, as a\n"
           "                       unidirectional exporter sends them: IN_ counters\n"
           "                       source to destination, OUT_ counters the other way\n"
           "  --merge              add up aggregate records of several nf-window runs (any\n"
           "                       order) into what one run over all the flows writes\n"
           "  --rejects FILE       write records that cannot be used to FILE\n"
           "  -v, --verbose        every bad-record message (default: the first 20)\n"
           "  --strict             stop at the first record that cannot be used, late flow\n"
           "                       or flow without a time (exit 1)\n"
           "  -h, --help, -V, --version\n"
           "\n"
           "PACKETS = IN_PKTS + OUT_PKTS, BYTES = IN_BYTES + OUT_BYTES (each direction its\n"
           "own with --uniflow), FLOWS = sum of FLOWS.\n"
           "See docs/nf-window.md or man nf-window.\n",
           nf_progname());
    nf_finish_stdout();
    exit(0);
}

static void keep_late(struct run *r, const char *file, uint64_t lineno, const char *line,
                      size_t len, int late)
{
    if (late && !r->first_late_file) {
        r->first_late_file = file;
        r->first_late_line = lineno;
    }
    if (r->late) {
        fwrite(line, 1, len, r->late);
        fputc('\n', r->late);
    }
}

/* --strict: a late or timeless flow ends the run like a bad record. */
static void strict_stop(struct run *r, const char *file, uint64_t lineno, const char *why)
{
    char lat[32];
    nf_duration_format(r->lateness, lat, sizeof lat);
    nf_jw_flush(&r->out);
    nf_warn_at(file, lineno, "%s (--lateness %s, --strict)", why, lat);
    cJSON_Delete(r->current);
    exit(NF_EXIT_DATA);
}

/* --strict: a flow at time t (key) behind ref (what) ends the run, with why. */
static void strict_order_stop(struct run *r, const char *key, int64_t t, const char *what, int64_t ref,
                              const char *why, const char *file, uint64_t lineno)
{
    char text[NF_ORDER_TEXT];
    nf_order_text(text, sizeof text, key, t, what, ref, why);
    strict_stop(r, file, lineno, text);
}

static void late_flow(struct run *r, const char *key, int64_t t, const char *file,
                      uint64_t lineno, const char *line, size_t len)
{
    int64_t behind = r->newest - t;
    if (r->rej.strict)
        strict_order_stop(r, key, t, "the newest flow time", r->newest,
                          "its window was already written (a longer --lateness keeps windows open)", file, lineno);
    r->nlate++;
    if (behind > r->max_late_ms)
        r->max_late_ms = behind;
    keep_late(r, file, lineno, line, len, 1);
}

/*
 * --start-at: a flow of a window the earlier run already wrote (the
 * collector was restarted within it). Far earlier than that (more than
 * --max-gap) it is a time-ordered run of its own, as in restart().
 */
static int before_start_at(struct run *r, const char *key, int64_t t, int64_t start, const char *file,
                           uint64_t lineno, const char *line, size_t len)
{
    if (!r->start_at_given || start >= r->start_at || r->start_at - t > r->max_gap)
        return 0;
    if (r->rej.strict)
        strict_order_stop(r, key, t, "--start-at", r->start_at, "its window is one an earlier run wrote", file,
                          lineno);
    r->nbefore++;
    keep_late(r, file, lineno, line, len, 1);
    return 1;
}

/*
 * Time went back more than --max-gap: no lateness is meant to hold that
 * (a file joined from separate captures, an exporter whose clock was
 * reset). Dropping the rest as late would lose whole captures, so the
 * windows so far are written and a new time-ordered run starts.
 */
static void restart(struct run *r, const char *key, int64_t t, const char *file,
                    uint64_t lineno)
{
    r->nrestarts++;
    if (r->nrestarts <= RESTART_MESSAGES) {
        char gap[32], advice[256], text[NF_ORDER_TEXT];
        nf_duration_format(r->max_gap, gap, sizeof gap);
        snprintf(advice, sizeof advice,
                 "more than --max-gap (%s): the windows so far are written and a new "
                 "time-ordered run of windows starts here (sort the input by %s for one series)",
                 gap, key);
        nf_warn_at(file, lineno, "error: %s",
                   nf_order_text(text, sizeof text, key, t, "the newest flow time", r->newest,
                                 advice));
    }
    engine_restart(&r->eng);
    r->newest = t;
}

/* One direction's counters into its window(s): --split spreads them by overlap. */
static void add_counts(struct run *r, const struct agg_key *key, int64_t t, int64_t t_end,
                       uint64_t flows, uint64_t packets, uint64_t bytes)
{
    uint64_t hash = agg_key_hash(key), n, i;
    int64_t start = window_of(t, r->width);
    if (!r->split || t_end <= t || window_of(t_end - 1, r->width) == start) {
        if (flows || packets || bytes)
            engine_add(&r->eng, start, key, hash, flows, packets, bytes);
        return;
    }
    n = split_nwindows(t, t_end, r->width);
    if (r->nshares < 2 * n) {
        r->nshares = 2 * n;
        r->shares = nf_xrealloc(r->shares, r->nshares * sizeof *r->shares);
    }
    split_shares(t, t_end, r->width, packets, r->shares, n);
    split_shares(t, t_end, r->width, bytes, r->shares + n, n);
    for (i = 0; i < n; i++) {
        uint64_t fl = i == 0 ? flows : 0, pk = r->shares[i], by = r->shares[n + i];
        if (fl || pk || by)
            engine_add(&r->eng, start + (int64_t)i * r->width, key, hash, fl, pk, by);
    }
}

/*
 * By default a record's PACKETS and BYTES are both directions of the flow,
 * under the initiator's (source, destination). --uniflow splits a
 * bidirectional flow as a unidirectional exporter (NetFlow v5/v9) would
 * have sent it: IN_ counters source to destination, OUT_ counters
 * destination to source, each direction that carried traffic a flow.
 */
static int aggregate(struct run *r, const struct nf_flow *f, int64_t t, int64_t t_end,
                     const char *file, uint64_t lineno, const char *line, size_t len)
{
    struct nf_cidr src, dst;
    struct agg_key key;
    uint64_t packets, bytes;
    nf_cidr_of(&f->src, f->src.family == 4 ? r->prefix4 : r->prefix6, &src);
    nf_cidr_of(&f->dst, f->dst.family == 4 ? r->prefix4 : r->prefix6, &dst);
    if (__builtin_add_overflow(f->in_pkts, f->out_pkts, &packets) ||
        __builtin_add_overflow(f->in_bytes, f->out_bytes, &bytes)) {
        nf_reject(&r->rej, file, lineno, line, len, "IN_ and OUT_ counters add up past 2^64-1");
        return -1;
    }
    if (r->split && t_end > t && split_nwindows(t, t_end, r->width) > SPLIT_MAX_WINDOWS) {
        nf_reject(&r->rej, file, lineno, line, len,
                  "--split: the flow spans %llu windows (at most %d)",
                  (unsigned long long)split_nwindows(t, t_end, r->width), SPLIT_MAX_WINDOWS);
        return -1;
    }
    agg_key_make(&key, &src, &dst, f->proto);
    if (!r->uniflow) {
        add_counts(r, &key, t, t_end, f->flows, packets, bytes);
        return 0;
    }
    add_counts(r, &key, t, t_end, f->flows, f->in_pkts, f->in_bytes);
    if (f->out_pkts || f->out_bytes) {
        agg_key_make(&key, &dst, &src, f->proto);
        add_counts(r, &key, t, t_end, f->flows, f->out_pkts, f->out_bytes);
    }
    return 0;
}

static const char **flow_skip_keys(size_t *n)
{
    static const char *keys[64];
    size_t i;
    for (i = 0; i < nf_flow_nkeys; i++)
        keys[i] = nf_flow_keys[i];
    keys[i++] = "WINDOW_START"; /* re-windowing --flows output replaces these */
    keys[i++] = "WINDOW_END";
    *n = i;
    return keys;
}

static void write_flow(struct run *r, const struct nf_flow *f, const cJSON *obj, int64_t start)
{
    static const char **skip;
    static size_t nskip;
    struct nf_jw *w = engine_flow_writer(&r->eng, start);
    if (!skip)
        skip = flow_skip_keys(&nskip);
    nf_jw_begin(w);
    nf_jw_i64(w, "WINDOW_START", start);
    nf_jw_i64(w, "WINDOW_END", start + r->width);
    nf_flow_write_members(w, f);
    nf_jw_passthrough(w, obj, skip, nskip);
    nf_jw_end(w);
    r->nwritten++;
}

static void run_flows(struct run *r, char **paths, int npaths)
{
    struct nf_lines l;
    cJSON *obj;
    uint64_t bad_before = 0;
    nf_lines_init(&l, paths, npaths);
    nf_scratch_begin(); /* a flow's tree is done with before the next line */
    while ((obj = nf_rec_next(&l, &r->rej)) != NULL) {
        const char *line = l.buf; /* the record as read, for --late and rejects */
        r->current = obj;
        r->nread += 1 + (r->rej.count - bad_before); /* and the lines that were no JSON */
        size_t len = l.len;
        struct nf_flow f;
        char why[160];
        int64_t t, t_end, start;
        const char *key = "FIRST_SWITCHED"; /* the time that places the flow */
        if (nf_flow_from_json(obj, &f, why, sizeof why) < 0) {
            nf_reject(&r->rej, l.name, l.lineno, line, len, "%s", why);
            goto next;
        }
        if (!r->flows && (f.src.family == 0 || f.dst.family == 0)) {
            nf_reject(&r->rej, l.name, l.lineno, line, len, "%s: null, cannot aggregate",
                      f.src.family == 0 ? "IP_SRC_ADDR" : "IP_DST_ADDR");
            goto next;
        }
        /*
         * A window's flows are written beside its aggregates, so each flow
         * must make its window non-empty: with FLOWS 0 the window could end
         * with flows but no aggregate, and whether it gets a fill record is
         * only known windows later (windows.h).
         */
        if (r->with_flows && f.flows == 0) {
            nf_reject(&r->rej, l.name, l.lineno, line, len,
                      "FLOWS: 0, --with-flows needs every flow counted in its window");
            goto next;
        }
        if (f.has_time) {
            t = f.first_ms;
            t_end = f.last_ms;
        } else if (f.present & NF_HAS_EXPORT_TIME) {
            t = t_end = f.export_ms; /* no flow times: the export time stands in */
            key = "EXPORT_TIME";
        } else {
            if (r->rej.strict)
                strict_stop(r, l.name, l.lineno,
                            "flow without a time (FIRST_SWITCHED null, no EXPORT_TIME)");
            r->ntimeless++;
            keep_late(r, l.name, l.lineno, line, len, 0);
            goto next;
        }
        start = window_of(t, r->width);
        if (before_start_at(r, key, t, start, l.name, l.lineno, line, len))
            goto next;
        if (engine_is_closed(&r->eng, start)) {
            if (r->newest - t <= r->max_gap) {
                late_flow(r, key, t, l.name, l.lineno, line, len);
                goto next;
            }
            restart(r, key, t, l.name, l.lineno);
            start = window_of(t, r->width);
        }
        if (r->flows)
            write_flow(r, &f, obj, start);
        else if (aggregate(r, &f, t, t_end, l.name, l.lineno, line, len) == 0 && r->with_flows)
            write_flow(r, &f, obj, start); /* not a flow the aggregates rejected */
        if (!r->have_newest || t > r->newest) {
            r->newest = t;
            r->have_newest = 1;
            if (t >= INT64_MIN + r->lateness)
                engine_advance(&r->eng, t - r->lateness);
        }
    next:
        cJSON_Delete(obj);
        r->current = NULL;
        bad_before = r->rej.count;
    }
    r->nread += r->rej.count - bad_before;
    nf_scratch_end();
    nf_lines_free(&l);
    engine_finish(&r->eng);
}

/* A temporary file for merged windows, gone when closed. */
static FILE *spool_open(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd;
    FILE *f;
    snprintf(path, sizeof path, "%s/nf-window.XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0)
        nf_die("cannot create a temporary file in %s: %s", dir && *dir ? dir : "/tmp",
               strerror(errno));
    unlink(path);
    f = fdopen(fd, "w+");
    if (!f)
        nf_die("cannot open a temporary file: %s", strerror(errno));
    return f;
}

/*
 * The input went back in time after windows were written to the spool:
 * read them back in, hold every window from now on, start the spool over.
 */
static void spool_reload(struct run *r, FILE *spool)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    nf_jw_flush(&r->out);
    rewind(spool);
    while ((n = getline(&line, &cap, spool)) > 0) {
        struct agg_rec a;
        char why[160];
        cJSON *obj = cJSON_ParseWithLength(line, (size_t)n);
        if (!obj || agg_rec_from_json(obj, &a, why, sizeof why) < 0)
            nf_die("temporary file: cannot read back its own record");
        cJSON_Delete(obj);
        if (!a.is_fill)
            engine_add(&r->eng, a.start, &a.key, agg_key_hash(&a.key), a.flows, a.packets,
                       a.bytes);
    }
    free(line);
    if (ferror(spool) || ftruncate(fileno(spool), 0) != 0)
        nf_die("temporary file: %s", strerror(errno));
    rewind(spool);
    engine_reopen_all(&r->eng);
}

static void spool_copy_out(FILE *spool)
{
    char buf[1 << 16];
    size_t n;
    rewind(spool);
    while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            break;
    if (ferror(spool))
        nf_die("temporary file: %s", strerror(errno));
}

static void run_merge(struct run *r, char **paths, int npaths)
{
    struct nf_lines l;
    cJSON *obj;
    int hold_all = 0;
    FILE *spool = spool_open();
    uint64_t bad_before = 0;
    r->out.out = spool;
    r->eng.defer_messages = 1;
    nf_lines_init(&l, paths, npaths);
    while ((obj = nf_rec_next(&l, &r->rej)) != NULL) {
        struct agg_rec a;
        char why[160];
        const char *raw = l.buf;
        size_t raw_len = l.len;
        r->nread += 1 + (r->rej.count - bad_before); /* and the lines that were no JSON */
        if (agg_rec_from_json(obj, &a, why, sizeof why) < 0) {
            nf_reject(&r->rej, l.name, l.lineno, raw, raw_len, "%s", why);
            goto next;
        }
        if (!r->width) {
            r->width = a.end - a.start;
            r->eng.width = r->width;
        }
        if (a.end - a.start != r->width) {
            nf_reject(&r->rej, l.name, l.lineno, raw, raw_len,
                      "window of %lld ms, not %lld ms like the %s", (long long)(a.end - a.start),
                      (long long)r->width, r->window_given ? "--window" : "records before");
            goto next;
        }
        if (window_of(a.start, r->width) != a.start) {
            nf_reject(&r->rej, l.name, l.lineno, raw, raw_len,
                      "WINDOW_START %lld is not a multiple of the window length",
                      (long long)a.start);
            goto next;
        }
        if (a.is_fill || !(a.flows || a.packets || a.bytes))
            goto next; /* empty windows are worked out again from the sums */
        if (!hold_all && engine_is_closed(&r->eng, a.start)) {
            spool_reload(r, spool);
            hold_all = 1;
        }
        engine_add(&r->eng, a.start, &a.key, agg_key_hash(&a.key), a.flows, a.packets, a.bytes);
        if (!hold_all)
            engine_advance(&r->eng, a.start);
    next:
        cJSON_Delete(obj);
        r->current = NULL;
        bad_before = r->rej.count;
    }
    r->nread += r->rej.count - bad_before;
    nf_lines_free(&l);
    engine_finish(&r->eng);
    nf_jw_flush(&r->out);
    spool_copy_out(spool);
    fclose(spool);
    r->out.out = stdout;
    engine_print_messages(&r->eng);
}

/*
 * The counts of flows that are in no window. Returns 1 when some were
 * dropped (no --late FILE to keep them): data was lost, the exit status says so.
 */
static int print_counts(struct run *r)
{
    const char *kept = r->late_path ? "kept in " : "dropped (give --late FILE to keep them)";
    const char *where = r->late_path ? r->late_path : "";
    if (r->nlate) {
        char lat[32], most[32];
        nf_duration_format(r->lateness, lat, sizeof lat);
        nf_duration_format(r->max_late_ms, most, sizeof most);
        nf_warn("%llu late flows, counted in no window: up to %s behind the newest flow time, "
                "beyond --lateness %s (first at %s:%llu); --lateness %lld counts them all; "
                "%s%s",
                (unsigned long long)r->nlate, most, lat, r->first_late_file,
                (unsigned long long)r->first_late_line, (long long)((r->max_late_ms + 999) / 1000),
                kept, where);
    }
    if (r->nbefore) {
        char at[32];
        nf_warn("%llu flows before --start-at %s UTC (windows an earlier run wrote), counted in no "
                "window: %s%s", (unsigned long long)r->nbefore, nf_time_format(r->start_at, at), kept, where);
    }
    if (r->ntimeless)
        nf_warn("%llu flows without a time (FIRST_SWITCHED null, no EXPORT_TIME), counted in "
                "no window: %s%s", (unsigned long long)r->ntimeless, kept, where);
    if (r->nrestarts > RESTART_MESSAGES)
        nf_warn("error: time went back more than --max-gap %llu times (the first %d named "
                "above); every flow was kept", (unsigned long long)r->nrestarts,
                RESTART_MESSAGES);
    return !r->late_path && (r->nlate || r->ntimeless || r->nbefore);
}

/* Records came in but none went out: a cron job must be able to tell. */
static int nothing_written(struct run *r)
{
    uint64_t written = r->nwritten + r->eng.records_written;
    if (r->nread == 0 || written > 0)
        return 0;
    nf_warn("error: no record written: %llu input records, %llu of them skipped as bad, "
            "%llu late, %llu without a time", (unsigned long long)r->nread,
            (unsigned long long)r->rej.count, (unsigned long long)r->nlate,
            (unsigned long long)r->ntimeless);
    return 1;
}

int main(int argc, char **argv)
{
    enum { O_WINDOW = 256, O_P4, O_P6, O_SPLIT, O_LATENESS, O_LATE, O_MAXGAP, O_NOFILL,
           O_MERGE, O_FLOWS, O_WITH_FLOWS, O_UNIFLOW, O_REJECTS, O_STRICT, O_HELP, O_VERSION, O_START_AT };
    static const struct option longopts[] = {
        {"window", required_argument, NULL, O_WINDOW},
        {"prefix4", required_argument, NULL, O_P4},
        {"prefix6", required_argument, NULL, O_P6},
        {"split", no_argument, NULL, O_SPLIT},
        {"lateness", required_argument, NULL, O_LATENESS},
        {"late", required_argument, NULL, O_LATE},
        {"max-gap", required_argument, NULL, O_MAXGAP},
        {"start-at", required_argument, NULL, O_START_AT},
        {"no-fill", no_argument, NULL, O_NOFILL},
        {"merge", no_argument, NULL, O_MERGE},
        {"flows", no_argument, NULL, O_FLOWS},
        {"with-flows", no_argument, NULL, O_WITH_FLOWS},
        {"uniflow", no_argument, NULL, O_UNIFLOW},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, O_HELP},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    struct run r;
    const char *rejects_path = NULL;
    int c, prefix_given = 0, status = 0;

    nf_tool_init(argc, argv);
    memset(&r, 0, sizeof r);
    r.width = 300000;
    r.lateness = DEFAULT_LATENESS_MS;
    r.max_gap = 86400000;
    r.prefix4 = 24;
    r.prefix6 = 64;
    r.fill = 1;
    while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case O_WINDOW:
            r.width = nf_opt_seconds("--window", optarg) * 1000;
            if (r.width <= 0)
                nf_usage_error("--window: must be at least 1 second");
            r.window_given = 1;
            break;
        case O_P4: r.prefix4 = (unsigned)nf_opt_u64("--prefix4", optarg, 0, 32); prefix_given = 1; break;
        case O_P6: r.prefix6 = (unsigned)nf_opt_u64("--prefix6", optarg, 0, 128); prefix_given = 1; break;
        case O_SPLIT: r.split = 1; break;
        case O_LATENESS:
            r.lateness = nf_opt_seconds("--lateness", optarg) * 1000;
            r.lateness_given = 1;
            break;
        case O_LATE: r.late_path = optarg; break;
        case O_MAXGAP: r.max_gap = nf_opt_seconds("--max-gap", optarg) * 1000; break;
        case O_START_AT:
            if (nf_time_parse(optarg, strlen(optarg), NULL, &r.start_at) != 0)
                nf_usage_error("--start-at: '%s' is not a time (ISO 8601 UTC, e.g. 2019-04-04T09:05:00, "
                               "or epoch ms)", optarg);
            r.start_at_given = 1;
            break;
        case O_NOFILL: r.fill = 0; break;
        case O_MERGE: r.merge = 1; break;
        case O_FLOWS: r.flows = 1; break;
        case O_WITH_FLOWS: r.with_flows = 1; break;
        case O_UNIFLOW: r.uniflow = 1; break;
        case O_REJECTS: rejects_path = optarg; break;
        case O_STRICT: r.rej.strict = 1; break;
        case 'v': r.rej.verbose = 1; break;
        case 'h': case O_HELP: usage(); break;
        case 'V': case O_VERSION: nf_print_version(); break;
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (r.with_flows && (r.flows || r.merge))
        nf_usage_error("--with-flows writes the aggregates and the flows of one run: --%s "
                       "does not apply", r.flows ? "flows" : "merge");
    if (r.merge && (r.flows || r.split || r.uniflow || r.lateness_given || r.late_path ||
                    prefix_given || r.start_at_given))
        nf_usage_error("--merge adds up aggregates as they are: --%s does not apply",
                       r.flows ? "flows" : r.split ? "split" : r.uniflow ? "uniflow"
                       : r.lateness_given ? "lateness" : r.late_path ? "late"
                       : r.start_at_given ? "start-at" : "prefix4/--prefix6");
    if (r.flows && (r.split || r.uniflow))
        nf_usage_error("--%s is about aggregates; with --flows each flow is written as it is",
                       r.split ? "split" : "uniflow");
    if (r.start_at_given && window_of(r.start_at, r.width) != r.start_at) {
        char at[32];
        nf_usage_error("--start-at %s: not the start of a window (--window %llds: a multiple of it since "
                       "1970-01-01 00:00 UTC)", nf_time_format(r.start_at, at), (long long)(r.width / 1000));
    }
    if (r.late_path && strcmp(r.late_path, "-") == 0)
        nf_usage_error("--late: give a file; standard output carries the records");
    if (rejects_path)
        nf_rejects_open(&r.rej, rejects_path);
    if (r.late_path)
        r.late = nf_open_output(r.late_path);

    nf_jw_init(&r.out, stdout);
    engine_init(&r.eng, &r.out, r.merge && !r.window_given ? 0 : r.width,
                r.flows || r.with_flows, !r.flows);
    r.eng.fill = r.fill;
    r.eng.max_gap = r.max_gap;
    if (r.start_at_given) {
        engine_start_at(&r.eng, r.start_at);
        r.newest = r.start_at; /* as if the earlier run's last time: --max-gap and restarts count from it */
        r.have_newest = 1;
    }
    if (r.merge) {
        if (!r.window_given)
            r.width = 0; /* taken from the first record */
        run_merge(&r, argv + optind, argc - optind);
    } else {
        run_flows(&r, argv + optind, argc - optind);
    }
    if (r.eng.gaps || r.nrestarts)
        status = NF_EXIT_DATA;
    if (print_counts(&r) || nothing_written(&r))
        status = NF_EXIT_DATA;
    engine_free(&r.eng);
    nf_jw_free(&r.out);
    free(r.shares);
    if (r.late && fclose(r.late) != 0)
        nf_die("error writing %s: %s", r.late_path, strerror(errno));
    nf_rejects_finish(&r.rej, "records");
    nf_finish_stdout();
    return status;
}
