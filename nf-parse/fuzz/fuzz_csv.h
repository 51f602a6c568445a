/*
 * fuzz_csv.h - the body of the CSV reader harnesses (fuzz_nfdump.c,
 * fuzz_argus.c, fuzz_series.c). The first input byte picks one of the
 * reader's real headers (FUZZ_CSV_HEADERS); the rest is the body, read by
 * FUZZ_CSV_READER (parse.h) with flow records written to /dev/null. A
 * header the reader refuses ends nf-parse (nf_die) by design, which would
 * stop libFuzzer; header refusals are tested in tests/robustness.bats.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static const char *const headers[] = {FUZZ_CSV_HEADERS};
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct parse_ctx ctx;
    const char *header;
    size_t hlen;
    char *text;
    FILE *f;
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
        FUZZ_CSV_READER(&ctx, f, "fuzz-input");
        fclose(f);
    }
    nf_jw_free(&ctx.out);
    free(text);
    return 0;
}
