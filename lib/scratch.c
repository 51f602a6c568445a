/* scratch.c - bump allocation for short-lived cJSON trees (see scratch.h). */
#include "scratch.h"

#include <stddef.h>
#include <stdlib.h>

#include <cJSON.h>

#include "err.h"

struct chunk {
    struct chunk *older;
    size_t cap, used;
    max_align_t data[]; /* cap bytes */
};

static struct chunk *newest; /* allocation happens here; older ones are full */

enum { CHUNK_BYTES = 1 << 16 };

static void *scratch_malloc(size_t n)
{
    size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    void *p;
    if (!newest || newest->cap - newest->used < need) {
        size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        struct chunk *c = nf_xmalloc(sizeof *c + cap);
        c->older = newest;
        c->cap = cap;
        c->used = 0;
        newest = c;
    }
    p = (char *)newest->data + newest->used;
    newest->used += need;
    return p;
}

static void scratch_free(void *p)
{
    (void)p; /* reclaimed all at once by nf_scratch_reset */
}

static void release_older(void)
{
    struct chunk *c = newest ? newest->older : NULL;
    while (c) {
        struct chunk *older = c->older;
        free(c);
        c = older;
    }
    if (newest)
        newest->older = NULL;
}

void nf_scratch_begin(void)
{
    cJSON_Hooks hooks = {scratch_malloc, scratch_free};
    cJSON_InitHooks(&hooks);
}

void nf_scratch_reset(void)
{
    /* A line bigger than one chunk leaves several; keep the newest only. */
    release_older();
    if (newest)
        newest->used = 0;
}

void nf_scratch_end(void)
{
    cJSON_InitHooks(NULL);
    release_older();
    free(newest);
    newest = NULL;
}
