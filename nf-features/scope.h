/*
 * scope.h - is --internal right for these records? Interval features split
 * traffic by the internal prefixes, and two mistakes give features that
 * look plausible but are empty: an internal prefix longer than the
 * records' subnets (no /24 lies inside a /32), and prefixes that no record
 * touches (a typo). The first is refused as soon as it is seen, the second
 * is a warning at the end with the address ranges the input does hold.
 */
#ifndef NF_SCOPE_H
#define NF_SCOPE_H

#include <stdint.h>

#include "addr.h"
#include "strtab.h"

struct scope {
    const struct nf_cidr_list *internal;
    uint64_t records, inside;  /* aggregate records; those touching an internal subnet */
    struct strtab ranges;      /* /16 (IPv4) or /32 (IPv6) of each subnet seen */
    uint64_t *seen;            /* per range: windows it was seen in */
    size_t cap;
};

void scope_init(struct scope *s, const struct nf_cidr_list *internal);
void scope_free(struct scope *s);
/* A record subnet, first seen in a window: exits 2 when an internal prefix is longer. */
void scope_subnet(struct scope *s, const struct nf_cidr *c);
/* One aggregate record; touches is 1 when a side of it is internal. */
static inline void scope_record(struct scope *s, int touches)
{
    s->records++;
    s->inside += touches != 0;
}
/* The warning when records came but none (or under 1 %) touched the internal prefixes. */
void scope_finish(struct scope *s);

#endif
