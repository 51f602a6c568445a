/*
 * knowledge.h - what is known about protocols and ports without looking
 * at the traffic: a built-in table of well-known services (UDP/443 is
 * QUIC, 53 DNS, 123 NTP, 22 SSH, ...), the IANA service names of the
 * system's services database (getservbyport), port ranges (IANA
 * well-known/registered/dynamic, Linux ephemeral), TCP flag names and
 * the link MTUs packet sizes are compared with.
 */
#ifndef NFX_KNOWLEDGE_H
#define NFX_KNOWLEDGE_H
#include <stddef.h>

#define NFX_MTU_ETHERNET 1500 /* Ethernet II payload, the usual path MTU */
#define NFX_MTU_IPV6_MIN 1280 /* minimum link MTU of IPv6 (RFC 8200) */
#define NFX_MTU_IPV4_MIN 576  /* datagram size every IPv4 host accepts (RFC 791) */

#define NFX_IANA_DYNAMIC_LO 49152
#define NFX_LINUX_EPHEMERAL_LO 32768
#define NFX_LINUX_EPHEMERAL_HI 60999

struct nfx_service {
    const char *name;  /* built-in name ("QUIC"), or NULL */
    const char *note;  /* one line on what it is, or NULL */
    char iana[40];     /* name in the services database, "" if none */
};

/* "TCP", "UDP", "ICMP", ...; unknown numbers as the system names them or "protocol N". */
const char *nfx_proto_name(int proto, char *buf, size_t cap);
/* Fills s for proto/port; returns 1 when anything is known about it. */
int nfx_service_lookup(int proto, int port, struct nfx_service *s);
/* "well-known (0-1023)", "registered (1024-49151)", "dynamic/private (49152-65535)". */
const char *nfx_port_range(int port);
/* In Linux's default ephemeral range 32768-60999 (net.ipv4.ip_local_port_range). */
int nfx_port_linux_ephemeral(int port);
/* "SYN", "SYN ACK FIN"...; "none" for 0. */
void nfx_tcp_flags(int flags, char *buf, size_t cap);

#endif
