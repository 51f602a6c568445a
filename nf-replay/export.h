/*
 * export.h - flow records to NetFlow v9 (RFC 3954) or IPFIX (RFC 7011)
 * export datagrams, as one exporter with one observation domain.
 *
 * A pure encoder: flows in, datagrams out through a callback, no
 * sockets, no clocks. Each flow gets the template of the fields it has
 * (IPv4 or IPv6 addresses, times or none, reverse counters, ICMP type and
 * code, the optional fields of docs/records.md); templates get ids 256,
 * 257, ... in order of
 * first use, are sent before their first data set and again every
 * refresh datagrams. Sequence numbers follow each protocol: v9 counts
 * export packets, IPFIX counts data records sent before the message.
 */
#ifndef NF_REPLAY_EXPORT_H
#define NF_REPLAY_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define RP_MIN_SIZE 512     /* the largest record and its headers fit */
#define RP_MAX_SIZE 65507   /* a UDP payload over IPv4 */
#define RP_MAX_TEMPLATES 4096

enum rp_protocol { RP_V9 = 9, RP_IPFIX = 10 };

struct rp_options {
    enum rp_protocol protocol;
    uint32_t domain;          /* v9 source ID / IPFIX observation domain ID */
    unsigned refresh;         /* data datagrams between template resends (0: only once) */
    unsigned max_records;     /* data records per datagram at most (0: as fit) */
    size_t max_size;          /* bytes of a datagram at most */
};

struct rp_counts {
    uint64_t flows;              /* data records encoded */
    uint64_t datagrams;          /* all datagrams */
    uint64_t template_datagrams; /* ... of which carry only templates */
    uint64_t bytes;              /* payload bytes of all datagrams */
    uint64_t templates;          /* distinct templates defined */
    uint64_t clipped_times;      /* v9: first packet more than 24.8 days before the last */
    uint64_t clipped_sampling;   /* sampling intervals above 2^32 - 1 sent as that */
};

/* Receives each finished datagram; export_ms is its header's export time. */
typedef void (*rp_send_fn)(void *arg, const uint8_t *p, size_t n, int64_t export_ms);

struct rp_exporter;

struct rp_exporter *rp_new(const struct rp_options *o, rp_send_fn send, void *arg);
/* Adds one flow; may send the datagram it fills (and templates first). */
void rp_add(struct rp_exporter *x, const struct nf_flow *f);
/* Sends the datagram being filled, if it holds any record. */
void rp_flush(struct rp_exporter *x);
/* Data records in the datagram being filled. */
unsigned rp_pending(const struct rp_exporter *x);
const struct rp_counts *rp_counts(const struct rp_exporter *x);
void rp_free(struct rp_exporter *x);

#endif
