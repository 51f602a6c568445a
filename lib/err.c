/* err.c - program-name-prefixed messages and the shared bad-record policy. */
#include "err.h"
#include "utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *progname = "nfshift";

void nf_set_progname(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    progname = slash ? slash + 1 : argv0;
}

const char *nf_progname(void) { return progname; }

/*
 * Messages carry text from the data (key names, field text, file names):
 * control characters, ANSI escape sequences (ESC, and the C1 controls such
 * as CSI U+009B) and bytes that are not UTF-8 are written escaped, so no
 * input can move the cursor, recolour the terminal or forge a line.
 */
void nf_put_text(FILE *f, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 1;
        char esc[7];
        if (c >= 0x20 && c < 0x7f)
            continue;
        if (c >= 0x80 && (k = nf_utf8_seq(s + i, n - i)) > 0 &&
            !(c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) { /* C1 controls are C2 80..9F */
            i += k - 1;
            continue;
        }
        fwrite(s + run, 1, i - run, f);
        if (c == '\n' || c == '\t' || c == '\r') {
            esc[0] = '\\';
            esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            fwrite(esc, 1, 2, f);
        } else if (c == 0xC2 && k == 2) {
            unsigned char c1 = (unsigned char)s[i + 1];
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c1 >> 4];
            esc[5] = hex[c1 & 15];
            fwrite(esc, 1, 6, f);
            i++;
        } else {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            fwrite(esc, 1, 4, f);
        }
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, f);
}

/* The formatted message through nf_put_text (a long one in a heap buffer). */
static void put_message(const char *fmt, va_list ap)
{
    char small[512], *text = small;
    va_list again;
    int n;
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small) {
        text = malloc((size_t)n + 1);
        if (text)
            vsnprintf(text, (size_t)n + 1, fmt, again);
        else {
            text = small; /* out of memory: the message cut short */
            n = (int)sizeof small - 1;
        }
    }
    va_end(again);
    if (n > 0)
        nf_put_text(stderr, text, (size_t)n);
    if (text != small)
        free(text);
}

static void vwarn(const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", progname);
    put_message(fmt, ap);
    fputc('\n', stderr);
}

void nf_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void nf_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    exit(NF_EXIT_DATA);
}

void nf_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", progname);
    exit(NF_EXIT_USAGE);
}

/* "prog: FILE:LINE: message" (or "prog: FILE: message" for line 0). */
static void vwarn_at(const char *file, uint64_t line, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", progname);
    nf_put_text(stderr, file, strlen(file));
    if (line > 0)
        fprintf(stderr, ":%llu", (unsigned long long)line);
    fputs(": ", stderr);
    put_message(fmt, ap);
    fputc('\n', stderr);
}

void nf_warn_at(const char *file, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn_at(file, line, fmt, ap);
    va_end(ap);
}

void nf_die_at(const char *file, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn_at(file, line, fmt, ap);
    va_end(ap);
    exit(NF_EXIT_DATA);
}

/*
 * Blocks of millions of rows ask for transparent huge pages. Each 4 KiB
 * page's first touch is a fault, and on virtual machines a fault costs
 * microseconds: a million-row nf-pelt spent 0.12 s of its 0.95 s in 18,000
 * faults. Only a hint: the kernel may ignore it, and small blocks (the
 * streaming stages') never ask.
 */
enum { HUGE_HINT_BYTES = 2 << 20 };

static void *hint_huge(void *p, size_t n)
{
    static uintptr_t page;
    uintptr_t lo, hi;
    if (n < HUGE_HINT_BYTES)
        return p;
    if (!page) {
        long sz = sysconf(_SC_PAGESIZE);
        page = sz > 0 ? (uintptr_t)sz : 4096;
    }
    /* Whole pages around the block: a big block is a mapping of its own,
     * and advising only part of it would split it, which makes a later
     * realloc copy instead of remap. */
    lo = (uintptr_t)p & ~(page - 1);
    hi = ((uintptr_t)p + n + page - 1) & ~(page - 1);
#ifdef MADV_HUGEPAGE
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
    return p;
}

void *nf_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        nf_die("out of memory (%zu bytes)", n);
    return hint_huge(p, n);
}

void *nf_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        nf_die("out of memory (%zu x %zu bytes)", n, size);
    /* n * size fits: calloc checked it */
    return hint_huge(p, n * size);
}

void *nf_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        nf_die("out of memory (%zu bytes)", n);
    return hint_huge(q, n);
}

char *nf_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(nf_xmalloc(n), s, n);
}

void nf_rejects_open(struct nf_rejects *r, const char *path)
{
    r->file = fopen(path, "w");
    if (!r->file)
        nf_die("cannot open rejects file %s: %s", path, strerror(errno));
}

void nf_reject(struct nf_rejects *r, const char *file, uint64_t line,
               const char *raw, size_t raw_len, const char *fmt, ...)
{
    va_list ap;
    uint64_t limit = r->max_messages ? r->max_messages : NF_REJECT_MESSAGES;
    r->count++;
    if (r->verbose || r->strict || r->count <= limit) {
        va_start(ap, fmt);
        vwarn_at(file, line, fmt, ap);
        va_end(ap);
    } else if (r->count == limit + 1) {
        fflush(stdout);
        fprintf(stderr, "%s: further messages suppressed (--verbose shows all)\n", progname);
    }
    if (r->file && raw) {
        fwrite(raw, 1, raw_len, r->file);
        if (raw_len == 0 || raw[raw_len - 1] != '\n')
            fputc('\n', r->file);
    }
    if (r->strict)
        exit(NF_EXIT_DATA);
}

void nf_rejects_finish(struct nf_rejects *r, const char *what)
{
    if (r->count > 0)
        nf_warn("%llu %s skipped", (unsigned long long)r->count, what);
    if (r->file) {
        if (fclose(r->file) != 0)
            nf_warn("error closing rejects file");
        r->file = NULL;
    }
}
