/*
 * addr.h - IPv4/IPv6 addresses and CIDR prefixes. Text forms: dotted quad
 * for IPv4, RFC 5952 for IPv6 (what inet_ntop prints).
 */
#ifndef NF_ADDR_H
#define NF_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define NF_ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */
#define NF_CIDR_STRLEN 50

struct nf_addr {
    uint8_t family; /* 4 or 6; 0 = none */
    uint8_t b[16];  /* IPv4 in b[0..3] */
};

struct nf_cidr {
    struct nf_addr net; /* host bits zero */
    uint8_t prefix;
};

/* Parses text of n bytes (no NUL needed). Returns 0 or -1. */
int nf_addr_parse(const char *s, size_t n, struct nf_addr *a);
/* Writes the text form into buf (NF_ADDR_STRLEN bytes); returns its length. */
size_t nf_addr_format(const struct nf_addr *a, char *buf);
void nf_addr_v4(struct nf_addr *a, uint32_t host_order);
void nf_addr_v6(struct nf_addr *a, const uint8_t bytes[16]);
int nf_addr_equal(const struct nf_addr *a, const struct nf_addr *b);
/* Orders IPv4 before IPv6, then by bytes. */
int nf_addr_cmp(const struct nf_addr *a, const struct nf_addr *b);

/* "10.0.0.0/8", "2001:db8::/32"; a bare address is a host prefix. Host bits are cleared. */
int nf_cidr_parse(const char *s, size_t n, struct nf_cidr *c);
size_t nf_cidr_format(const struct nf_cidr *c, char *buf);
/* The prefix of length prefix containing a (prefix clipped to 32/128). */
void nf_cidr_of(const struct nf_addr *a, unsigned prefix, struct nf_cidr *c);
int nf_cidr_contains(const struct nf_cidr *c, const struct nf_addr *a);

/* A comma-separated list of prefixes, e.g. --internal 10.0.0.0/8,192.168.0.0/16. */
struct nf_cidr_list {
    struct nf_cidr *items;
    size_t n;
};
/* Adds every prefix of text (commas or white space between); -1 names nothing, caller reports. */
int nf_cidr_list_add(struct nf_cidr_list *l, const char *text, const char **bad, size_t *badlen);
int nf_cidr_list_contains(const struct nf_cidr_list *l, const struct nf_addr *a);
void nf_cidr_list_free(struct nf_cidr_list *l);

#endif
