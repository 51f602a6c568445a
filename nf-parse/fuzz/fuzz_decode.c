/*
 * fuzz_decode.c - libFuzzer harness for the NetFlow v5/v9/IPFIX datagram
 * decoder (netflow_decode.c). Each input is decoded twice: as one
 * datagram on a fresh decoder, and, when it parses as a sequence of
 * [2-byte big-endian length][datagram] frames, as several datagrams of
 * one exporter in order, so templates from one frame meet data in the
 * next (the framed seeds start from real template/data pairs). Every
 * emitted flow is read field by field so the sanitizers see any value
 * built from uninitialised or out-of-bounds bytes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "netflow_decode.h"

static volatile uint64_t sink;

static void consume(void *arg, struct nf_flow *f)
{
    (void)arg;
    sink += f->in_bytes + f->in_pkts + f->out_bytes + f->out_pkts + f->src_port + f->dst_port +
            f->proto + (uint64_t)f->first_ms + (uint64_t)f->last_ms + f->duration_ms +
            f->sampling_interval + f->src.b[0] + f->dst.b[15] + f->next_hop.b[3] + f->present;
}

static void one(const uint8_t *p, size_t n)
{
    struct nf_addr exporter;
    char why[256];
    size_t off;
    struct nfd *d = nfd_new(64, consume, NULL);
    nf_addr_v4(&exporter, 0xc0000201);
    if (nfd_datagram(d, p, n, &exporter, &off, why, sizeof why) < 0 && off > n)
        __builtin_trap(); /* an error offset past the end means a bad bound */
    nfd_free(d);
}

static void framed(const uint8_t *p, size_t n)
{
    struct nf_addr exporter;
    char why[256];
    size_t at = 0, off;
    struct nfd *d;
    /* Only inputs that are exactly a frame sequence. */
    while (at < n) {
        size_t len;
        if (n - at < 2)
            return;
        len = (size_t)p[at] << 8 | p[at + 1];
        if (len > n - at - 2)
            return;
        at += 2 + len;
    }
    d = nfd_new(64, consume, NULL);
    nf_addr_v4(&exporter, 0xc0000201);
    for (at = 0; at < n;) {
        size_t len = (size_t)p[at] << 8 | p[at + 1];
        /* Copy each frame so ASan catches a read one past its end. */
        uint8_t *copy = nf_xmalloc(len ? len : 1);
        memcpy(copy, p + at + 2, len);
        nfd_datagram(d, copy, len, &exporter, &off, why, sizeof why);
        free(copy);
        at += 2 + len;
    }
    nfd_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    framed(data, size);
    return 0;
}
