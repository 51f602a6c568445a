/*
 * err.h - messages on stderr, prefixed with the program name, and the
 * bad-record policy every stage shares (count, rejects file, --strict).
 */
#ifndef NF_ERR_H
#define NF_ERR_H

#include <stdint.h>
#include <stdio.h>

#define NF_EXIT_DATA 1  /* bad data, I/O failure, --strict hit */
#define NF_EXIT_USAGE 2 /* bad command line */

void nf_set_progname(const char *argv0);
const char *nf_progname(void);

/* "prog: message" on stderr. */
void nf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message" then exit(NF_EXIT_DATA). */
void nf_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* "prog: message", a hint to try --help, then exit(NF_EXIT_USAGE). */
void nf_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* "prog: FILE:LINE: message". line 0 omits the line. */
void nf_warn_at(const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "prog: FILE:LINE: message" then exit(NF_EXIT_DATA). */
void nf_die_at(const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/*
 * Writes s[0..n) for a terminal: printable ASCII and UTF-8 as they are,
 * newline, tab and CR as \n \t \r, other control bytes (ESC too) and bytes
 * that are not UTF-8 as \xHH, C1 controls as \u0080..\u009f. Every message
 * above goes through it (text from the data must not reach stderr raw).
 */
void nf_put_text(FILE *f, const char *s, size_t n);

/* malloc family that dies on exhaustion, so callers need no NULL checks. */
void *nf_xmalloc(size_t n);
void *nf_xcalloc(size_t n, size_t size);
void *nf_xrealloc(void *p, size_t n);
char *nf_xstrdup(const char *s);

/*
 * What to do with a record that cannot be used. Every stage owns one:
 * it counts, writes the message, optionally copies the raw bytes to the
 * rejects file and, with strict set, exits 1 at the first one.
 */
#define NF_REJECT_MESSAGES 20 /* messages printed before "further messages suppressed" */

struct nf_rejects {
    FILE *file;         /* --rejects FILE, or NULL */
    int strict;         /* --strict */
    uint64_t count;     /* records rejected so far */
    uint64_t max_messages; /* print at most this many (0 = NF_REJECT_MESSAGES) */
    int verbose;        /* --verbose: print every message */
};

/* Opens --rejects FILE; dies on failure. */
void nf_rejects_open(struct nf_rejects *r, const char *path);
/*
 * Reports one bad record: "prog: FILE:LINE: REASON" for the first
 * NF_REJECT_MESSAGES, then once "further messages suppressed" (all with
 * verbose or strict); raw bytes to the
 * rejects file (a newline is added when raw lacks one), exit 1 if strict.
 * where may be "byte 1234" style text instead of a line: pass line 0
 * and put the position in the reason.
 */
void nf_reject(struct nf_rejects *r, const char *file, uint64_t line,
               const char *raw, size_t raw_len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* "prog: N WHAT skipped" when N > 0 (WHAT is "records" in every tool); closes file. */
void nf_rejects_finish(struct nf_rejects *r, const char *what);

#endif
