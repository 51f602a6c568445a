/*
 * pcap_input.c - from a captured frame to its UDP datagram: link layer
 * (Ethernet + VLAN/QinQ, raw IP, loopback, Linux cooked), IPv4 with
 * options, IPv6 with extension headers. libpcap reads the files
 * (netflow.c); this only walks the headers, checking every length.
 */
#include "netflow.h"

#include <pcap/dlt.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static enum frame_kind udp_of(const uint8_t *p, size_t n, struct udp_dgram *u)
{
    size_t ulen;
    if (n < 8)
        return FRAME_TRUNCATED;
    u->sport = rd16(p);
    u->dport = rd16(p + 2);
    ulen = rd16(p + 4);
    if (ulen < 8)
        ulen = n; /* jumbogram or bad length: trust the capture */
    if (ulen > n)
        return FRAME_TRUNCATED;
    u->payload = p + 8;
    u->len = ulen - 8;
    return FRAME_UDP;
}

static enum frame_kind ipv4_of(const uint8_t *p, size_t n, struct udp_dgram *u)
{
    size_t ihl, tot;
    uint16_t frag;
    if (n < 20 || (p[0] >> 4) != 4)
        return FRAME_OTHER;
    ihl = (size_t)(p[0] & 15) * 4;
    tot = rd16(p + 2);
    if (ihl < 20 || ihl > n)
        return FRAME_TRUNCATED;
    if (tot >= ihl && tot < n)
        n = tot; /* Ethernet padding after the IP packet */
    if (p[9] != 17)
        return FRAME_OTHER;
    frag = rd16(p + 6);
    if (frag & 0x3fff) /* more fragments, or an offset */
        return FRAME_FRAGMENT;
    nf_addr_v4(&u->src, (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 | (uint32_t)p[14] << 8 | p[15]);
    nf_addr_v4(&u->dst, (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19]);
    return udp_of(p + ihl, n - ihl, u);
}

static enum frame_kind ipv6_of(const uint8_t *p, size_t n, struct udp_dgram *u)
{
    size_t off = 40, plen;
    uint8_t next;
    if (n < 40 || (p[0] >> 4) != 6)
        return FRAME_OTHER;
    plen = rd16(p + 4);
    if (plen && 40 + plen < n)
        n = 40 + plen;
    next = p[6];
    nf_addr_v6(&u->src, p + 8);
    nf_addr_v6(&u->dst, p + 24);
    for (int hops = 0; hops < 16; hops++) {
        switch (next) {
        case 17:
            return udp_of(p + off, n - off, u);
        case 0: case 43: case 60: /* hop-by-hop, routing, destination options */
            if (n - off < 8)
                return FRAME_TRUNCATED;
            next = p[off];
            off += ((size_t)p[off + 1] + 1) * 8;
            if (off > n)
                return FRAME_TRUNCATED;
            break;
        case 44:
            return FRAME_FRAGMENT;
        default:
            return FRAME_OTHER;
        }
    }
    return FRAME_OTHER;
}

static enum frame_kind by_ethertype(uint16_t type, const uint8_t *p, size_t n, struct udp_dgram *u)
{
    if (type == 0x0800)
        return ipv4_of(p, n, u);
    if (type == 0x86dd)
        return ipv6_of(p, n, u);
    return FRAME_OTHER;
}

static enum frame_kind ethernet_of(const uint8_t *p, size_t n, struct udp_dgram *u)
{
    size_t off = 12;
    uint16_t type;
    if (n < 14)
        return FRAME_TRUNCATED;
    type = rd16(p + off);
    off += 2;
    while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
        if (n - off < 4)
            return FRAME_TRUNCATED;
        type = rd16(p + off + 2);
        off += 4;
    }
    return by_ethertype(type, p + off, n - off, u);
}

static enum frame_kind raw_ip_of(const uint8_t *p, size_t n, struct udp_dgram *u)
{
    if (n < 1)
        return FRAME_TRUNCATED;
    if ((p[0] >> 4) == 4)
        return ipv4_of(p, n, u);
    if ((p[0] >> 4) == 6)
        return ipv6_of(p, n, u);
    return FRAME_OTHER;
}

enum frame_kind frame_udp(int linktype, const uint8_t *pkt, size_t caplen, struct udp_dgram *u)
{
    memset(u, 0, sizeof *u);
    switch (linktype) {
    case DLT_EN10MB:
        return ethernet_of(pkt, caplen, u);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
#ifdef DLT_RAW_ALT
    case DLT_RAW_ALT:
#endif
        return raw_ip_of(pkt, caplen, u);
    case DLT_NULL:
    case DLT_LOOP: /* 4-byte address family in host or network order */
        if (caplen < 4)
            return FRAME_TRUNCATED;
        return raw_ip_of(pkt + 4, caplen - 4, u);
    case DLT_LINUX_SLL:
        if (caplen < 16)
            return FRAME_TRUNCATED;
        return by_ethertype(rd16(pkt + 14), pkt + 16, caplen - 16, u);
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        if (caplen < 20)
            return FRAME_TRUNCATED;
        return by_ethertype(rd16(pkt), pkt + 20, caplen - 20, u);
#endif
    default:
        return FRAME_OTHER;
    }
}
