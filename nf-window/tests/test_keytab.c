/* The window table: sums per key through growth and collisions, canonical order, reuse after clear. */
#include "../keytab.h"
#include "../../lib/tests/tap.h"

#include <stdlib.h>

static void key_of(struct agg_key *k, const char *src, const char *dst, unsigned plen, uint8_t proto)
{
    struct nf_addr a, b;
    struct nf_cidr cs, cd;
    nf_addr_parse(src, strlen(src), &a);
    nf_addr_parse(dst, strlen(dst), &b);
    nf_cidr_of(&a, plen, &cs);
    nf_cidr_of(&b, plen, &cd);
    agg_key_make(k, &cs, &cd, proto);
}

int main(void)
{
    struct keytab t = {0};
    struct agg_key k;
    struct agg_entry *e;
    size_t n, i;
    int ok = 1, sorted = 1;
    char src[64];

    /* 20,000 keys, each added three times: the table grows through many sizes. */
    for (i = 0; i < 60000; i++) {
        unsigned v = (unsigned)(i % 20000);
        snprintf(src, sizeof src, "10.%u.%u.1", v / 256, v % 256);
        key_of(&k, src, "8.8.8.8", 24, (uint8_t)(v % 3 ? 6 : 17));
        keytab_add(&t, &k, agg_key_hash(&k), 1, v, 2 * (uint64_t)v);
    }
    TAP_OK(t.n == 20000, "20,000 distinct keys held (%zu)", t.n);
    e = keytab_sorted(&t, &n);
    for (i = 0; i < n; i++) {
        unsigned v = (unsigned)e[i].key.b[2] * 256 + e[i].key.b[3];
        if (e[i].flows != 3 || e[i].packets != 3 * (uint64_t)v || e[i].bytes != 6 * (uint64_t)v)
            ok = 0;
        if (i && agg_key_cmp(&e[i - 1].key, &e[i].key) >= 0)
            sorted = 0;
    }
    TAP_OK(n == 20000 && ok, "every key's sums are the sums of its additions");
    TAP_OK(sorted, "entries come out in strictly increasing key order");
    keytab_clear(&t);
    TAP_OK(t.n == 0, "clear empties the table");

    key_of(&k, "2001:db8::1", "10.0.0.1", 64, 6);
    keytab_add(&t, &k, agg_key_hash(&k), 1, 1, 1);
    key_of(&k, "10.0.0.1", "2001:db8::1", 24, 6);
    keytab_add(&t, &k, agg_key_hash(&k), 1, 1, 1);
    key_of(&k, "9.255.255.255", "2001:db8::1", 24, 17);
    keytab_add(&t, &k, agg_key_hash(&k), 1, 1, 1);
    key_of(&k, "10.0.0.1", "10.0.0.1", 24, 17);
    keytab_add(&t, &k, agg_key_hash(&k), 1, 1, 1);
    key_of(&k, "10.0.0.1", "10.0.0.1", 24, 6);
    keytab_add(&t, &k, agg_key_hash(&k), 1, 1, 1);
    e = keytab_sorted(&t, &n);
    {
        static const char *want[] = {
            "9.255.255.0/24 2001:d00::/24 17", "10.0.0.0/24 10.0.0.0/24 6", "10.0.0.0/24 10.0.0.0/24 17",
            "10.0.0.0/24 2001:d00::/24 6", "2001:db8::/64 10.0.0.1/32 6",
        };
        char got[5][160];
        for (i = 0; i < n && i < 5; i++) {
            struct nf_cidr s, d;
            uint8_t p;
            char sb[NF_CIDR_STRLEN], db[NF_CIDR_STRLEN];
            agg_key_split(&e[i].key, &s, &d, &p);
            nf_cidr_format(&s, sb);
            nf_cidr_format(&d, db);
            snprintf(got[i], sizeof got[i], "%s %s %u", sb, db, p);
        }
        TAP_OK(n == 5, "five keys after reuse (%zu)", n);
        for (i = 0; i < 5 && i < n; i++)
            TAP_STR(got[i], want[i], "canonical order %zu: IPv4 before IPv6, by address, then destination, then protocol", i);
    }
    keytab_free(&t);
    return tap_done();
}
