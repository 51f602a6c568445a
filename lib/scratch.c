/* scratch.c - bump allocation for short-lived cJSON trees (see scratch.h). */
#include "scratch.h"

#include <stdlib.h>

#include <cJSON.h>

#include "err.h"

/* Under AddressSanitizer freed blocks are poisoned and empty chunks are
 * given back to free(), so a tree used after its memory went back shows
 * as an ASan report instead of silently reading the next record. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NF_SCRATCH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(NF_SCRATCH_ASAN)
#define NF_SCRATCH_ASAN 1
#endif
#ifdef NF_SCRATCH_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif
/* Under valgrind (the memcheck pass of make check runs the plain build)
 * cJSON stays on malloc/free, so memcheck sees every block; the test is
 * one client request per nf_scratch_begin, nothing per allocation. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

struct chunk {
    size_t cap, used; /* bytes of data[] */
    size_t live;      /* blocks handed out and not yet freed */
    max_align_t data[];
};

/* Before every block: its chunk (the free hook gets only the pointer). */
union block {
    struct {
        struct chunk *chunk;
        size_t size; /* bytes after the header, rounded */
    } h;
    max_align_t align;
};

static struct chunk *newest; /* small blocks are cut from here */
static struct chunk *spare;  /* one empty chunk kept for the next switch */
static size_t held;          /* bytes of all chunks */

enum { CHUNK_BYTES = 1 << 16 };

static size_t round_up(size_t n)
{
    return (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
}

static struct chunk *chunk_new(size_t cap)
{
    struct chunk *c;
    if (cap == CHUNK_BYTES && spare) {
        c = spare;
        spare = NULL;
    } else {
        c = nf_xmalloc(sizeof *c + cap);
        c->cap = cap;
        held += cap;
        POISON(c->data, cap);
    }
    c->used = 0;
    c->live = 0;
    return c;
}

static void chunk_drop(struct chunk *c)
{
#ifndef NF_SCRATCH_ASAN
    if (c->cap == CHUNK_BYTES && !spare) {
        spare = c;
        return;
    }
#endif
    held -= c->cap;
    free(c);
}

static void *cut(struct chunk *c, size_t size)
{
    union block *b = (union block *)((char *)c->data + c->used);
    UNPOISON(b, sizeof *b + size);
    b->h.chunk = c;
    b->h.size = size;
    c->used += sizeof *b + size;
    c->live++;
    return b + 1;
}

static void *scratch_malloc(size_t n)
{
    size_t size = round_up(n ? n : 1), need = sizeof(union block) + size;
    if (need > CHUNK_BYTES / 4) /* a big string: a chunk of its own */
        return cut(chunk_new(need), size);
    if (!newest || newest->cap - newest->used < need)
        newest = chunk_new(CHUNK_BYTES); /* the old one goes when its last block does */
    return cut(newest, size);
}

static void scratch_free(void *p)
{
    union block *b;
    struct chunk *c;
    if (!p)
        return;
    b = (union block *)p - 1;
    c = b->h.chunk; /* under ASan: a block freed twice is poisoned here */
    POISON(b, sizeof *b + b->h.size);
    if (--c->live > 0)
        return;
#ifdef NF_SCRATCH_ASAN
    if (c == newest)
        newest = NULL; /* never reused: freed into ASan's quarantine */
    chunk_drop(c);
#else
    if (c == newest)
        c->used = 0; /* everything in it is dead: start over in place */
    else
        chunk_drop(c);
#endif
}

void nf_scratch_begin(void)
{
    cJSON_Hooks hooks = {scratch_malloc, scratch_free};
    if (UNDER_VALGRIND())
        return;
    cJSON_InitHooks(&hooks);
}

void nf_scratch_end(void)
{
    cJSON_InitHooks(NULL);
    if (newest && newest->live == 0)
        chunk_drop(newest);
    newest = NULL; /* a chunk still live belongs to an undeleted tree: a leak LSan shows */
    if (spare) {
        held -= spare->cap;
        free(spare);
        spare = NULL;
    }
}

size_t nf_scratch_held(void)
{
    return held;
}
