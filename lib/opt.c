/* opt.c - start-up, --version and checked option conversions. */
#include "opt.h"

#include "err.h"
#include "rec.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char stdin_buf[NF_INPUT_BUFFER];
static volatile sig_atomic_t stop_signal;

/*
 * SIGTERM or SIGINT: the tool stops reading, writes what it holds and exits
 * with its counts. A read blocked on an idle stdin is restarted (SA_RESTART)
 * on /dev/null and sees end of input; a write blocked on a full pipe is
 * restarted too, so nothing written is lost. SA_RESETHAND: a second signal
 * kills as usual.
 */
static void on_stop(int sig)
{
    int saved = errno, fd;
    stop_signal = sig;
    fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
    errno = saved;
}

static void catch_stop(int sig)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, &old) == 0 && old.sa_handler == SIG_IGN)
        sigaction(sig, &old, NULL); /* ignored by whoever started us (nohup, a background job) */
}

int nf_stop_requested(void)
{
    return stop_signal;
}

void nf_tool_init(int argc, char **argv)
{
    (void)argc;
    nf_set_progname(argc > 0 && argv[0] ? argv[0] : "nfshift");
    signal(SIGPIPE, SIG_DFL);
    opterr = 0; /* nf_opt_bad reports a bad option, once */
    catch_stop(SIGTERM);
    catch_stop(SIGINT);
    /* before anything reads stdin: stdio's 4 KiB meant a read call per ten records */
    setvbuf(stdin, stdin_buf, _IOFBF, sizeof stdin_buf);
}

void nf_opt_bad(char **argv, const char *shortopts)
{
    const char *word = optind > 0 ? argv[optind - 1] : NULL;
    if (word && strncmp(word, "--", 2) == 0) {
        int len = (int)strcspn(word, "=");
        if (optopt == 0)
            nf_usage_error("unknown option '%.*s'", len, word);
        if (word[len] == '=')
            nf_usage_error("option '%.*s' takes no value", len, word);
        nf_usage_error("option '%s' needs a value", word);
    }
    if (optopt != 0 && optopt != ':' && strchr(shortopts, optopt))
        nf_usage_error("option '-%c' needs a value", optopt);
    if (optopt > ' ' && optopt < 127)
        nf_usage_error("unknown option '-%c'", optopt);
    nf_usage_error("unknown option");
}

void nf_print_version(void)
{
    printf("%s (nfshift) %s\n", nf_progname(), NFSHIFT_VERSION);
    nf_finish_stdout();
    exit(0);
}

int nf_parse_u64(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!text || *text == '\0' || *text == '-' || *text == '+' || *text == ' ')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int nf_parse_i64(const char *text, int64_t *out)
{
    char *end;
    long long v;
    if (!text || *text == '\0' || *text == ' ')
        return -1;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int nf_parse_double(const char *text, double *out)
{
    char *end;
    double v;
    if (!text || *text == '\0' || *text == ' ')
        return -1;
    errno = 0;
    v = strtod(text, &end);
    if (errno == ERANGE && fabs(v) > 1.0)
        return -1;
    if (*end != '\0' || isnan(v))
        return -1;
    *out = v;
    return 0;
}

uint64_t nf_opt_u64(const char *opt, const char *text, uint64_t min, uint64_t max)
{
    uint64_t v;
    if (nf_parse_u64(text, &v) != 0)
        nf_usage_error("%s: '%s' is not a whole number", opt, text);
    if (v < min || v > max)
        nf_usage_error("%s: %s is out of range [%llu, %llu]", opt, text,
                       (unsigned long long)min, (unsigned long long)max);
    return v;
}

int64_t nf_opt_i64(const char *opt, const char *text, int64_t min, int64_t max)
{
    int64_t v;
    if (nf_parse_i64(text, &v) != 0)
        nf_usage_error("%s: '%s' is not a whole number", opt, text);
    if (v < min || v > max)
        nf_usage_error("%s: %s is out of range [%lld, %lld]", opt, text,
                       (long long)min, (long long)max);
    return v;
}

double nf_opt_double(const char *opt, const char *text, double min, double max)
{
    double v;
    if (nf_parse_double(text, &v) != 0)
        nf_usage_error("%s: '%s' is not a number", opt, text);
    if (v < min || v > max)
        nf_usage_error("%s: %s is out of range [%g, %g]", opt, text, min, max);
    return v;
}

int64_t nf_opt_seconds(const char *opt, const char *text)
{
    char *end;
    long long v;
    int64_t unit = 1;
    errno = 0;
    if (!text || *text < '0' || *text > '9')
        nf_usage_error("%s: '%s' is not a duration (e.g. 300, 5m, 1h, 1d)", opt, text ? text : "");
    v = strtoll(text, &end, 10);
    if (errno != 0)
        nf_usage_error("%s: '%s' is out of range", opt, text);
    if (*end != '\0') {
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default:
            nf_usage_error("%s: '%s' is not a duration (e.g. 300, 5m, 1h, 1d)", opt, text);
        }
        if (end[1] != '\0')
            nf_usage_error("%s: '%s' is not a duration (e.g. 300, 5m, 1h, 1d)", opt, text);
    }
    if (v > INT64_MAX / 1000 / unit)
        nf_usage_error("%s: '%s' is out of range", opt, text);
    return (int64_t)v * unit;
}

FILE *nf_open_input(const char *path, char **iobuf)
{
    FILE *f;
    if (strcmp(path, "-") == 0)
        return stdin;
    f = fopen(path, "rb");
    if (!f)
        nf_die("cannot open %s: %s", path, strerror(errno));
    if (iobuf) { /* stdio's 4 KiB meant a read call per ten flow records */
        if (!*iobuf)
            *iobuf = nf_xmalloc(NF_INPUT_BUFFER);
        setvbuf(f, *iobuf, _IOFBF, NF_INPUT_BUFFER);
    }
    return f;
}

FILE *nf_open_output(const char *path)
{
    FILE *f;
    if (strcmp(path, "-") == 0)
        return stdout;
    f = fopen(path, "w");
    if (!f)
        nf_die("cannot create %s: %s", path, strerror(errno));
    return f;
}

void nf_finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            exit(0);
        nf_die("error writing standard output: %s", strerror(errno));
    }
    if (stop_signal) {
        nf_warn("stopped by %s: the input was not read to the end; every record read was "
                "written", stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
        exit(128 + stop_signal);
    }
}
