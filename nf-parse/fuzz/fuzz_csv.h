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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* static: still valid after a jump back from exit */
    static struct parse_ctx ctx;
    static char *text;
    static FILE *f;
    const char *header;
    size_t hlen;
    jmp_buf refused;
    if (size < 1)
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
