/*
 * follow.c - nf-explain --follow. Events (nf-pelt --online change points,
 * nf-pelt --events records) are read one at a time as they arrive, and
 * each one's report is written at once: Markdown (to stdout or a file per
 * event in --output-dir, the index rewritten after each) or one NDJSON line.
 *
 * The feature stream of a live run is a file that grows while we read it.
 * Its tail is indexed as it grows (time and byte offset of the last
 * FOLLOW_KEEP rows), and an event reads only the rows from its segment's
 * start (before_start) to the last complete line, so memory stays flat
 * however long the run. An event whose rows are not in the file yet (the
 * stage writing it is a moment behind) waits up to --follow-wait seconds.
 * --records and --flows files are read as they stand, their unfinished
 * last line left out (nf_lines_growing).
 *
 * --exec CMD: /bin/sh -c CMD per event, the report's JSON on its stdin and
 * a few facts in NFSHIFT_* environment variables. Nothing from the data
 * goes into the command line. Its stdout goes to our stderr, so that the
 * report stream stays clean; its exit status is counted, never fatal; a
 * command still running after --exec-timeout is killed (its process group).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "follow.h"
#include "opt.h"
#include "rec.h"
#include "tindex.h"

/* Feature rows indexed: 16384 five-minute windows are 57 days. */
#define FOLLOW_KEEP 16384
#define POLL_MS 50

struct tail_row {
    int64_t time;
    off_t offset;      /* where its line starts */
    uint64_t line;     /* lines of the file before it */
    uint64_t row;      /* rows (JSON objects) of the file before it */
};

struct tail {
    const char *path;
    const char *time_key;
    off_t end;                     /* bytes indexed: up to the last complete line */
    uint64_t lines, rows;
    struct tail_row keep[FOLLOW_KEEP]; /* ring: row r at r % FOLLOW_KEEP */
    int64_t last_time;
    int64_t since;                 /* --features-since: rows before it, at the file's start, are skipped */
    int skipping;
    struct tail_row first;         /* where the rows counted start (the file's start without it) */
    char *buf;
    size_t cap;
};

struct counts {
    uint64_t events, reports, not_events, no_report;
    uint64_t exec_ok, exec_failed, exec_killed, exec_timeout, exec_error;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Indexes the complete lines appended to the feature file since the last call. */
static void tail_update(struct tail *t)
{
    FILE *f = nfx_open_at(t->path, t->end);
    ssize_t n;
    while ((n = getline(&t->buf, &t->cap, f)) > 0 && t->buf[n - 1] == '\n') {
        cJSON *obj = nf_rec_has_nul(t->buf, (size_t)n) ? NULL : cJSON_ParseWithLength(t->buf, (size_t)n);
        int64_t ms;
        if (cJSON_IsObject(obj)) {
            /* a row without a readable time is the table reader's to report */
            int has_time = nf_table_row_time(obj, t->time_key, &ms) == 1;
            /* --features-since: an earlier run's rows at the start are neither counted nor read */
            t->skipping = t->skipping && has_time && ms < t->since;
            if (!t->skipping && has_time) {
                struct tail_row *k = &t->keep[t->rows % FOLLOW_KEEP];
                k->time = ms;
                k->offset = t->end;
                k->line = t->lines;
                k->row = t->rows;
                t->last_time = ms;
            }
            t->rows += !t->skipping;
        }
        cJSON_Delete(obj);
        t->end += n;
        t->lines++;
        if (t->skipping) {
            t->first.offset = t->end;
            t->first.line = t->lines;
        }
    }
    if (ferror(f))
        nf_die("error reading %s: %s", t->path, strerror(errno));
    fclose(f);
}

/* The kept row to start reading at: the last one at or before from (the oldest kept otherwise). */
static const struct tail_row *tail_start(const struct tail *t, int64_t from)
{
    uint64_t first = t->rows > FOLLOW_KEEP ? t->rows - FOLLOW_KEEP : 0, lo = first, hi = t->rows, mid;
    if (t->rows == 0)
        return &t->first;
    if (first == 0 && t->keep[0].time > from)
        return &t->first;
    /* rows are in time order (nf-features writes them so); the report checks it */
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (t->keep[mid % FOLLOW_KEEP].time <= from)
            lo = mid;
        else
            hi = mid;
    }
    return &t->keep[lo % FOLLOW_KEEP];
}

/*
 * Where the rows after `to` begin (the end of what is indexed when none
 * is): a report reads up to its event's last row and not what the file
 * held by the time it was written, so that it is the same at any speed.
 */
static off_t tail_end(const struct tail *t, int64_t to)
{
    uint64_t first = t->rows > FOLLOW_KEEP ? t->rows - FOLLOW_KEEP : 0, lo = first, hi = t->rows, mid;
    if (t->rows == 0 || t->keep[(t->rows - 1) % FOLLOW_KEEP].time <= to)
        return t->end;
    while (lo < hi) { /* the first kept row later than to */
        mid = lo + (hi - lo) / 2;
        if (t->keep[mid % FOLLOW_KEEP].time <= to)
            lo = mid + 1;
        else
            hi = mid;
    }
    return t->keep[lo % FOLLOW_KEEP].offset;
}

static int time_member(const cJSON *rec, const char *key, int64_t *ms)
{
    return nf_table_row_time(rec, key, ms) == 1 ? 0 : -1;
}

/* Whether rec is a change point or an event, by its keys (as main.c tells the input's kind). */
static int is_change_record(const cJSON *rec)
{
    return cJSON_GetObjectItemCaseSensitive(rec, "cost_reduction") ||
           cJSON_GetObjectItemCaseSensitive(rec, "mean_before");
}

/*
 * Waits until the feature file holds the event's last row (after_end, else
 * its time), at most fo->wait seconds; then reads the rows from the
 * event's segment start into f.
 */
static void read_features(struct tail *t, const struct nfx_follow_opts *fo, const cJSON *rec,
                          struct nfx_ctx *ctx, struct nf_table *f)
{
    int64_t t_cp = 0, need, from;
    double give_up = now_s() + fo->wait;
    time_member(rec, ctx->time_key, &t_cp);
    if (time_member(rec, "after_end", &need) != 0)
        need = t_cp;
    tail_update(t);
    while ((t->rows == 0 || t->last_time < need) && now_s() < give_up && !nf_stop_requested()) {
        sleep_ms(POLL_MS);
        tail_update(t);
    }
    if (time_member(rec, "before_start", &from) != 0)
        from = INT64_MIN; /* no bounds: every kept row before it */
    const struct tail_row *start = tail_start(t, from);
    char *paths[1] = {(char *)t->path};
    struct nf_lines l;
    struct nf_table_opts o = {.time_key = ctx->time_key};
    nf_lines_init(&l, paths, 1);
    nf_lines_range(&l, start->offset, tail_end(t, need), start->line);
    nf_table_read(f, &l, &o, ctx->rejects);
    nf_lines_free(&l);
    ctx->features = f;
    ctx->features_row0 = start->row;
}

/* The report of rec as one NDJSON line into *buf (empty when it could not be made). */
static size_t json_report(const struct nfx_ctx *ctx, cJSON *rec, int number_from, char **buf)
{
    size_t len = 0;
    FILE *m = open_memstream(buf, &len);
    struct nf_jw jw;
    struct nfx_out o = {.format = NFX_JSON, .mode_title = "Change points", .dirfd = -1};
    if (!m)
        nf_die("out of memory");
    nf_jw_init(&jw, m);
    o.jw = &jw;
    o.number_from = number_from;
    nfx_change_reports(ctx, &rec, 1, &o);
    nf_jw_free(&jw);
    if (fclose(m) != 0)
        nf_die("out of memory");
    nfx_out_free(&o);
    return len;
}

static void set_env(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_env(const char *name, const char *fmt, ...)
{
    char value[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    setenv(name, value, 1);
}

/* The child: stdin the report, stdout our stderr, its own process group, the facts in NFSHIFT_*. */
static void exec_child(const char *cmd, FILE *in, uint64_t number, const cJSON *rec, const char *time_key,
                       const char *report_path)
{
    int64_t ms = 0;
    char iso[32];
    double delay = nf_rec_number(rec, "delay"), index = nf_rec_number(rec, "index");
    setpgid(0, 0);
    if (dup2(fileno(in), STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        _exit(126);
    time_member(rec, time_key, &ms);
    set_env("NFSHIFT_EVENT_NUMBER", "%llu", (unsigned long long)number);
    set_env("NFSHIFT_EVENT_MS", "%lld", (long long)ms);
    set_env("NFSHIFT_EVENT_TIME", "%s", nfx_time_iso((double)ms, iso));
    if (isfinite(index))
        set_env("NFSHIFT_EVENT_INDEX", "%.0f", index);
    else
        unsetenv("NFSHIFT_EVENT_INDEX");
    if (isfinite(delay))
        set_env("NFSHIFT_EVENT_DELAY", "%.0f", delay);
    else
        unsetenv("NFSHIFT_EVENT_DELAY");
    if (report_path)
        setenv("NFSHIFT_REPORT", report_path, 1);
    else
        unsetenv("NFSHIFT_REPORT");
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

/* Waits for the child up to the timeout, then ends its process group. Returns its wait status, or -1 on timeout. */
static int wait_child(pid_t pid, double timeout)
{
    double give_up = now_s() + timeout;
    int st, killed = 0;
    for (;;) {
        pid_t got = waitpid(pid, &st, WNOHANG);
        if (got == pid)
            return killed ? -1 : st;
        if (got < 0 && errno != EINTR)
            return killed ? -1 : 0;
        if (!killed && now_s() >= give_up) {
            kill(-pid, SIGTERM);
            killed = 1;
            give_up = now_s() + 1;
        } else if (killed == 1 && now_s() >= give_up) {
            kill(-pid, SIGKILL);
            killed = 2;
        }
        sleep_ms(10);
    }
}

static void run_exec(const struct nfx_follow_opts *fo, struct counts *n, const cJSON *rec, const char *time_key,
                     const char *json, size_t len, const char *report_path)
{
    int64_t ms = 0;
    char when[32];
    FILE *in = tmpfile();
    pid_t pid;
    int st;

    time_member(rec, time_key, &ms);
    nfx_time_iso((double)ms, when);
    if (!in || fwrite(json, 1, len, in) != len || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
        nf_warn("--exec: event %llu (%s): cannot write its report to a temporary file: %s",
                (unsigned long long)n->events, when, strerror(errno));
        n->exec_error++;
        if (in)
            fclose(in);
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        nf_warn("--exec: event %llu (%s): cannot start the command: %s", (unsigned long long)n->events, when,
                strerror(errno));
        n->exec_error++;
        fclose(in);
        return;
    }
    if (pid == 0)
        exec_child(fo->exec, in, n->events, rec, time_key, report_path);
    fclose(in);
    st = wait_child(pid, fo->exec_timeout);
    if (st == -1) {
        nf_warn("--exec: event %llu (%s): the command ran longer than %g s and was killed",
                (unsigned long long)n->events, when, fo->exec_timeout);
        n->exec_timeout++;
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
        n->exec_ok++;
    } else if (WIFEXITED(st)) {
        nf_warn("--exec: event %llu (%s): the command exited with status %d", (unsigned long long)n->events, when,
                WEXITSTATUS(st));
        n->exec_failed++;
    } else {
        nf_warn("--exec: event %llu (%s): the command was killed by signal %d", (unsigned long long)n->events,
                when, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        n->exec_killed++;
    }
}

/* One event: its report out, then the command. */
static void follow_one(struct nfx_ctx *ctx, struct nfx_out *out, const struct nfx_follow_opts *fo, struct tail *t,
                       FILE *jf, struct counts *n, cJSON *rec)
{
    struct nf_table f;
    char *json = NULL, *report_path = NULL;
    size_t len = 0, before = out->nentries;

    n->events++;
    read_features(t, fo, rec, ctx, &f);
    if (nf_stop_requested() || f.nrows == 0 || !f.has_time) {
        /* stopped while reading them (the rows are not all there), or none yet */
        if (!nf_stop_requested())
            nf_warn("event %llu: %s has no rows with the time key %s yet; no report",
                    (unsigned long long)n->events, ctx->features_path, ctx->time_key);
        n->no_report++;
        nf_table_free(&f);
        ctx->features = NULL;
        return;
    }
    if (out->format == NFX_JSON || fo->exec)
        len = json_report(ctx, rec, (int)n->reports, &json);
    if (out->format == NFX_JSON) {
        if (len > 0 && (fwrite(json, 1, len, jf) != len || fflush(jf) != 0))
            nf_die("write error on the JSON output: %s", strerror(errno));
    } else {
        out->number_from = (int)n->reports;
        nfx_change_reports(ctx, &rec, 1, out);
        if (out->nentries > before && out->dir) {
            nfx_out_remove(out, "README.md");
            nfx_out_index(out);
            if (asprintf(&report_path, "%s/%s", out->dir, out->entries[out->nentries - 1].file) < 0)
                nf_die("out of memory");
        }
        fflush(stdout);
        if (out->nentries == before)
            len = 0;
        else if (!fo->exec)
            len = 1;
    }
    if (len > 0) {
        n->reports++;
        if (fo->exec)
            run_exec(fo, n, rec, ctx->time_key, json, len, report_path);
    } else {
        n->no_report++;
    }
    free(json);
    free(report_path);
    nf_table_free(&f);
    ctx->features = NULL;
}

static void say_counts(const struct counts *n, const struct nfx_follow_opts *fo)
{
    nf_warn("--follow: %llu events, %llu reports written, %llu without a report, %llu records not events",
            (unsigned long long)n->events, (unsigned long long)n->reports, (unsigned long long)n->no_report,
            (unsigned long long)n->not_events);
    if (fo->exec)
        nf_warn("--exec: %llu commands: %llu exit 0, %llu failed, %llu killed by a signal, %llu timed out, "
                "%llu not started",
                (unsigned long long)(n->exec_ok + n->exec_failed + n->exec_killed + n->exec_timeout + n->exec_error),
                (unsigned long long)n->exec_ok, (unsigned long long)n->exec_failed,
                (unsigned long long)n->exec_killed, (unsigned long long)n->exec_timeout,
                (unsigned long long)n->exec_error);
}

int nfx_follow(struct nfx_ctx *ctx, struct nfx_out *out, const struct nfx_follow_opts *fo, char **paths,
               int npaths)
{
    struct tail *t = nf_xcalloc(1, sizeof *t);
    struct nfx_tindex records, flows;
    struct counts n = {0};
    struct nf_lines lines;
    FILE *jf = NULL;
    cJSON *rec;

    if (!ctx->features_path)
        nf_usage_error("--follow needs the feature stream of the run: --features FILE");
    nf_lines_growing();
    t->path = ctx->features_path;
    t->time_key = ctx->time_key;
    t->since = fo->since;
    t->skipping = fo->since_given;
    /* regular files only: a pipe is read once, whole */
    if (ctx->records_path && nfx_is_regular(ctx->records_path)) {
        nfx_tindex_init(&records, ctx->records_path, "WINDOW_START");
        ctx->records_index = &records;
    }
    if (ctx->flows_path && nfx_is_regular(ctx->flows_path)) {
        nfx_tindex_init(&flows, ctx->flows_path, "FIRST_SWITCHED");
        ctx->flows_index = &flows;
    }
    out->mode_title = "Change points (live)";
    out->ranking = "in the order they were confirmed (--follow)";
    if (out->format == NFX_JSON)
        jf = out->dir ? nfx_out_create(out, "reports.ndjson") : fo->output ? nf_open_output(fo->output) : stdout;
    nf_lines_init(&lines, paths, npaths);
    while ((rec = nf_rec_next(&lines, ctx->rejects)) != NULL) {
        const char *kind = nf_rec_string(rec, "kind");
        if (kind && strcmp(kind, "event") != 0) {
            n.not_events++;
        } else if (!is_change_record(rec)) {
            char *raw = cJSON_PrintUnformatted(rec);
            nf_reject(ctx->rejects, lines.name, lines.lineno, raw, raw ? strlen(raw) : 0,
                      "not an nf-pelt change point or event (no cost_reduction or mean_before)");
            cJSON_free(raw);
        } else {
            follow_one(ctx, out, fo, t, jf, &n, rec);
        }
        cJSON_Delete(rec);
    }
    nf_lines_free(&lines);
    if (out->format == NFX_MARKDOWN && out->dir && out->nentries == 0)
        nfx_out_index(out);
    if (jf && jf != stdout && fclose(jf) != 0)
        nf_die("write error on the JSON output");
    say_counts(&n, fo);
    if (ctx->records_index)
        nfx_tindex_free(ctx->records_index);
    if (ctx->flows_index)
        nfx_tindex_free(ctx->flows_index);
    ctx->records_index = ctx->flows_index = NULL;
    free(t->buf);
    free(t);
    return 0;
}
