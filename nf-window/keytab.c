/* keytab.c - open-addressing aggregate table of one window (see keytab.h). */
#include "keytab.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAP 16

void agg_key_make(struct agg_key *k, const struct nf_cidr *src, const struct nf_cidr *dst,
                  uint8_t proto)
{
    memset(k, 0, sizeof *k);
    k->b[0] = src->net.family;
    memcpy(k->b + 1, src->net.b, 16);
    k->b[17] = src->prefix;
    k->b[18] = dst->net.family;
    memcpy(k->b + 19, dst->net.b, 16);
    k->b[35] = dst->prefix;
    k->b[36] = proto;
}

void agg_key_split(const struct agg_key *k, struct nf_cidr *src, struct nf_cidr *dst,
                   uint8_t *proto)
{
    memset(src, 0, sizeof *src);
    memset(dst, 0, sizeof *dst);
    src->net.family = k->b[0];
    memcpy(src->net.b, k->b + 1, 16);
    src->prefix = k->b[17];
    dst->net.family = k->b[18];
    memcpy(dst->net.b, k->b + 19, 16);
    dst->prefix = k->b[35];
    *proto = k->b[36];
}

uint64_t agg_key_hash(const struct agg_key *k)
{
    uint64_t h = 0x243f6a8885a308d3u, w;
    size_t i;
    for (i = 0; i < AGG_KEYLEN; i += 8) {
        memcpy(&w, k->b + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
        h ^= h >> 29;
    }
    return h ^ (h >> 32);
}

int agg_key_cmp(const struct agg_key *a, const struct agg_key *b)
{
    return memcmp(a->b, b->b, AGG_KEYLEN);
}

static void grow(struct keytab *t)
{
    struct agg_entry *old = t->slots;
    size_t oldcap = t->cap, i;
    t->cap = oldcap ? oldcap * 2 : MIN_CAP;
    t->slots = nf_xcalloc(t->cap, sizeof *t->slots);
    for (i = 0; i < oldcap; i++) {
        size_t j;
        if (old[i].key.b[0] == 0)
            continue;
        j = agg_key_hash(&old[i].key) & (t->cap - 1);
        while (t->slots[j].key.b[0] != 0)
            j = (j + 1) & (t->cap - 1);
        t->slots[j] = old[i];
    }
    free(old);
}

static void add_checked(uint64_t *sum, uint64_t v)
{
    if (__builtin_add_overflow(*sum, v, sum))
        nf_die("a counter sum exceeds 2^64-1");
}

void keytab_add(struct keytab *t, const struct agg_key *k, uint64_t hash, uint64_t flows,
                uint64_t packets, uint64_t bytes)
{
    size_t j;
    struct agg_entry *e;
    if ((t->n + 1) * 10 > t->cap * 7)
        grow(t);
    j = hash & (t->cap - 1);
    for (;;) {
        e = &t->slots[j];
        if (e->key.b[0] == 0) {
            e->key = *k;
            e->flows = e->packets = e->bytes = 0;
            t->n++;
            break;
        }
        if (memcmp(e->key.b, k->b, AGG_KEYLEN) == 0)
            break;
        j = (j + 1) & (t->cap - 1);
    }
    add_checked(&e->flows, flows);
    add_checked(&e->packets, packets);
    add_checked(&e->bytes, bytes);
}

static int cmp_entry(const void *a, const void *b)
{
    return agg_key_cmp(&((const struct agg_entry *)a)->key, &((const struct agg_entry *)b)->key);
}

struct agg_entry *keytab_sorted(struct keytab *t, size_t *n)
{
    size_t i, m = 0;
    for (i = 0; i < t->cap; i++)
        if (t->slots[i].key.b[0] != 0)
            t->slots[m++] = t->slots[i];
    qsort(t->slots, m, sizeof *t->slots, cmp_entry);
    *n = m;
    return t->slots;
}

void keytab_clear(struct keytab *t)
{
    /* A big table is given back rather than wiped, so one busy window
     * does not keep its memory (and a costly memset) for every later one. */
    if (t->cap > 65536) {
        free(t->slots);
        t->slots = NULL;
        t->cap = 0;
    } else if (t->cap) {
        memset(t->slots, 0, t->cap * sizeof *t->slots);
    }
    t->n = 0;
}

void keytab_free(struct keytab *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}
