/*
 * netflow.h - what netflow.c and pcap_input.c share: UDP datagrams cut out
 * of captured frames.
 */
#ifndef NF_NETFLOW_H
#define NF_NETFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct udp_dgram {
    struct nf_addr src, dst;
    uint16_t sport, dport;
    const uint8_t *payload;
    size_t len;
};

/* Outcome of looking into one captured frame. */
enum frame_kind {
    FRAME_UDP = 0,   /* a whole UDP datagram (payload and addresses set) */
    FRAME_OTHER,     /* not UDP (TCP, ARP, ...): ignored */
    FRAME_FRAGMENT,  /* an IP fragment: not reassembled, counted */
    FRAME_TRUNCATED, /* captured length cuts the UDP payload short */
};

/*
 * Finds the UDP datagram in one frame of the given libpcap link type
 * (Ethernet with VLAN tags, raw IP, BSD loopback, Linux cooked v1/v2).
 */
enum frame_kind frame_udp(int linktype, const uint8_t *pkt, size_t caplen, struct udp_dgram *u);

#endif
