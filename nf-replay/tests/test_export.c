/*
 * test_export.c - the encoder's datagrams byte by byte, against RFC 3954
 * and RFC 7011: header fields (version, count or length, export time,
 * sequence number, domain), template and data set layout, v9 padding,
 * uptime-relative times, and when templates are sent. The collectors that
 * read these datagrams (nf-parse, nfcapd) accept some of this loosely:
 * this checks it exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/tests/tap.h"
#include "export.h"

#define MAXD 16

struct capture {
    uint8_t d[MAXD][RP_MAX_SIZE];
    size_t len[MAXD];
    int64_t ms[MAXD];
    int n;
};

static void keep(void *arg, const uint8_t *p, size_t n, int64_t export_ms)
{
    struct capture *c = arg;
    if (c->n < MAXD) {
        memcpy(c->d[c->n], p, n);
        c->len[c->n] = n;
        c->ms[c->n] = export_ms;
    }
    c->n++;
}

static unsigned rd16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) << 32 | rd32(p + 4); }

/* A TCP flow 192.0.2.1:1000+i -> 198.51.100.7:80, first at t, last at t + 1500. */
static struct nf_flow tcp_flow(int i, int64_t t)
{
    struct nf_flow f;
    memset(&f, 0, sizeof f);
    nf_addr_v4(&f.src, 0xc0000201);
    nf_addr_v4(&f.dst, 0xc6336407);
    f.src_port = (uint16_t)(1000 + i);
    f.dst_port = 80;
    f.proto = 6;
    f.tcp_flags = 0x1b;
    f.has_time = 1;
    f.first_ms = t;
    f.last_ms = t + 1500;
    f.duration_ms = 1500;
    f.in_pkts = 10 + (uint64_t)i;
    f.in_bytes = 5000000000ull + (uint64_t)i; /* above 2^32: 8-byte counters */
    f.flows = 1;
    return f;
}

static void test_v9(void)
{
    static struct capture c;
    struct rp_options o = {RP_V9, 77, 0, 2, 1400};
    struct rp_exporter *x = rp_new(&o, keep, &c);
    const int64_t t0 = 1700000000250;
    const uint8_t *d;
    uint32_t uptime, secs;
    for (int i = 0; i < 3; i++) {
        struct nf_flow f = tcp_flow(i, t0 + i * 1000);
        rp_add(x, &f);
    }
    rp_flush(x);
    TAP_OK(c.n == 3, "v9: templates, then 2 + 1 records in 3 datagrams (got %d)", c.n);

    d = c.d[0];
    TAP_OK(rd16(d) == 9 && rd16(d + 2) == 1, "v9 template packet: version 9, count 1 record");
    TAP_OK(rd32(d + 12) == 0 && rd32(d + 16) == 77, "v9 template packet: sequence 0, source ID 77");
    TAP_OK(rd16(d + 20) == 0 && rd16(d + 22) == c.len[0] - 20, "template flowset id 0 spans the packet");
    TAP_OK(rd16(d + 24) == 256 && rd16(d + 26) == 10, "template 256 with 10 fields");
    TAP_OK(rd16(d + 28) == 8 && rd16(d + 30) == 4 && rd16(d + 52) == 22 && rd16(d + 54) == 4,
           "fields: IPV4_SRC_ADDR/4 first, FIRST_SWITCHED/4 seventh");

    d = c.d[1];
    TAP_OK(rd16(d + 2) == 2 && rd32(d + 12) == 1, "v9 data packet: count 2, sequence 1 (packets)");
    TAP_OK(rd16(d + 20) == 256 && rd16(d + 22) % 4 == 0 && 20 + rd16(d + 22) == c.len[1],
           "data flowset 256, length a multiple of 4, to the end of the packet");
    uptime = rd32(d + 4);
    secs = rd32(d + 8);
    TAP_OK(secs == 1700000001, "header unix secs: the records' clock (latest LAST_SWITCHED) %u", secs);
    {
        const uint8_t *r = d + 24;
        int64_t first = (int64_t)secs * 1000 + (int32_t)(rd32(r + 14) - uptime);
        int64_t last = (int64_t)secs * 1000 + (int32_t)(rd32(r + 18) - uptime);
        TAP_OK(rd32(r) == 0xc0000201 && rd32(r + 4) == 0xc6336407 && rd16(r + 8) == 1000 &&
                   rd16(r + 10) == 80 && r[12] == 6 && r[13] == 0x1b,
               "first record: addresses, ports, protocol, flags");
        TAP_OK(first == t0 && last == t0 + 1500, "sysUptime times give back the ms (%lld, %lld)",
               (long long)first, (long long)last);
        TAP_OK(rd64(r + 22) == 5000000000ull && rd64(r + 30) == 10, "IN_BYTES, IN_PKTS as 8 bytes");
    }
    TAP_OK(rd32(c.d[2] + 12) == 2 && rd16(c.d[2] + 2) == 1, "third packet: sequence 2, count 1");
    TAP_OK(c.ms[1] == 1700000001750 && c.ms[2] == 1700000003750,
           "export time: the latest LAST_SWITCHED when the datagram began");
    rp_free(x);
}

static void test_ipfix(void)
{
    static struct capture c;
    struct rp_options o = {RP_IPFIX, 5, 1, 2, 1400};
    struct rp_exporter *x = rp_new(&o, keep, &c);
    const int64_t t0 = 1700000000250;
    const uint8_t *d;
    for (int i = 0; i < 5; i++) {
        struct nf_flow f = tcp_flow(i, t0 + i * 1000);
        if (i == 4) { /* a second template: IPv6 */
            static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
            nf_addr_v6(&f.src, a6);
            nf_addr_v6(&f.dst, a6);
        }
        rp_add(x, &f);
    }
    rp_flush(x);
    /* templates; 2 records; templates (refresh 1); 2 records; new template; 1 record */
    TAP_OK(c.n == 7, "IPFIX: 7 messages with --template-refresh 1 and a new template (got %d)", c.n);
    for (int i = 0; i < c.n && i < MAXD; i++)
        TAP_OK(rd16(c.d[i]) == 10 && rd16(c.d[i] + 2) == c.len[i] && rd32(c.d[i] + 12) == 5,
               "message %d: version 10, length field = its length, domain 5", i + 1);
    d = c.d[0];
    TAP_OK(rd16(d + 16) == 2 && rd16(d + 20) == 256 && rd16(d + 22) == 10,
           "template set id 2, template 256 with 10 fields");
    TAP_OK(rd16(d + 48) == 152 && rd16(d + 50) == 8, "flowStartMilliseconds, 8 bytes");
    TAP_OK(rd32(c.d[0] + 8) == 0 && rd32(c.d[1] + 8) == 0 && rd32(c.d[3] + 8) == 2 &&
               rd32(c.d[6] + 8) == 4,
           "sequence: data records sent before the message (0, 0, 2, 4)");
    TAP_OK(rd32(c.d[2] + 8) == 2 && rd16(c.d[2] + 16) == 2, "a template message carries the count on");
    d = c.d[1];
    TAP_OK(rd16(d + 16) == 256 && rd64(d + 20 + 15) == (uint64_t)t0 &&
               rd64(d + 20 + 23) == (uint64_t)t0 + 1500,
           "data set 256: absolute ms times after the 2-byte tcpControlBits");
    d = c.d[5];
    TAP_OK(rd16(d + 16) == 2 && rd16(d + 20) == 256 && rd16(d + 20 + 44) == 257 &&
               rd16(d + 20 + 48) == 27 && rd16(d + 20 + 50) == 16,
           "the new template 257 (IPv6 addresses, 27/16) goes out with 256");
    TAP_OK(rd16(c.d[6] + 16) == 257, "the IPv6 record is in a set of template 257");
    rp_free(x);
}

static void test_sizes(void)
{
    static struct capture c;
    struct rp_options o = {RP_IPFIX, 0, 0, 0, 512};
    struct rp_exporter *x = rp_new(&o, keep, &c);
    const struct rp_counts *k;
    int over = 0;
    for (int i = 0; i < 40; i++) {
        struct nf_flow f = tcp_flow(i, 1700000000000 + i);
        f.out_bytes = 7;
        rp_add(x, &f);
    }
    rp_flush(x);
    for (int i = 0; i < c.n && i < MAXD; i++)
        over += c.len[i] > 512;
    k = rp_counts(x);
    TAP_OK(over == 0 && c.n > 4, "--max-size 512: %d messages, none larger", c.n);
    TAP_OK(k->flows == 40 && k->templates == 1 && k->datagrams == (uint64_t)c.n,
           "counts: 40 flows, 1 template, every datagram counted");
    rp_free(x);
}

int main(void)
{
    test_v9();
    test_ipfix();
    test_sizes();
    return tap_done();
}
