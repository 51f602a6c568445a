/*
 * nf-replay - NDJSON flow records in, NetFlow v9 or IPFIX export
 * datagrams out: sent to a UDP collector at a chosen speed-up of the
 * records' own clock, and/or written to a pcap or IPFIX file. The
 * counterpart of nf-parse --listen for tests, benchmarks and demos, as
 * nfdump's nfreplay is for nfcapd. See nf-replay(1) and docs/live.md.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "export.h"
#include "flow.h"
#include "jsonw.h"
#include "opt.h"
#include "pace.h"
#include "rec.h"
#include "scratch.h"
#include "sink.h"

/* A datagram holds records due within this much wall time of its first. */
#define HOLD_NS 10000000LL

/* -t, -w, -p: older spellings (-t is --time-key and -w --window in the other tools) */
#define SHORTOPTS "t:o:w:p:hvV" /* getopt_long and nf_opt_bad */

static const char usage_text[] =
    "Usage: nf-replay [OPTION]... [FILE]...\n"
    "Send NDJSON flow records (as nf-parse writes them) as NetFlow v9 or IPFIX\n"
    "export datagrams to a UDP collector, or write them to a pcap or IPFIX file.\n"
    "With no FILE, or when FILE is -, read standard input. Other formats:\n"
    "nf-parse FILE | nf-replay ...\n"
    "\n"
    "      --to [ADDR]:PORT      send to this UDP address (ADDR default 127.0.0.1)\n"
    "  -o, --output FILE         write the datagrams to FILE (- for stdout)\n"
    "      --output-format FMT   pcap (default) or ipfix (RFC 5655; --protocol ipfix)\n"
    "      --protocol PROTO      ipfix (default) or v9\n"
    "      --speed X             X times the records' own clock (default 1);\n"
    "                            0: as fast as possible\n"
    "      --rate N              at most N flows per second (default: no cap)\n"
    "      --domain N            observation domain / v9 source ID (default 0)\n"
    "      --template-refresh N  send the templates again every N datagrams\n"
    "                            (default 20; 0: only before their first use)\n"
    "      --max-records N       flow records per datagram at most (default: as\n"
    "                            many as fit in --max-size)\n"
    "      --max-size BYTES      bytes of a datagram at most (default 1400)\n"
    "      --rejects FILE        copy skipped input records to FILE\n"
    "  -v, --verbose             every bad-record message (default: the first 20)\n"
    "      --strict              exit 1 at the first bad record\n"
    "      --stats               print the replay's counters as a JSON line on stderr\n"
    "  -h, --help                show this help and exit\n"
    "  -V, --version             show the version and exit\n"
    "Older spellings, still accepted:\n"
    "  -t [ADDR]:PORT            --to\n"
    "  -w, --write FILE          --output\n"
    "      --write-format FMT    --output-format\n"
    "  -p PROTO                  --protocol\n"
    "      --records N           --max-records\n"
    "\n"
    "Without --to, --output is written as fast as the input is read.\n"
    "Exit status: 0 ok (also empty input), 1 bad data or I/O error, 2 bad usage.\n";

struct options {
    const char *to, *write, *rejects;
    enum sink_file_format write_format;
    double speed, rate;
    struct rp_options ex;
    int strict, stats, verbose;
};

struct replay {
    struct sink sink;
    struct pace pace;
    int paced;          /* a socket to send to: keep the records' clock */
    int64_t send_at;    /* when the datagram being finished is due */
    int64_t behind_ns;  /* how late a datagram went out at most */
    int rejected_all;   /* records were skipped and none was sent */
};

static volatile sig_atomic_t stop;

/* The first signal stops the replay after the current record; a second ends it at once. */
static void on_stop(int sig)
{
    if (stop) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    stop = 1;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { O_WRITE_FORMAT = 256, O_SPEED, O_RATE, O_DOMAIN, O_REFRESH, O_RECORDS, O_MAX_SIZE,
           O_REJECTS, O_STRICT, O_STATS };
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"write", required_argument, NULL, 'o'}, /* older spelling */
        {"output-format", required_argument, NULL, O_WRITE_FORMAT},
        {"write-format", required_argument, NULL, O_WRITE_FORMAT}, /* older spelling */
        {"protocol", required_argument, NULL, 'p'},
        {"speed", required_argument, NULL, O_SPEED},
        {"rate", required_argument, NULL, O_RATE},
        {"domain", required_argument, NULL, O_DOMAIN},
        {"template-refresh", required_argument, NULL, O_REFRESH},
        {"max-records", required_argument, NULL, O_RECORDS},
        {"records", required_argument, NULL, O_RECORDS}, /* older spelling */
        {"max-size", required_argument, NULL, O_MAX_SIZE},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"stats", no_argument, NULL, O_STATS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(o, 0, sizeof *o);
    o->speed = 1;
    o->ex.protocol = RP_IPFIX;
    o->ex.refresh = 20;
    o->ex.max_size = 1400;
    while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 't': o->to = optarg; break;
        case 'o':
        case 'w': o->write = optarg; break;
        case O_WRITE_FORMAT:
            if (strcmp(optarg, "pcap") == 0)
                o->write_format = SINK_PCAP;
            else if (strcmp(optarg, "ipfix") == 0)
                o->write_format = SINK_IPFIX_FILE;
            else
                nf_usage_error("--output-format: unknown format '%s' (pcap, ipfix)", optarg);
            break;
        case 'p':
            if (strcmp(optarg, "v9") == 0)
                o->ex.protocol = RP_V9;
            else if (strcmp(optarg, "ipfix") == 0)
                o->ex.protocol = RP_IPFIX;
            else
                nf_usage_error("--protocol: unknown protocol '%s' (v9, ipfix)", optarg);
            break;
        case O_SPEED: o->speed = nf_opt_double("--speed", optarg, 0, 1e12); break;
        case O_RATE: o->rate = nf_opt_double("--rate", optarg, 0, 1e12); break;
        case O_DOMAIN: o->ex.domain = (uint32_t)nf_opt_u64("--domain", optarg, 0, UINT32_MAX); break;
        case O_REFRESH:
            o->ex.refresh = (unsigned)nf_opt_u64("--template-refresh", optarg, 0, 1000000000);
            break;
        case O_RECORDS: o->ex.max_records = (unsigned)nf_opt_u64("--max-records", optarg, 1, 65535); break;
        case O_MAX_SIZE:
            o->ex.max_size = (size_t)nf_opt_u64("--max-size", optarg, RP_MIN_SIZE, RP_MAX_SIZE);
            break;
        case O_REJECTS: o->rejects = optarg; break;
        case O_STRICT: o->strict = 1; break;
        case 'v': o->verbose = 1; break;
        case O_STATS: o->stats = 1; break;
        case 'h':
            fputs(usage_text, stdout);
            nf_finish_stdout();
            exit(0);
        case 'V': nf_print_version();
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (!o->to && !o->write)
        nf_usage_error("nowhere to send: give --to [ADDR]:PORT or --output FILE");
    if (o->write_format == SINK_IPFIX_FILE && o->ex.protocol != RP_IPFIX)
        nf_usage_error("--output-format ipfix holds IPFIX messages: use --protocol ipfix, "
                       "or a pcap for v9");
}

/* The encoder's datagrams: wait until the last record in it is due, then out. */
static void send_datagram(void *arg, const uint8_t *p, size_t n, int64_t export_ms)
{
    struct replay *r = arg;
    if (r->paced && !stop && (r->pace.speed > 0 || r->pace.rate > 0)) {
        int64_t late;
        while (pace_sleep_until(r->send_at) < 0 && !stop)
            ;
        late = pace_now() - r->send_at;
        if (late > r->behind_ns)
            r->behind_ns = late;
    }
    sink_send(&r->sink, p, n, export_ms);
}

/* A record the encoder cannot carry as one flow. */
static const char *unsendable(const struct nf_flow *f)
{
    if (f->src.family != f->dst.family)
        return "IP_SRC_ADDR and IP_DST_ADDR are of different address families";
    return NULL;
}

static void replay(struct replay *r, struct rp_exporter *x, struct nf_lines *lines,
                   struct nf_rejects *rej)
{
    int64_t first_due = 0, last_due = 0;
    int any = 0;
    cJSON *obj;
    nf_scratch_begin(); /* each record's tree is done with before the next line */
    while (!stop && (obj = nf_rec_next(lines, rej)) != NULL) {
        struct nf_flow f;
        char why[160];
        const char *bad;
        int64_t due = 0;
        if (nf_flow_from_json(obj, &f, why, sizeof why) != 0) {
            nf_reject(rej, lines->name, lines->lineno, lines->buf, lines->len, "%s", why);
            cJSON_Delete(obj);
            continue;
        }
        if ((bad = unsendable(&f)) != NULL) {
            nf_reject(rej, lines->name, lines->lineno, lines->buf, lines->len, "%s", bad);
            cJSON_Delete(obj);
            continue;
        }
        if (r->paced) {
            due = pace_due(&r->pace, &f);
            if (!any)
                last_due = due; /* the first templates go out with the first record */
            if (rp_pending(x) && due - first_due > HOLD_NS) {
                r->send_at = last_due;
                rp_flush(x);
            }
        }
        r->send_at = last_due; /* a datagram the encoder fills goes out with its last record */
        rp_add(x, &f);
        if (rp_pending(x) == 1)
            first_due = due;
        last_due = due;
        any = 1;
        cJSON_Delete(obj);
    }
    nf_scratch_end();
    r->rejected_all = !any && rej->count > 0;
    r->send_at = last_due;
    rp_flush(x);
}

static void write_stats(const struct rp_counts *c, const struct replay *r, double secs)
{
    struct nf_jw w;
    nf_jw_init(&w, stderr);
    nf_jw_begin(&w);
    nf_jw_str(&w, "stats", "replay");
    nf_jw_u64(&w, "flows", c->flows);
    nf_jw_u64(&w, "datagrams", c->datagrams);
    nf_jw_u64(&w, "template_datagrams", c->template_datagrams);
    nf_jw_u64(&w, "templates", c->templates);
    nf_jw_u64(&w, "bytes", c->bytes);
    nf_jw_u64(&w, "send_errors", r->sink.send_errors);
    nf_jw_u64(&w, "clipped_times", c->clipped_times);
    nf_jw_u64(&w, "clipped_sampling", c->clipped_sampling);
    nf_jw_double(&w, "seconds", secs);
    nf_jw_double(&w, "flows_per_second", secs > 0 ? (double)c->flows / secs : 0);
    nf_jw_double(&w, "max_behind_ms", (double)r->behind_ns / 1e6);
    nf_jw_end(&w);
    nf_jw_free(&w);
}

static void report(const struct options *o, const struct rp_counts *c, const struct replay *r,
                   double secs)
{
    if (r->sink.send_errors)
        nf_warn("--to %s: %llu of %llu datagrams not sent (first error: %s)", o->to,
                (unsigned long long)r->sink.send_errors,
                (unsigned long long)c->datagrams, strerror(r->sink.first_errno));
    if (c->clipped_times)
        nf_warn("%llu flow times not representable (v9: longer than 24.8 days; before 1970): "
                "clipped", (unsigned long long)c->clipped_times);
    if (c->clipped_sampling)
        nf_warn("%llu sampling intervals above 4294967295 sent as that",
                (unsigned long long)c->clipped_sampling);
    if (c->flows == 0 && r->rejected_all)
        nf_warn("no flow records read: nf-replay reads NDJSON flow records (docs/records.md); "
                "convert other formats with nf-parse FILE | nf-replay");
    if (stop)
        nf_warn("stopped by signal after %llu flows", (unsigned long long)c->flows);
    if (o->stats)
        write_stats(c, r, secs);
}

int main(int argc, char **argv)
{
    static struct options o;
    static struct replay r;
    struct nf_lines lines;
    struct nf_rejects rej;
    struct rp_exporter *x;
    struct sigaction sa;
    int64_t t0;

    nf_tool_init(argc, argv);
    parse_options(argc, argv, &o);
    memset(&rej, 0, sizeof rej);
    rej.strict = o.strict;
    rej.verbose = o.verbose;
    if (o.rejects)
        nf_rejects_open(&rej, o.rejects);
    sink_open(&r.sink, o.to, o.ex.protocol == RP_V9 ? 2055 : 4739, o.write, o.write_format);
    r.paced = o.to != NULL;
    pace_init(&r.pace, o.speed, o.rate);

    memset(&sa, 0, sizeof sa);
    /*
     * SA_RESTART: a read of a pipe goes on (stdio would take EINTR for an
     * error); the pacing sleep ends at once all the same, as
     * clock_nanosleep is never restarted after a handler.
     */
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    x = rp_new(&o.ex, send_datagram, &r);
    nf_lines_init(&lines, argv + optind, argc - optind);
    t0 = pace_now();
    replay(&r, x, &lines, &rej);
    report(&o, rp_counts(x), &r, (double)(pace_now() - t0) / 1e9);
    rp_free(x);
    nf_lines_free(&lines);
    sink_close(&r.sink);
    nf_rejects_finish(&rej, "records");
    nf_finish_stdout();
    return 0;
}
