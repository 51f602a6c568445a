/*
 * fuzz_csv.h - the body of the CSV reader harnesses (fuzz_nfdump.c,
 * fuzz_argus.c, fuzz_series.c). The first input byte picks one of the
 * reader's real headers (FUZZ_CSV_HEADERS); the rest is the body, read by
 * FUZZ_CSV_READER (parse.h) with flow records written to /dev/null. A
 * header line repeated in the body that the reader refuses ends nf-parse
 * (nf_die) by design: under libFuzzer exit_jump.c jumps back here; in the
 * replay driver the exit ends that input's own process.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static const char *const headers[] = {FUZZ_CSV_HEADERS};
static FILE *devnull;
extern jmp_buf *fuzz_exit_jump; /* exit_jump.c, or replay.c */

#ifdef FUZZ_CSV_HEADER_WORD
/*
 * Whether a line of the body starts (after blanks and a quote) with the
 * header's first name: the reader takes it as a header again and refuses
 * one that lacks a column with nf_die, by design. Each such refusal leaks
 * the reader's buffers here (about 1 MB: 19,055 of them ran a libFuzzer
 * run out of memory), so these inputs are left out; lines end at CR or LF
 * as for libcsv.
 */
static int header_again(const uint8_t *p, size_t n)
{
    const char *word = FUZZ_CSV_HEADER_WORD;
    size_t wlen = strlen(word), i;
    for (i = 0; i < n; i++) {
        size_t j = i;
        if (i > 0 && p[i - 1] != '\n' && p[i - 1] != '\r')
            continue;
        while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '"'))
            j++;
        if (n - j >= wlen && memcmp(p + j, word, wlen) == 0)
            return 1;
    }
    return 0;
}
#else
#define header_again(p, n) 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* static: still valid after a jump back from exit */
    static struct parse_ctx ctx;
    static char *text;
    static FILE *f;
    const char *header;
    size_t hlen;
    jmp_buf refused;
    if (size < 1 || header_again(data + 1, size - 1))
        return 0;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    header = headers[data[0] % (sizeof headers / sizeof headers[0])];
    hlen = strlen(header);
    text = malloc(hlen + size); /* header, newline, body */
    if (!text)
        abort();
    memcpy(text, header, hlen);
    text[hlen] = '\n';
    memcpy(text + hlen + 1, data + 1, size - 1);
    memset(&ctx, 0, sizeof ctx);
    ctx.next_id = 1;
    ctx.rej.max_messages = 1;
    nf_tz_init(&ctx.tz, "UTC");
    nf_jw_init(&ctx.out, devnull);
    f = fmemopen(text, hlen + size, "r");
    if (f) {
        if (setjmp(refused) == 0) {
            fuzz_exit_jump = &refused;
            FUZZ_CSV_READER(&ctx, f, "fuzz-input");
        }
        fuzz_exit_jump = NULL;
        fclose(f);
    }
    nf_jw_free(&ctx.out);
    free(text);
    return 0;
}
