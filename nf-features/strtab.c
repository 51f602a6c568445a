/* strtab.c - open-addressing string table with an arena for the keys. */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

/* FNV-1a, then a final mix so that near-identical subnet texts spread. */
static uint64_t hash_bytes(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void strtab_init(struct strtab *t)
{
    memset(t, 0, sizeof *t);
    t->nslots = 64;
    t->slots = nf_xcalloc(t->nslots, sizeof *t->slots);
    t->acap = 1024;
    t->arena = nf_xmalloc(t->acap);
}

void strtab_free(struct strtab *t)
{
    free(t->slots);
    free(t->hashes);
    free(t->koff);
    free(t->klen);
    free(t->arena);
    memset(t, 0, sizeof *t);
}

void strtab_clear(struct strtab *t)
{
    if (t->n > 0)
        memset(t->slots, 0, t->nslots * sizeof *t->slots);
    t->n = 0;
    t->alen = 0;
}

static void grow_slots(struct strtab *t)
{
    size_t i, mask;
    free(t->slots);
    t->nslots *= 2;
    t->slots = nf_xcalloc(t->nslots, sizeof *t->slots);
    mask = t->nslots - 1;
    for (i = 0; i < t->n; i++) {
        size_t s = (size_t)t->hashes[i] & mask;
        while (t->slots[s])
            s = (s + 1) & mask;
        t->slots[s] = (uint32_t)i + 1;
    }
}

static size_t find_slot(const struct strtab *t, uint64_t h, const void *key, size_t len)
{
    size_t mask = t->nslots - 1, s = (size_t)h & mask;
    for (;;) {
        uint32_t e = t->slots[s];
        if (!e)
            return s;
        e--;
        if (t->hashes[e] == h && t->klen[e] == len && memcmp(t->arena + t->koff[e], key, len) == 0)
            return s;
        s = (s + 1) & mask;
    }
}

int64_t strtab_get(const struct strtab *t, const void *key, size_t len)
{
    size_t s = find_slot(t, hash_bytes(key, len), key, len);
    return t->slots[s] ? (int64_t)t->slots[s] - 1 : -1;
}

uint32_t strtab_put(struct strtab *t, const void *key, size_t len, int *added)
{
    uint64_t h = hash_bytes(key, len);
    size_t s = find_slot(t, h, key, len);
    uint32_t i;
    if (t->slots[s]) {
        if (added)
            *added = 0;
        return t->slots[s] - 1;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->hashes = nf_xrealloc(t->hashes, t->cap * sizeof *t->hashes);
        t->koff = nf_xrealloc(t->koff, t->cap * sizeof *t->koff);
        t->klen = nf_xrealloc(t->klen, t->cap * sizeof *t->klen);
    }
    if (t->alen + len > t->acap) {
        while (t->alen + len > t->acap)
            t->acap *= 2;
        t->arena = nf_xrealloc(t->arena, t->acap);
    }
    i = (uint32_t)t->n++;
    t->hashes[i] = h;
    t->koff[i] = t->alen;
    t->klen[i] = (uint32_t)len;
    memcpy(t->arena + t->alen, key, len);
    t->alen += len;
    t->slots[s] = i + 1;
    if (added)
        *added = 1;
    if (t->n * 2 > t->nslots)
        grow_slots(t);
    return i;
}
