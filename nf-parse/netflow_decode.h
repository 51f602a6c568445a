/*
 * netflow_decode.h - the NetFlow v5 / v9 / IPFIX datagram decoder.
 *
 * A pure function of (decoder state, datagram bytes, exporter address):
 * no files, no output stream. Decoded flows go to a callback, so
 * nf-parse, the unit tests and the libFuzzer harness all drive the same
 * code. State kept between datagrams: templates and option data
 * (sampling, system init time) per exporter and observation domain,
 * sequence numbers, and data sets still waiting for their template.
 */
#ifndef NF_NETFLOW_DECODE_H
#define NF_NETFLOW_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "flow.h"

/* Hard caps: a hostile exporter cannot make the decoder grow without bound. */
#define NFD_MAX_EXPORTERS 4096       /* (address, version, domain) keys */
#define NFD_MAX_TEMPLATES 4096       /* per exporter key */
#define NFD_MAX_FIELDS 1024          /* per template */
#define NFD_MAX_SAMPLERS 1024        /* sampler ids per exporter key */
#define NFD_DEFAULT_PENDING 4096     /* data sets buffered before their template */
/* Templates plus pending data sets, all exporters together (--template-memory). */
#define NFD_DEFAULT_MEMORY ((size_t)64 << 20)
#define NFD_MIN_MEMORY ((size_t)1 << 20)

typedef void (*nfd_emit_fn)(void *arg, struct nf_flow *f);

/* Counters of one run; printed by netflow_finish and --stats. */
struct nfd_stats {
    uint64_t datagrams;        /* datagrams handed to the decoder */
    uint64_t v5, v9, ipfix;    /* export packets / messages by version */
    uint64_t rejected;         /* datagrams rejected as malformed */
    uint64_t flows;            /* flow records emitted */
    uint64_t templates;        /* template records read (incl. option templates) */
    uint64_t withdrawals;      /* IPFIX template withdrawals */
    uint64_t template_changes; /* a template id redefined with another layout */
    uint64_t option_records;   /* option data records read */
    uint64_t pending_sets;     /* data sets buffered for a later template */
    uint64_t pending_decoded;  /* ... of which decoded once the template came */
    uint64_t pending_dropped;  /* ... dropped because the buffer was full */
    uint64_t undecodable_sets; /* data sets never decoded (no template by the end) */
    uint64_t undecodable_bytes;
    uint64_t lost_packets;     /* v9: export packets missing by sequence number, less late ones */
    uint64_t lost_records;     /* v5/IPFIX: flow records missing, less late ones */
    uint64_t seq_resets;       /* a jump the next datagram continued (exporter restart) */
    uint64_t late;             /* datagrams that filled a gap (reordered) */
    uint64_t duplicates;       /* datagrams on sequence numbers already seen */
    uint64_t seq_outliers;     /* datagrams far off their stream that nothing continued */
    uint64_t templates_evicted; /* least recently used templates dropped for the budget */
    uint64_t exporters_evicted; /* least recently used exporter keys dropped (key cap) */
    uint64_t memory_peak;       /* most bytes of templates plus pending data held */
};

struct nfd;

/* pending_limit: data sets buffered while their template is unknown (0 = default). */
struct nfd *nfd_new(size_t pending_limit, nfd_emit_fn emit, void *arg);
/* Counts what is still pending as undecodable, then frees everything. */
void nfd_free(struct nfd *d);
const struct nfd_stats *nfd_stats(const struct nfd *d);
/*
 * Sets the memory budget of templates plus pending data (default
 * NFD_DEFAULT_MEMORY, at least NFD_MIN_MEMORY). Beyond it the least
 * recently used templates are evicted; pending data may use a quarter.
 */
void nfd_set_memory(struct nfd *d, size_t bytes);
size_t nfd_memory(const struct nfd *d);
/*
 * A new input (file) begins: sequence numbers start afresh for every
 * exporter key (files are separate streams); templates stay.
 */
void nfd_new_source(struct nfd *d);
/* Moves every still-pending data set to the undecodable count (end of input). */
void nfd_flush_pending(struct nfd *d);

/*
 * Decodes one UDP payload (or one or more IPFIX messages back to back).
 * exporter may be NULL or family 0 when unknown (raw files). Returns 0,
 * or -1 for a malformed datagram: *err_off gets the byte offset of the
 * problem and why the reason. Flows of sets before the problem have been
 * emitted already; nothing after it is read.
 */
int nfd_datagram(struct nfd *d, const uint8_t *p, size_t n, const struct nf_addr *exporter,
                 size_t *err_off, char *why, size_t whylen);

/* Does p look like the start of a v5/v9/IPFIX export (version and lengths)? */
int nfd_looks_like_export(const uint8_t *p, size_t n);

#endif
