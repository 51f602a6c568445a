/* scratch.c - bump allocation for short-lived cJSON trees (see scratch.h). */
#include "scratch.h"

#include <stddef.h>
#include <stdlib.h>

#include <cJSON.h>

#include "err.h"

/* Under AddressSanitizer released scratch memory is poisoned and not
 * reused, so a tree used after its memory went back shows as an ASan
 * report instead of silently reading the next record. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NF_SCRATCH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NF_SCRATCH_ASAN 1
#endif
#ifdef NF_SCRATCH_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#endif

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
        ASAN_POISON_MEMORY_REGION(c->data, cap);
    }
    p = (char *)newest->data + newest->used;
    newest->used += need;
    ASAN_UNPOISON_MEMORY_REGION(p, n);
    return p;
}

static void scratch_free(void *p)
{
    /* reclaimed all at once by nf_scratch_reset; a block freed after
     * that is a use after free, which this read shows to ASan */
    (void)*(volatile char *)p;
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
#ifdef NF_SCRATCH_ASAN
    free(newest); /* into ASan's quarantine: stale reads are reported */
    newest = NULL;
#else
    if (newest)
        newest->used = 0;
#endif
}

void nf_scratch_end(void)
{
    cJSON_InitHooks(NULL);
    release_older();
    free(newest);
    newest = NULL;
}
