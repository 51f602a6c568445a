/*
 * strtab.h - a hash table from byte strings to dense indexes 0, 1, 2, ...
 * The keys live in one arena, so inserting never mallocs per key, and
 * strtab_clear() empties the table for the next window while keeping its
 * memory: the table's size follows the largest window, not the input.
 */
#ifndef NF_STRTAB_H
#define NF_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab {
    uint32_t *slots;   /* index + 1 of the entry, 0 = empty */
    size_t nslots;     /* power of two */
    uint64_t *hashes;  /* per entry */
    size_t *koff;      /* per entry: key offset in arena */
    uint32_t *klen;    /* per entry: key length */
    size_t n, cap;     /* entries used, allocated */
    char *arena;
    size_t alen, acap;
};

void strtab_init(struct strtab *t);
void strtab_free(struct strtab *t);
void strtab_clear(struct strtab *t);
/*
 * Index of key; inserts it when absent. *added (may be NULL) is set to 1
 * when the key was new.
 */
uint32_t strtab_put(struct strtab *t, const void *key, size_t len, int *added);
/* Index of key, or -1 when absent. */
int64_t strtab_get(const struct strtab *t, const void *key, size_t len);
static inline const char *strtab_key(const struct strtab *t, uint32_t i, size_t *len)
{
    if (len)
        *len = t->klen[i];
    return t->arena + t->koff[i];
}

#endif
