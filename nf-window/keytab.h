/*
 * keytab.h - the per-window aggregate table: an open-addressing hash table
 * (linear probing, power-of-two capacity) from (source subnet, destination
 * subnet, protocol) to the window's FLOWS/PACKETS/BYTES sums.
 *
 * A key is 40 bytes laid out so that memcmp orders keys canonically:
 * source family (4 before 6), source network bytes, source prefix length,
 * the same three for the destination, then the protocol number.
 */
#ifndef NFW_KEYTAB_H
#define NFW_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define AGG_KEYLEN 40

struct agg_key {
    uint8_t b[AGG_KEYLEN]; /* b[0] == 0 marks an empty slot */
};

struct agg_entry {
    struct agg_key key;
    uint64_t flows, packets, bytes;
};

struct keytab {
    struct agg_entry *slots;
    size_t cap;  /* power of two, or 0 before the first insert */
    size_t n;    /* keys held */
};

void agg_key_make(struct agg_key *k, const struct nf_cidr *src, const struct nf_cidr *dst,
                  uint8_t proto);
void agg_key_split(const struct agg_key *k, struct nf_cidr *src, struct nf_cidr *dst,
                   uint8_t *proto);
uint64_t agg_key_hash(const struct agg_key *k);
int agg_key_cmp(const struct agg_key *a, const struct agg_key *b);

/* Adds the three counters to the entry of k, creating it at zero first. Dies on overflow. */
void keytab_add(struct keytab *t, const struct agg_key *k, uint64_t hash, uint64_t flows,
                uint64_t packets, uint64_t bytes);
/*
 * Moves the entries to the front of the slot array in canonical key order and
 * returns it; *n gets the count. The table is unusable until keytab_clear.
 */
struct agg_entry *keytab_sorted(struct keytab *t, size_t *n);
/* Empties the table, keeping its memory for the next window. */
void keytab_clear(struct keytab *t);
void keytab_free(struct keytab *t);

#endif
