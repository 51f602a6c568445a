/*
 * fuzz_table.c - libFuzzer harness for the table reader (lib/table.c) of
 * nf-pca, nf-decompose, nf-pelt and nf-explain: the input as an NDJSON
 * series file, read whole with pass-through text, then every cell and
 * pass-through row touched so the sanitizers see a bad value or bound.
 */
#include <stdint.h>
#include <string.h>

#include "memfile.h"
#include "table.h"

static volatile double sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct memfile m;
    char *paths[1];
    struct nf_lines in;
    struct nf_rejects rej;
    struct nf_table_opts o;
    struct nf_table t;
    size_t r, c;

    memset(&rej, 0, sizeof rej);
    rej.max_messages = 1;
    memset(&o, 0, sizeof o);
    memfile_open(&m, data, size);
    paths[0] = m.path;
    nf_lines_init(&in, paths, 1);
    nf_table_read(&t, &in, &o, &rej);
    for (r = 0; r < t.nrows; r++) {
        for (c = 0; c < t.ncols; c++)
            sink += nf_table_at(&t, r, c);
        if (t.has_time)
            sink += (double)t.time[r];
        if (t.pass)
            sink += (double)strlen(t.pass[r]) + (double)t.pass_len[r];
    }
    for (c = 0; c < t.ncols; c++)
        sink += (double)strlen(t.colnames[c]);
    sink += (double)nf_table_first_disorder(&t);
    nf_table_free(&t);
    nf_lines_free(&in);
    memfile_close(&m);
    return 0;
}
