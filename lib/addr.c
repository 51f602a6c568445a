/* addr.c - addresses and prefixes on top of inet_pton/inet_ntop. */
#include "addr.h"

#include "err.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int nf_addr_parse(const char *s, size_t n, struct nf_addr *a)
{
    char tmp[NF_ADDR_STRLEN + 1];
    while (n > 0 && *s == ' ') {
        s++;
        n--;
    }
    while (n > 0 && s[n - 1] == ' ')
        n--;
    /* Exactly an address: "10.0.0.1\0evil" is not 10.0.0.1 (inet_pton would stop at the NUL). */
    if (n == 0 || n > NF_ADDR_STRLEN || memchr(s, '\0', n))
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    memset(a, 0, sizeof *a);
    if (memchr(tmp, ':', n)) {
        if (inet_pton(AF_INET6, tmp, a->b) != 1)
            return -1;
        a->family = 6;
    } else {
        if (inet_pton(AF_INET, tmp, a->b) != 1)
            return -1;
        a->family = 4;
    }
    return 0;
}

/* "0." .. "255." with their lengths, built once: an octet is one 4-byte copy. */
static char octet_text[256][4];
static unsigned char octet_len[256];

static void octets_init(void)
{
    static int ready;
    unsigned v;
    if (ready)
        return;
    for (v = 0; v < 256; v++) {
        char *p = octet_text[v];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        *p = '.';
        octet_len[v] = (unsigned char)(p - octet_text[v]);
    }
    ready = 1;
}

static size_t format_v4(const uint8_t *b, char *buf)
{
    size_t n = 0;
    int i;
    octets_init();
    for (i = 0; i < 4; i++) {
        memcpy(buf + n, octet_text[b[i]], 4); /* digits and a '.' (dropped after the last) */
        n += octet_len[b[i]] + 1u;
    }
    buf[--n] = '\0';
    return n;
}

size_t nf_addr_format(const struct nf_addr *a, char *buf)
{
    if (a->family == 4)
        return format_v4(a->b, buf);
    if (a->family == 6 && inet_ntop(AF_INET6, a->b, buf, NF_ADDR_STRLEN))
        return strlen(buf);
    buf[0] = '\0';
    return 0;
}

void nf_addr_v4(struct nf_addr *a, uint32_t host_order)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->b[0] = (uint8_t)(host_order >> 24);
    a->b[1] = (uint8_t)(host_order >> 16);
    a->b[2] = (uint8_t)(host_order >> 8);
    a->b[3] = (uint8_t)host_order;
}

void nf_addr_v6(struct nf_addr *a, const uint8_t bytes[16])
{
    a->family = 6;
    memcpy(a->b, bytes, 16);
}

int nf_addr_equal(const struct nf_addr *a, const struct nf_addr *b)
{
    return nf_addr_cmp(a, b) == 0;
}

int nf_addr_cmp(const struct nf_addr *a, const struct nf_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

void nf_cidr_of(const struct nf_addr *a, unsigned prefix, struct nf_cidr *c)
{
    unsigned max = a->family == 4 ? 32 : 128, i;
    if (prefix > max)
        prefix = max;
    memset(c, 0, sizeof *c);
    c->net.family = a->family;
    c->prefix = (uint8_t)prefix;
    for (i = 0; i < prefix / 8; i++)
        c->net.b[i] = a->b[i];
    if (prefix % 8)
        c->net.b[prefix / 8] = (uint8_t)(a->b[prefix / 8] & (0xffu << (8 - prefix % 8)));
}

int nf_cidr_parse(const char *s, size_t n, struct nf_cidr *c)
{
    const char *slash = memchr(s, '/', n);
    struct nf_addr a;
    unsigned prefix;
    if (nf_addr_parse(s, slash ? (size_t)(slash - s) : n, &a) != 0)
        return -1;
    prefix = a.family == 4 ? 32 : 128;
    if (slash) {
        const char *p = slash + 1, *end = s + n;
        if (p == end || end - p > 3)
            return -1;
        prefix = 0;
        for (; p < end; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            prefix = prefix * 10 + (unsigned)(*p - '0');
        }
        if (prefix > (a.family == 4 ? 32u : 128u))
            return -1;
    }
    nf_cidr_of(&a, prefix, c);
    return 0;
}

size_t nf_cidr_format(const struct nf_cidr *c, char *buf)
{
    size_t n = nf_addr_format(&c->net, buf);
    n += (size_t)snprintf(buf + n, NF_CIDR_STRLEN - n, "/%u", c->prefix);
    return n;
}

int nf_cidr_contains(const struct nf_cidr *c, const struct nf_addr *a)
{
    struct nf_cidr of;
    if (a->family != c->net.family)
        return 0;
    nf_cidr_of(a, c->prefix, &of);
    return memcmp(of.net.b, c->net.b, 16) == 0;
}

int nf_cidr_list_add(struct nf_cidr_list *l, const char *text, const char **bad, size_t *badlen)
{
    const char *p = text;
    while (*p) {
        size_t n;
        struct nf_cidr c;
        while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        n = strcspn(p, ", \t\r\n");
        if (nf_cidr_parse(p, n, &c) != 0) {
            *bad = p;
            *badlen = n;
            return -1;
        }
        l->items = nf_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
        l->items[l->n++] = c;
        p += n;
    }
    return 0;
}

int nf_cidr_list_contains(const struct nf_cidr_list *l, const struct nf_addr *a)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (nf_cidr_contains(&l->items[i], a))
            return 1;
    return 0;
}

void nf_cidr_list_free(struct nf_cidr_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
