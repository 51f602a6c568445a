/*
 * parse.h - what nf-parse's input readers share: the output context every
 * reader emits flow records into, and the entry point of each format.
 * main.c picks the format (sniffed from the first bytes, or --format) and
 * calls one of these per input.
 */
#ifndef NF_PARSE_H
#define NF_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "flow.h"
#include "jsonw.h"
#include "ntime.h"

enum parse_format {
    FMT_AUTO = 0,
    FMT_NFDUMP_CSV, /* nfdump -o csv: ts,te,td,sa,da,... */
    FMT_ARGUS_CSV,  /* Argus binetflow: StartTime,Dur,Proto,SrcAddr,... */
    FMT_SERIES_CSV, /* generic timestamp,value[,...] */
    FMT_NDJSON,     /* flow records as NDJSON, validated and passed through */
    FMT_PCAP,       /* pcap or pcapng of UDP datagrams carrying NetFlow/IPFIX */
    FMT_IPFIX_FILE, /* RFC 5655 IPFIX file: IPFIX messages back to back */
    FMT_DATAGRAM,   /* raw UDP payload files (one datagram per file), one exporter */
    FMT_PMACCT,     /* pmacct (nfacctd) JSON flow records: ip_src, ip_dst, ... */
    FMT_GOFLOW2,    /* GoFlow2 JSON flow records: SrcAddr, DstAddr, ... */
};

struct parse_ctx {
    struct nf_jw out;
    struct nf_rejects rej;
    struct nf_tz tz;          /* --tz: zone of text times */
    uint64_t next_id;         /* ID of the next flow record (starts at 1) */
    uint64_t written;         /* records written */
    int binary_data;          /* a NetFlow/pcap input held bytes (for the no-record check) */
    const char *time_key;     /* --time-key for series output (default WINDOW_START) */
    /* NetFlow/IPFIX options */
    unsigned port;            /* --port: only UDP datagrams to/from this port; 0 = any */
    int scale_sampling;       /* --scale-sampling: multiply packets and bytes by the interval */
    int stats;                /* --stats: JSON line of decoder counters on stderr at the end */
    unsigned stats_interval;  /* --stats-interval: seconds between live counter lines; 0 = none */
    size_t pending_limit;     /* --pending: data records buffered while their template is unknown */
    size_t template_memory;   /* --template-memory: bytes of templates + pending data; 0 = default */
    struct netflow_state *nf; /* decoder state (templates per exporter), owned by netflow code */
};

/* Assigns the next ID and writes f. Every reader emits through this. */
void parse_emit(struct parse_ctx *ctx, struct nf_flow *f);

/* Text formats (csv_*.c). name is for messages; f is already open. */
void parse_nfdump_csv(struct parse_ctx *ctx, FILE *f, const char *name);
void parse_argus_csv(struct parse_ctx *ctx, FILE *f, const char *name);
void parse_series_csv(struct parse_ctx *ctx, FILE *f, const char *name);
void parse_ndjson(struct parse_ctx *ctx, FILE *f, const char *name);
/* pmacct or GoFlow2 JSON lines (json_collectors.c), mapped onto the record contract. */
void parse_collector_json(struct parse_ctx *ctx, FILE *f, const char *name, int goflow2);

/*
 * NetFlow v5/v9/IPFIX (netflow*.c, pcap_input.c). Each reads one input
 * and emits the decoded flows; decoder state persists in ctx->nf across
 * calls so templates from one file serve the data of the next.
 */
void parse_pcap(struct parse_ctx *ctx, const char *path);
void parse_ipfix_file(struct parse_ctx *ctx, const char *path);
void parse_datagram_file(struct parse_ctx *ctx, const char *path);
/* --listen [ADDR]:PORT: runs until SIGINT/SIGTERM; flushes after each datagram. */
void parse_listen(struct parse_ctx *ctx, const char *addr_port);
/* Frees decoder state and prints end-of-run counters (and --stats) to stderr. */
void netflow_finish(struct parse_ctx *ctx);

/*
 * Sniffs a binary format from the first bytes of a file (n >= 4 where
 * available): FMT_PCAP, FMT_IPFIX_FILE, FMT_DATAGRAM, or FMT_AUTO when it
 * looks like text.
 */
enum parse_format netflow_sniff(const unsigned char *buf, size_t n);

#endif
