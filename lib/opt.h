/*
 * opt.h - what every tool does at start-up and with its options:
 * program name, SIGPIPE, --version text, checked numeric conversions.
 * Conversions die with exit 2 naming the option and the bad text.
 */
#ifndef NF_OPT_H
#define NF_OPT_H

#include <stdint.h>
#include <stdio.h>

#define NFSHIFT_VERSION "0.1.0"

/*
 * Sets the program name and restores SIGPIPE's default action, so that
 * `nf-x | head` ends the stage quietly instead of with a write error.
 */
void nf_tool_init(int argc, char **argv);

/*
 * The signal number once SIGTERM or SIGINT arrived (nf_tool_init catches
 * them), else 0. Line input ends there (nf_lines_next); nf_finish_stdout
 * then says so and exits 128 + the signal number, after the tool wrote
 * everything it holds and its counts.
 */
int nf_stop_requested(void);

/*
 * getopt_long returned '?': names the bad word once ("unknown option
 * '--x'", "option '-w' needs a value"), then the one usage line, exit 2.
 * nf_tool_init sets opterr = 0, so getopt itself prints nothing.
 * shortopts is the tool's getopt string.
 */
void nf_opt_bad(char **argv, const char *shortopts) __attribute__((noreturn));

/* Prints "prog (nfshift) VERSION" to stdout and exits 0. */
void nf_print_version(void) __attribute__((noreturn));

/* Checked conversions: the whole text must be a number in [min, max]. */
uint64_t nf_opt_u64(const char *opt, const char *text, uint64_t min, uint64_t max);
int64_t nf_opt_i64(const char *opt, const char *text, int64_t min, int64_t max);
double nf_opt_double(const char *opt, const char *text, double min, double max);

/* Same conversions without dying: return 0 on success, -1 on bad text. */
int nf_parse_u64(const char *text, uint64_t *out);
int nf_parse_i64(const char *text, int64_t *out);
int nf_parse_double(const char *text, double *out);

/*
 * Durations such as "300", "300s", "5m", "1h", "1d", "2w" in seconds.
 * Dies with exit 2 on bad text.
 */
int64_t nf_opt_seconds(const char *opt, const char *text);

/*
 * Opens an input path ("-" = stdin); dies naming the file on failure.
 * With iobuf, a file gets an NF_INPUT_BUFFER-byte stdio buffer kept in
 * *iobuf (allocated on first use, reused by later files; free it after
 * closing the file). stdin's buffer is set by nf_tool_init.
 */
FILE *nf_open_input(const char *path, char **iobuf);
/* Opens an output path ("-" = stdout); dies naming the file on failure. */
FILE *nf_open_output(const char *path);
/*
 * Flushes stdout and reports a write error (disk full, closed pipe
 * without SIGPIPE) as exit 1. Call at the end of main.
 */
void nf_finish_stdout(void);

#endif
