/*
 * netflow.c - NetFlow v5/v9 and IPFIX entry points of nf-parse.
 * (Placeholder so main.c links; the decoder replaces it.)
 */
#include "parse.h"

void parse_pcap(struct parse_ctx *ctx, const char *path)
{
    (void)ctx;
    nf_die("%s: pcap input: not implemented yet", path);
}

void parse_ipfix_file(struct parse_ctx *ctx, const char *path)
{
    (void)ctx;
    nf_die("%s: IPFIX file input: not implemented yet", path);
}

void parse_datagram_file(struct parse_ctx *ctx, const char *path)
{
    (void)ctx;
    nf_die("%s: datagram input: not implemented yet", path);
}

void parse_listen(struct parse_ctx *ctx, const char *addr_port)
{
    (void)ctx;
    nf_die("--listen %s: not implemented yet", addr_port);
}

void netflow_finish(struct parse_ctx *ctx)
{
    (void)ctx;
}

enum parse_format netflow_sniff(const unsigned char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return FMT_AUTO;
}
