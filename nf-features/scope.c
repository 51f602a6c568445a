/* scope.c - checks of --internal against the records (see scope.h). */
#include "scope.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ranges kept for the warning; more distinct ones are not tallied. */
#define SCOPE_MAX_RANGES 65536
#define SCOPE_SHOW 5

void scope_init(struct scope *s, const struct nf_cidr_list *internal)
{
    memset(s, 0, sizeof *s);
    s->internal = internal;
    strtab_init(&s->ranges);
}

void scope_free(struct scope *s)
{
    strtab_free(&s->ranges);
    free(s->seen);
    memset(s, 0, sizeof *s);
}

static void refuse(const struct nf_cidr *in, const struct nf_cidr *rec)
{
    char a[NF_CIDR_STRLEN], b[NF_CIDR_STRLEN], fix[NF_CIDR_STRLEN];
    struct nf_cidr wider;
    int v4 = rec->net.family == 4;
    nf_cidr_of(&in->net, rec->prefix, &wider);
    nf_cidr_format(in, a);
    nf_cidr_format(rec, b);
    nf_cidr_format(&wider, fix);
    nf_warn("--internal %s is longer than the records' subnets (/%u, e.g. %s): no subnet lies "
            "inside it, so every internal feature would be 0; give --internal %s, or window "
            "with nf-window --prefix%c %u", a, (unsigned)rec->prefix, b, fix, v4 ? '4' : '6',
            (unsigned)in->prefix);
    exit(NF_EXIT_USAGE);
}

static void tally(struct scope *s, const struct nf_cidr *c)
{
    struct nf_cidr range;
    char text[NF_CIDR_STRLEN];
    size_t len;
    int added;
    uint32_t i;
    unsigned bits = c->net.family == 4 ? 16 : 32;
    if (s->ranges.n >= SCOPE_MAX_RANGES)
        return;
    nf_cidr_of(&c->net, c->prefix < bits ? c->prefix : bits, &range);
    len = nf_cidr_format(&range, text);
    i = strtab_put(&s->ranges, text, len, &added);
    if (i >= s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->seen = nf_xrealloc(s->seen, s->cap * sizeof *s->seen);
    }
    if (added)
        s->seen[i] = 0;
    s->seen[i]++;
}

void scope_subnet(struct scope *s, const struct nf_cidr *c)
{
    size_t i;
    for (i = 0; i < s->internal->n; i++) {
        const struct nf_cidr *in = &s->internal->items[i];
        if (in->net.family == c->net.family && in->prefix > c->prefix)
            refuse(in, c);
    }
    tally(s, c);
}

void scope_finish(struct scope *s)
{
    char list[SCOPE_SHOW * (NF_CIDR_STRLEN + 32)], inl[256];
    size_t used = 0, k, i, j;
    uint32_t top[SCOPE_SHOW];
    size_t ntop = 0;
    /* The monitored networks are on one side of most traffic: under 1 % is a typo's mark. */
    if (s->records == 0 || s->inside * 100 >= s->records)
        return;
    /* the most often seen ranges, ties in first-seen order */
    for (i = 0; i < s->ranges.n; i++) {
        for (k = 0; k < ntop && s->seen[top[k]] >= s->seen[i]; k++)
            ;
        if (k >= SCOPE_SHOW)
            continue;
        if (ntop < SCOPE_SHOW)
            ntop++;
        for (j = ntop - 1; j > k; j--)
            top[j] = top[j - 1];
        top[k] = (uint32_t)i;
    }
    list[0] = '\0';
    for (k = 0; k < ntop; k++) {
        size_t len;
        const char *key = strtab_key(&s->ranges, top[k], &len);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%.*s (%llu)",
                                 k ? ", " : "", (int)len, key,
                                 (unsigned long long)s->seen[top[k]]);
    }
    inl[0] = '\0';
    for (i = 0, used = 0; i < s->internal->n && used < sizeof inl - NF_CIDR_STRLEN - 2; i++) {
        char t[NF_CIDR_STRLEN];
        nf_cidr_format(&s->internal->items[i], t);
        used += (size_t)snprintf(inl + used, sizeof inl - used, "%s%s", i ? "," : "", t);
    }
    if (s->inside == 0)
        nf_warn("warning: none of the %llu records has a subnet inside --internal %s, so every "
                "internal feature is 0; the address ranges seen most (windows): %s",
                (unsigned long long)s->records, inl, list);
    else
        nf_warn("warning: only %llu of the %llu records (%.1f %%) have a subnet inside "
                "--internal %s, so the internal features are nearly all 0; the address ranges "
                "seen most (windows): %s", (unsigned long long)s->inside,
                (unsigned long long)s->records, 100.0 * (double)s->inside / (double)s->records,
                inl, list);
}
