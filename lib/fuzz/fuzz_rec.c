/*
 * fuzz_rec.c - libFuzzer harness for the NDJSON record reader and the flow
 * validator: nf_rec_next (lib/rec.c) over the input as a file, with cJSON
 * on scratch memory as the reading stages run it, each record checked by
 * nf_flow_from_json (lib/flow.c) and written back by the flow writer. The
 * previous record is deleted only after the next one was read, the pattern
 * of nf-features that issue 13 found unsafe.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "jsonw.h"
#include "memfile.h"
#include "rec.h"
#include "scratch.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct memfile m;
    char *paths[1];
    struct nf_lines in;
    struct nf_rejects rej;
    struct nf_jw w;
    cJSON *obj, *prev = NULL;

    if (!devnull)
        devnull = fopen("/dev/null", "w");
    memset(&rej, 0, sizeof rej);
    rej.max_messages = 1;
    memfile_open(&m, data, size);
    paths[0] = m.path;
    nf_lines_init(&in, paths, 1);
    nf_jw_init(&w, devnull);
    nf_scratch_begin();
    while ((obj = nf_rec_next(&in, &rej)) != NULL) {
        struct nf_flow f;
        char why[160];
        if (nf_flow_from_json(obj, &f, why, sizeof why) == 0)
            nf_flow_write(&w, &f);
        else
            nf_reject(&rej, in.name, in.lineno, in.buf, in.len, "%s", why);
        if (prev)
            cJSON_Delete(prev);
        prev = obj;
    }
    if (prev)
        cJSON_Delete(prev);
    nf_scratch_end();
    nf_jw_free(&w);
    nf_lines_free(&in);
    memfile_close(&m);
    return 0;
}
