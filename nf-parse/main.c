/*
 * nf-parse - flow records in, NDJSON flow records out: the first stage of
 * nfshift. Reads nfdump CSV, Argus CSV, generic time-series CSV, NDJSON,
 * and NetFlow v5/v9/IPFIX (pcap, IPFIX files, raw datagrams, or live on a
 * UDP port). The format of each input is sniffed from its first bytes
 * unless --format names it. See nf-parse(1) and docs/nf-parse.md.
 */
#include "parse.h"

#include "opt.h"
#include "rec.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD_BYTES 4096

#define SHORTOPTS "f:t:hvV" /* getopt_long and nf_opt_bad */

static const char usage_text[] =
    "Usage: nf-parse [OPTION]... [FILE]...\n"
    "Read flow records and write them as NDJSON flow records (docs/records.md).\n"
    "With no FILE, or when FILE is -, read standard input.\n"
    "\n"
    "  -f, --input-format FMT  auto (default), nfdump, argus, series, ndjson,\n"
    "                        pcap, ipfix, datagram, pmacct, goflow2\n"
    "      --tz ZONE         zone of text times (nfdump, Argus, series), e.g.\n"
    "                        Europe/Prague; default UTC\n"
    "  -t, --time-key NAME   key of the time in series records (default WINDOW_START)\n"
    "      --rejects FILE    copy skipped input records to FILE byte for byte\n"
    "      --strict          exit 1 at the first bad record\n"
    "  -v, --verbose         every bad-record message (default: the first 20)\n"
    "      --listen [ADDR]:PORT  receive NetFlow/IPFIX on a UDP port until SIGINT\n"
    "      --port N          pcap: only UDP datagrams to or from port N\n"
    "      --scale-sampling  multiply packets and bytes by the sampling interval\n"
    "      --stats           print counters as a JSON line on stderr (NetFlow: at\n"
    "                        the end; text: one line per input)\n"
    "      --pending N       NetFlow data sets kept while their template is unknown\n"
    "      --template-memory SIZE  NetFlow templates and pending data kept at most\n"
    "                        (e.g. 64M, the default; K, M, G suffixes; at least 1M)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "Older spelling, still accepted:\n"
    "      --format FMT      --input-format\n"
    "\n"
    "Exit status: 0 ok (also empty input or a header alone), 1 bad data, no flow\n"
    "record from non-empty input, or I/O error; 2 bad usage.\n";

static const struct {
    const char *name;
    enum parse_format fmt;
} format_names[] = {
    {"auto", FMT_AUTO}, {"nfdump", FMT_NFDUMP_CSV}, {"argus", FMT_ARGUS_CSV},
    {"series", FMT_SERIES_CSV}, {"ndjson", FMT_NDJSON}, {"pcap", FMT_PCAP},
    {"ipfix", FMT_IPFIX_FILE}, {"datagram", FMT_DATAGRAM},
    {"pmacct", FMT_PMACCT}, {"goflow2", FMT_GOFLOW2},
};

static enum parse_format format_by_name(const char *s)
{
    size_t i;
    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(s, format_names[i].name) == 0)
            return format_names[i].fmt;
    nf_usage_error("--input-format: unknown format '%s' (auto, nfdump, argus, series, ndjson, "
                   "pcap, ipfix, datagram, pmacct, goflow2)", s);
}

/* A byte count with an optional K, M or G suffix (powers of 1024), 1M to 1T. */
static size_t opt_size(const char *opt, const char *text)
{
    char num[32];
    size_t n = strlen(text), shift = 0;
    uint64_t v;
    if (n > 0 && n < sizeof num) {
        switch (text[n - 1]) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        }
    }
    if (n == 0 || n >= sizeof num || (shift && n == 1))
        nf_usage_error("%s: '%s' is not a size (e.g. 64M)", opt, text);
    memcpy(num, text, n + 1);
    if (shift)
        num[n - 1] = '\0';
    if (nf_parse_u64(num, &v) != 0 || v > (UINT64_C(1) << 40) >> shift ||
        v << shift < (UINT64_C(1) << 20))
        nf_usage_error("%s: '%s' is not a size from 1M to 1024G (K, M, G suffixes)", opt, text);
    return (size_t)(v << shift);
}

static int is_binary(enum parse_format fmt)
{
    return fmt == FMT_PCAP || fmt == FMT_IPFIX_FILE || fmt == FMT_DATAGRAM;
}

/* The first field of a series header: a word that names a time column. */
static int time_word(const char *s, size_t n)
{
    static const char *const words[] = {"timestamp", "time", "date", "datetime", "ts",
                                        "window_start", "WINDOW_START", "Timestamp", "Time",
                                        "Date"};
    size_t i;
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return 1;
    return 0;
}

/* A key of the first JSON record says whose it is: pmacct, GoFlow2 or ours. */
static int sniff_json(const char *s, size_t n)
{
    static const char *const pmacct[] = {"\"ip_src\"", "\"peer_ip_src\"", "\"event_type\""};
    static const char *const goflow2[] = {"\"SrcAddr\"", "\"SamplerAddress\"",
                                          "\"TimeFlowStartNs\"", "\"src_addr\"",
                                          "\"sampler_address\""};
    size_t end = 0, i;
    char line[HEAD_BYTES + 1];
    while (end < n && s[end] != '\n')
        end++;
    memcpy(line, s, end);
    line[end] = '\0';
    if (strstr(line, "\"IP_SRC_ADDR\""))
        return FMT_NDJSON;
    for (i = 0; i < sizeof pmacct / sizeof pmacct[0]; i++)
        if (strstr(line, pmacct[i]))
            return FMT_PMACCT;
    for (i = 0; i < sizeof goflow2 / sizeof goflow2[0]; i++)
        if (strstr(line, goflow2[i]))
            return FMT_GOFLOW2;
    return FMT_NDJSON;
}

/*
 * Tells a text format from the first line of head: FMT_AUTO when the head
 * holds no line at all (empty input), -1 when nothing fits.
 */
static int sniff_text(const char *head, size_t n, struct nf_tz *tz)
{
    size_t at = 0, end, first;
    int64_t ms;
    while (at < n && (head[at] == '\n' || head[at] == '\r' || head[at] == ' ' || head[at] == '\t'))
        at++;
    if (at == n)
        return FMT_AUTO;
    if (head[at] == '{')
        return sniff_json(head + at, n - at);
    end = at;
    while (end < n && head[end] != '\n' && head[end] != '\r')
        end++;
    if (end - at >= 6 && memcmp(head + at, "ts,te,", 6) == 0)
        return FMT_NFDUMP_CSV;
    /* nfdump -q -o csv: no header, the line starts with two times (ts,te) */
    if (end - at >= 40 && head[at + 19] == ',' && head[at + 39] == ',' &&
        nf_time_parse(head + at, 19, tz, &ms) == 0 &&
        nf_time_parse(head + at + 20, 19, tz, &ms) == 0)
        return FMT_NFDUMP_CSV;
    if (end - at >= 10 && memcmp(head + at, "StartTime,", 10) == 0)
        return FMT_ARGUS_CSV;
    first = at;
    while (first < end && head[first] != ',')
        first++;
    if (first < end) {
        const char *s = head + at;
        size_t len = first - at;
        if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
            s++;
            len -= 2;
        }
        if (time_word(s, len) || (len >= 8 && nf_time_parse(s, len, tz, &ms) == 0))
            return FMT_SERIES_CSV;
    }
    return -1;
}

/* A FILE that yields the bytes already read (head) and then the rest of in. */
struct pushback {
    char *head;
    size_t n, at;
    FILE *in;
};

static ssize_t pushback_read(void *cookie, char *buf, size_t size)
{
    struct pushback *p = cookie;
    size_t got;
    if (p->at < p->n) {
        got = p->n - p->at < size ? p->n - p->at : size;
        memcpy(buf, p->head + p->at, got);
        p->at += got;
        return (ssize_t)got;
    }
    got = fread(buf, 1, size, p->in);
    if (got == 0 && ferror(p->in))
        return -1;
    return (ssize_t)got;
}

static int pushback_close(void *cookie)
{
    (void)cookie; /* lives on read_input's stack */
    return 0;
}

/*
 * Copies head and the rest of in into a temporary file for the binary
 * readers, which want a path. The file is unlinked at once, so nothing is
 * left behind even when a reader exits; it is read through /dev/fd/N.
 * Returns the open descriptor; path gets the name to read.
 */
static int spool(const char *head, size_t n, FILE *in, char *path, size_t pathlen)
{
    const char *dir = getenv("TMPDIR");
    char buf[65536];
    size_t got;
    FILE *out;
    int fd;
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(path, pathlen, "%s/nf-parse.XXXXXX", dir);
    fd = mkstemp(path);
    if (fd < 0)
        nf_die("cannot create a temporary file in %s: %s", dir, strerror(errno));
    unlink(path);
    out = fdopen(dup(fd), "wb");
    if (!out)
        nf_die("cannot write a temporary file in %s: %s", dir, strerror(errno));
    fwrite(head, 1, n, out);
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, got, out);
    if (ferror(in))
        nf_die("error reading standard input: %s", strerror(errno));
    if (fclose(out) != 0)
        nf_die("error writing a temporary file in %s: %s", dir, strerror(errno));
    snprintf(path, pathlen, "/dev/fd/%d", fd);
    return fd;
}

static void read_binary(struct parse_ctx *ctx, enum parse_format fmt, const char *path)
{
    if (fmt == FMT_PCAP)
        parse_pcap(ctx, path);
    else if (fmt == FMT_IPFIX_FILE)
        parse_ipfix_file(ctx, path);
    else
        parse_datagram_file(ctx, path);
}

static void read_text_format(struct parse_ctx *ctx, enum parse_format fmt, FILE *f,
                             const char *name);

static const char *format_name(enum parse_format fmt)
{
    size_t i;
    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (format_names[i].fmt == fmt)
            return format_names[i].name;
    return "auto";
}

/* --stats for a text input: what it gave and what was skipped, one JSON line. */
static void text_stats(enum parse_format fmt, const char *name, uint64_t flows,
                       uint64_t rejected)
{
    struct nf_jw w;
    nf_jw_init(&w, stderr);
    nf_jw_begin(&w);
    nf_jw_str(&w, "stats", fmt == FMT_NDJSON || fmt == FMT_PMACCT || fmt == FMT_GOFLOW2 ? "ndjson" : "csv");
    nf_jw_str(&w, "input", name);
    nf_jw_str(&w, "format", format_name(fmt));
    nf_jw_u64(&w, "records", flows + rejected);
    nf_jw_u64(&w, fmt == FMT_SERIES_CSV ? "rows_written" : "flows", flows);
    nf_jw_u64(&w, "rejected", rejected);
    nf_jw_end(&w);
    nf_jw_free(&w);
}

static void read_text(struct parse_ctx *ctx, enum parse_format fmt, FILE *f, const char *name)
{
    uint64_t written = ctx->written, rejected = ctx->rej.count;
    read_text_format(ctx, fmt, f, name);
    if (ctx->stats)
        text_stats(fmt, name, ctx->written - written, ctx->rej.count - rejected);
}

static void read_text_format(struct parse_ctx *ctx, enum parse_format fmt, FILE *f,
                             const char *name)
{
    switch (fmt) {
    case FMT_NFDUMP_CSV: parse_nfdump_csv(ctx, f, name); break;
    case FMT_ARGUS_CSV: parse_argus_csv(ctx, f, name); break;
    case FMT_SERIES_CSV: parse_series_csv(ctx, f, name); break;
    case FMT_NDJSON: parse_ndjson(ctx, f, name); break;
    case FMT_PMACCT: parse_collector_json(ctx, f, name, 0); break;
    case FMT_GOFLOW2: parse_collector_json(ctx, f, name, 1); break;
    default: break;
    }
}

static char *file_buf, text_buf[1 << 16]; /* inputs are read one at a time */

/* One input: sniff its format (unless forced), then hand it to its reader. */
static void read_input(struct parse_ctx *ctx, const char *path, enum parse_format forced)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    static const cookie_io_functions_t io = {pushback_read, NULL, NULL, pushback_close};
    enum parse_format fmt = forced;
    struct pushback pb;
    char head[HEAD_BYTES];
    size_t n = 0, got, bom = 0;
    FILE *f, *text;
    int sniffed;

    if (is_binary(forced) && !is_stdin) {
        if (access(path, R_OK) != 0)
            nf_die("cannot open %s: %s", path, strerror(errno));
        read_binary(ctx, forced, path);
        return;
    }
    f = nf_open_input(path, &file_buf);
    while (n < sizeof head && (got = fread(head + n, 1, sizeof head - n, f)) > 0)
        n += got;
    if (ferror(f))
        nf_die("error reading %s: %s", name, strerror(errno));
    if (fmt == FMT_AUTO && n == 0)
        goto done; /* empty input is not an error */
    if (fmt == FMT_AUTO)
        fmt = netflow_sniff((const unsigned char *)head, n);
    /* A UTF-8 byte order mark (Excel's CSV, some JSON writers) is not part of the text. */
    if (!is_binary(fmt) && n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        bom = 3;
    if (fmt == FMT_AUTO) {
        sniffed = sniff_text(head + bom, n - bom, &ctx->tz);
        if (sniffed == FMT_AUTO)
            goto done; /* only blank lines */
        if (sniffed < 0)
            nf_die("%s: cannot tell the input format from its first line "
                   "(expected an nfdump, Argus or timestamp CSV header, NDJSON, "
                   "pcap, IPFIX or NetFlow); use --input-format", name);
        fmt = (enum parse_format)sniffed;
    }
    if (is_binary(fmt)) {
        if (is_stdin) {
            char tmp[4096];
            int fd = spool(head, n, f, tmp, sizeof tmp);
            read_binary(ctx, fmt, tmp);
            close(fd);
        } else {
            fclose(f);
            f = NULL;
            read_binary(ctx, fmt, path);
        }
        goto done;
    }
    pb.head = head + bom;
    pb.n = n - bom;
    pb.at = 0;
    pb.in = f;
    text = fopencookie(&pb, "r", io);
    if (!text)
        nf_die("out of memory");
    setvbuf(text, text_buf, _IOFBF, sizeof text_buf); /* with NULL, glibc ignores the size */
    read_text(ctx, fmt, text, name);
    fclose(text);
done:
    if (f && f != stdin)
        fclose(f);
}

int main(int argc, char **argv)
{
    enum { OPT_TZ = 256, OPT_REJECTS, OPT_STRICT, OPT_LISTEN, OPT_PORT,
           OPT_SCALE, OPT_STATS, OPT_PENDING, OPT_TEMPLATE_MEMORY };
    static const struct option longopts[] = {
        {"input-format", required_argument, NULL, 'f'},
        {"format", required_argument, NULL, 'f'}, /* older spelling */
        {"tz", required_argument, NULL, OPT_TZ},
        {"time-key", required_argument, NULL, 't'},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"verbose", no_argument, NULL, 'v'},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"port", required_argument, NULL, OPT_PORT},
        {"scale-sampling", no_argument, NULL, OPT_SCALE},
        {"stats", no_argument, NULL, OPT_STATS},
        {"pending", required_argument, NULL, OPT_PENDING},
        {"template-memory", required_argument, NULL, OPT_TEMPLATE_MEMORY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct parse_ctx ctx;
    enum parse_format fmt = FMT_AUTO;
    const char *tz = NULL, *rejects = NULL, *listen = NULL;
    int c, i;

    nf_tool_init(argc, argv);
    memset(&ctx, 0, sizeof ctx);
    ctx.next_id = 1;
    ctx.time_key = "WINDOW_START";
    while ((c = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = format_by_name(optarg); break;
        case OPT_TZ: tz = optarg; break;
        case 't':
            if (!*optarg)
                nf_usage_error("--time-key: the key name is empty");
            ctx.time_key = optarg;
            break;
        case OPT_REJECTS: rejects = optarg; break;
        case OPT_STRICT: ctx.rej.strict = 1; break;
        case 'v': ctx.rej.verbose = 1; break;
        case OPT_LISTEN: listen = optarg; break;
        case OPT_PORT: ctx.port = (unsigned)nf_opt_u64("--port", optarg, 1, 65535); break;
        case OPT_SCALE: ctx.scale_sampling = 1; break;
        case OPT_STATS: ctx.stats = 1; break;
        case OPT_PENDING:
            ctx.pending_limit = (size_t)nf_opt_u64("--pending", optarg, 1, 100000000);
            break;
        case OPT_TEMPLATE_MEMORY: ctx.template_memory = opt_size("--template-memory", optarg); break;
        case 'h':
            fputs(usage_text, stdout);
    nf_finish_stdout();
            return 0;
        case 'V': nf_print_version();
        default: nf_opt_bad(argv, SHORTOPTS);
        }
    }
    if (listen && optind < argc)
        nf_usage_error("--listen reads the network; do not give input files too");
    nf_tz_init(&ctx.tz, tz);
    if (rejects)
        nf_rejects_open(&ctx.rej, rejects);
    nf_jw_init(&ctx.out, stdout);

    if (listen)
        parse_listen(&ctx, listen);
    else if (optind == argc)
        read_input(&ctx, "-", fmt);
    else
        for (i = optind; i < argc; i++)
            read_input(&ctx, argv[i], fmt);

    netflow_finish(&ctx);
    nf_jw_free(&ctx.out);
    nf_rejects_finish(&ctx.rej, "records");
    free(file_buf);
    nf_finish_stdout();
    /* Input that was there but gave nothing must not look like success to a script. */
    if (!listen && ctx.written == 0 && (ctx.rej.count > 0 || ctx.binary_data)) {
        nf_warn("no flow record in the input%s", ctx.rej.count ? " (every record was skipped)"
                                                                : " (no NetFlow data records)");
        return 1;
    }
    return 0;
}
