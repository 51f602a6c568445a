/*
 * netflow.c - nf-parse's NetFlow/IPFIX inputs: pcap/pcapng files (via
 * libpcap), RFC 5655 IPFIX files, raw datagram files and a live UDP
 * collector. Each hands datagrams to the decoder (netflow_decode.c) and
 * turns its verdicts into records, rejects and end-of-run counters.
 */
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netflow.h"
#include "hostport.h"
#include "opt.h"
#include "netflow_decode.h"

#define MAX_DATAGRAM_FILE (16u << 20) /* a raw datagram file is one UDP payload; allow slack */

struct netflow_state {
    struct nfd *d;
    struct parse_ctx *ctx;
    uint64_t udp_seen;      /* UDP datagrams looked at in captures */
    uint64_t not_export;    /* UDP datagrams that are not NetFlow/IPFIX */
    uint64_t port_skipped;  /* not to or from --port */
    uint64_t fragments;     /* IP fragments (not reassembled) */
    uint64_t truncated;     /* frames cut short by the capture length */
    int live;               /* --listen ran: kernel_drops means something */
    uint64_t kernel_drops;  /* datagrams the kernel dropped on the socket (buffer full) */
};

static void emit_flow(void *arg, struct nf_flow *f)
{
    struct parse_ctx *ctx = arg;
    if (ctx->scale_sampling && (f->present & NF_HAS_SAMPLING) && f->sampling_interval > 1) {
        f->in_pkts *= f->sampling_interval;
        f->in_bytes *= f->sampling_interval;
        f->out_pkts *= f->sampling_interval;
        f->out_bytes *= f->sampling_interval;
    }
    parse_emit(ctx, f);
}

static struct netflow_state *state(struct parse_ctx *ctx)
{
    if (!ctx->nf) {
        ctx->nf = nf_xcalloc(1, sizeof *ctx->nf);
        ctx->nf->ctx = ctx;
        ctx->nf->d = nfd_new(ctx->pending_limit, emit_flow, ctx);
        if (ctx->template_memory)
            nfd_set_memory(ctx->nf->d, ctx->template_memory);
    }
    return ctx->nf;
}

/* Decodes one datagram; a malformed one is rejected naming file, packet and byte. */
static void datagram(struct parse_ctx *ctx, const char *file, uint64_t pktno, size_t base,
                     const uint8_t *p, size_t n, const struct nf_addr *exporter)
{
    char why[256];
    size_t off = 0;
    if (nfd_datagram(state(ctx)->d, p, n, exporter, &off, why, sizeof why) < 0)
        nf_reject(&ctx->rej, file, 0, NULL, 0, "packet %llu, byte %zu: %s",
                  (unsigned long long)pktno, base + off, why);
}

void parse_pcap(struct parse_ctx *ctx, const char *path)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct netflow_state *st = state(ctx);
    struct pcap_pkthdr *h;
    const u_char *pkt;
    uint64_t pktno = 0;
    pcap_t *pc;
    int linktype, rc;

    nfd_new_source(st->d);
    pc = strcmp(path, "-") == 0 ? pcap_fopen_offline(stdin, errbuf)
                                : pcap_open_offline(path, errbuf);
    if (!pc)
        nf_die("%s: %s", path, errbuf);
    linktype = pcap_datalink(pc);
    while (!nf_stop_requested() && (rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
        struct udp_dgram u;
        enum frame_kind k;
        pktno++;
        ctx->binary_data = 1;
        k = frame_udp(linktype, pkt, h->caplen, &u);
        if (k == FRAME_FRAGMENT) {
            st->fragments++;
            continue;
        }
        if (k == FRAME_TRUNCATED) {
            st->truncated++;
            continue;
        }
        if (k != FRAME_UDP)
            continue;
        st->udp_seen++;
        if (ctx->port && u.sport != ctx->port && u.dport != ctx->port) {
            st->port_skipped++;
            continue;
        }
        if (!nfd_looks_like_export(u.payload, u.len)) {
            st->not_export++;
            continue;
        }
        datagram(ctx, path, pktno, 0, u.payload, u.len, &u.src);
    }
    if (rc == -1)
        nf_reject(&ctx->rej, path, 0, NULL, 0, "packet %llu: %s", (unsigned long long)pktno + 1,
                  pcap_geterr(pc));
    pcap_close(pc);
}

static FILE *open_binary(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        nf_die("%s: %s", path, strerror(errno));
    return f;
}

static void close_binary(FILE *f, const char *path)
{
    if (ferror(f))
        nf_die("%s: read error: %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
}

/* RFC 5655: IPFIX messages back to back; read one message at a time. */
void parse_ipfix_file(struct parse_ctx *ctx, const char *path)
{
    FILE *f = open_binary(path);
    uint8_t *msg = nf_xmalloc(65536);
    uint64_t msgno = 0;
    size_t off = 0, got;
    nfd_new_source(state(ctx)->d);
    while (!nf_stop_requested() && (got = fread(msg, 1, 16, f)) > 0) {
        size_t len;
        msgno++;
        ctx->binary_data = 1;
        if (got < 16) {
            nf_reject(&ctx->rej, path, 0, NULL, 0,
                      "packet %llu, byte %zu: %zu bytes left, an IPFIX header needs 16",
                      (unsigned long long)msgno, off, got);
            break;
        }
        len = (size_t)msg[2] << 8 | msg[3];
        if (msg[0] != 0 || msg[1] != 10 || len < 16) {
            nf_reject(&ctx->rej, path, 0, NULL, 0,
                      "packet %llu, byte %zu: not an IPFIX message header (version %u, length %zu);"
                      " the rest of the file is skipped",
                      (unsigned long long)msgno, off, (unsigned)(msg[0] << 8 | msg[1]), len);
            break;
        }
        got = fread(msg + 16, 1, len - 16, f);
        if (got < len - 16) {
            nf_reject(&ctx->rej, path, 0, NULL, 0,
                      "packet %llu, byte %zu: IPFIX message of %zu bytes cut short at %zu",
                      (unsigned long long)msgno, off, len, 16 + got);
            break;
        }
        datagram(ctx, path, msgno, off, msg, len, NULL);
        off += len;
    }
    free(msg);
    close_binary(f, path);
}

/* One UDP payload per file, as captured by logstash's tests. */
void parse_datagram_file(struct parse_ctx *ctx, const char *path)
{
    FILE *f = open_binary(path);
    size_t cap = 65536, n = 0, got;
    uint8_t *buf = nf_xmalloc(cap);
    nfd_new_source(state(ctx)->d);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= MAX_DATAGRAM_FILE) {
                nf_reject(&ctx->rej, path, 0, NULL, 0,
                          "packet 1, byte %zu: larger than %u bytes, not a datagram", n,
                          MAX_DATAGRAM_FILE);
                goto done;
            }
            cap *= 2;
            buf = nf_xrealloc(buf, cap);
        }
    }
    if (n > 0)
        ctx->binary_data = 1;
    datagram(ctx, path, 1, 0, buf, n, NULL);
done:
    free(buf);
    close_binary(f, path);
}

/* ---- live collector --------------------------------------------------- */

static volatile sig_atomic_t stop_listening;

static void on_stop(int sig)
{
    (void)sig;
    stop_listening = 1;
}

static int open_listener(const char *addr_port)
{
    char host[256], port[16], why[128];
    unsigned port_num;
    struct addrinfo hints, *res = NULL, *ai;
    int fd = -1, rc, on = 1, off = 0;
    /* an empty address is every address */
    if (nf_hostport_split(addr_port, host, sizeof host, &port_num, why, sizeof why) != 0)
        nf_usage_error("--listen %s: %s", addr_port, why);
    snprintf(port, sizeof port, "%u", port_num);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = host[0] ? AF_UNSPEC : AF_INET6;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0 && !host[0]) { /* no IPv6 on this host: every IPv4 address */
        hints.ai_family = AF_INET;
        rc = getaddrinfo(NULL, port, &hints, &res);
    }
    if (rc != 0)
        nf_usage_error("--listen %s: %s", addr_port, gai_strerror(rc));
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (ai->ai_family == AF_INET6 && !host[0])
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        int err = errno;
        freeaddrinfo(res);
        nf_die("--listen %s: cannot bind: %s", addr_port, strerror(err));
    }
    freeaddrinfo(res);
    {
        int rcvbuf = 8 << 20; /* ride out bursts while the writer is busy */
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        /* each datagram then carries the socket's drop counter */
        setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
    }
    return fd;
}

static void sockaddr_to_addr(const struct sockaddr_storage *ss, struct nf_addr *a)
{
    memset(a, 0, sizeof *a);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        nf_addr_v4(a, ntohl(sin->sin_addr.s_addr));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        const uint8_t *b = sin6->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(b, mapped, 12) == 0) /* an IPv4 exporter on a dual-stack socket */
            nf_addr_v4(a, (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
        else
            nf_addr_v6(a, b);
    }
}

/*
 * The kernel's count of datagrams dropped on this socket, from
 * /proc/net/udp or udp6 (the row whose inode is the socket's): the drops
 * after the last datagram read, which no SO_RXQ_OVFL message can carry.
 * Returns -1 when not found.
 */
static int64_t proc_drops(int fd)
{
    static const char *const tables[] = {"/proc/net/udp", "/proc/net/udp6"};
    struct stat sb;
    char line[512];
    if (fstat(fd, &sb) != 0)
        return -1;
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(tables[i], "r");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f)) {
            unsigned long long inode, drops;
            /* sl local rem st tx:rx tr:when retr uid timeout inode ref ptr drops */
            if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %*s %*s %llu", &inode,
                       &drops) == 2 && inode == (unsigned long long)sb.st_ino) {
                fclose(f);
                return (int64_t)drops;
            }
        }
        fclose(f);
    }
    return -1;
}

/*
 * Reads one datagram (flags: 0 or MSG_DONTWAIT) and the drop counter the
 * kernel attaches (SO_RXQ_OVFL). Returns its length, or -1 with errno.
 */
static ssize_t receive(int fd, uint8_t *buf, size_t cap, int flags, struct nf_addr *from,
                       uint64_t *drops)
{
    struct sockaddr_storage ss;
    union {
        char buf[CMSG_SPACE(sizeof(uint32_t))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {buf, cap};
    struct msghdr mh;
    struct cmsghdr *c;
    ssize_t n;
    memset(&mh, 0, sizeof mh);
    mh.msg_name = &ss;
    mh.msg_namelen = sizeof ss;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = control.buf;
    mh.msg_controllen = sizeof control.buf;
    n = recvmsg(fd, &mh, flags);
    if (n < 0)
        return -1;
    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            uint32_t v;
            memcpy(&v, CMSG_DATA(c), sizeof v);
            *drops = v;
        }
    }
    sockaddr_to_addr(&ss, from);
    return n;
}

static void live_datagram(struct parse_ctx *ctx, const char *name, uint64_t pktno,
                          const uint8_t *buf, size_t n, const struct nf_addr *from)
{
    if (!nfd_looks_like_export(buf, n)) {
        ctx->nf->not_export++;
        return;
    }
    datagram(ctx, name, pktno, 0, buf, n, from);
    nf_jw_flush(&ctx->out);
}

void parse_listen(struct parse_ctx *ctx, const char *addr_port)
{
    struct sigaction sa, old_int, old_term;
    uint8_t *buf = nf_xmalloc(65536);
    uint64_t pktno = 0, drained = 0, drops = 0;
    int fd = open_listener(addr_port);
    struct nf_addr from;
    int64_t final_drops;
    char name[300];
    ssize_t n;

    snprintf(name, sizeof name, "udp:%s", addr_port);
    state(ctx)->live = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* poll returns EINTR all the same; writes are restarted */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    stop_listening = 0;
    while (!stop_listening) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr = poll(&pfd, 1, 250); /* wake now and then in case a signal slipped past */
        if (pr < 0 && errno != EINTR)
            nf_die("--listen %s: poll: %s", addr_port, strerror(errno));
        if (pr <= 0)
            continue;
        n = receive(fd, buf, 65536, MSG_DONTWAIT, &from, &drops);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            nf_die("--listen %s: %s", addr_port, strerror(errno));
        }
        pktno++;
        live_datagram(ctx, name, pktno, buf, (size_t)n, &from);
    }
    /* What the kernel queued before the signal was sent to us: decode it, not drop it. */
    while ((n = receive(fd, buf, 65536, MSG_DONTWAIT, &from, &drops)) >= 0) {
        pktno++;
        drained++;
        live_datagram(ctx, name, pktno, buf, (size_t)n, &from);
    }
    final_drops = proc_drops(fd);
    if (final_drops > (int64_t)drops)
        drops = (uint64_t)final_drops;
    ctx->nf->kernel_drops = drops;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(fd);
    free(buf);
    nf_warn("--listen %s: %llu datagrams received (%llu queued at the stop), stopped by signal",
            addr_port, (unsigned long long)pktno, (unsigned long long)drained);
}

/* ---- end of run ------------------------------------------------------- */

static void write_stats(const struct netflow_state *st, const struct nfd_stats *s)
{
    struct nf_jw w;
    nf_jw_init(&w, stderr);
    nf_jw_begin(&w);
    nf_jw_str(&w, "stats", "netflow");
    nf_jw_u64(&w, "datagrams", s->datagrams);
    nf_jw_u64(&w, "v5_packets", s->v5);
    nf_jw_u64(&w, "v9_packets", s->v9);
    nf_jw_u64(&w, "ipfix_messages", s->ipfix);
    nf_jw_u64(&w, "rejected_datagrams", s->rejected);
    nf_jw_u64(&w, "flows", s->flows);
    nf_jw_u64(&w, "templates", s->templates);
    nf_jw_u64(&w, "template_withdrawals", s->withdrawals);
    nf_jw_u64(&w, "option_records", s->option_records);
    nf_jw_u64(&w, "pending_sets", s->pending_sets);
    nf_jw_u64(&w, "pending_decoded", s->pending_decoded);
    nf_jw_u64(&w, "pending_dropped", s->pending_dropped);
    nf_jw_u64(&w, "undecodable_sets", s->undecodable_sets);
    nf_jw_u64(&w, "undecodable_bytes", s->undecodable_bytes);
    nf_jw_u64(&w, "lost_packets", s->lost_packets);
    nf_jw_u64(&w, "lost_records", s->lost_records);
    nf_jw_u64(&w, "sequence_resets", s->seq_resets);
    nf_jw_u64(&w, "late_datagrams", s->late);
    nf_jw_u64(&w, "duplicate_datagrams", s->duplicates);
    nf_jw_u64(&w, "sequence_outliers", s->seq_outliers);
    nf_jw_u64(&w, "templates_evicted", s->templates_evicted);
    nf_jw_u64(&w, "exporters_evicted", s->exporters_evicted);
    nf_jw_u64(&w, "template_memory_peak", s->memory_peak);
    nf_jw_u64(&w, "udp_not_export", st->not_export);
    nf_jw_u64(&w, "udp_other_port", st->port_skipped);
    nf_jw_u64(&w, "ip_fragments", st->fragments);
    nf_jw_u64(&w, "truncated_frames", st->truncated);
    if (st->live)
        nf_jw_u64(&w, "kernel_drops", st->kernel_drops);
    nf_jw_end(&w);
    nf_jw_free(&w);
}

void netflow_finish(struct parse_ctx *ctx)
{
    struct netflow_state *st = ctx->nf;
    const struct nfd_stats *s;
    if (!st)
        return;
    nfd_flush_pending(st->d);
    s = nfd_stats(st->d);
    if (s->undecodable_sets)
        nf_warn("%llu data sets (%llu bytes) undecodable: their template never arrived",
                (unsigned long long)s->undecodable_sets, (unsigned long long)s->undecodable_bytes);
    if (s->lost_packets)
        nf_warn("%llu export packets lost (v9 sequence numbers)",
                (unsigned long long)s->lost_packets);
    if (s->lost_records)
        nf_warn("%llu flow records lost (v5/IPFIX sequence numbers)",
                (unsigned long long)s->lost_records);
    if (s->templates_evicted)
        nf_warn("%llu templates evicted, least recently used first, to stay within "
                "--template-memory %zu MiB; their data sets wait for the next resend",
                (unsigned long long)s->templates_evicted, nfd_memory(st->d) >> 20);
    if (s->exporters_evicted)
        nf_warn("%llu exporter keys evicted, least recently used first: more than %d "
                "(address, version, observation domain) keys sent data",
                (unsigned long long)s->exporters_evicted, NFD_MAX_EXPORTERS);
    if (st->kernel_drops)
        nf_warn("%llu datagrams dropped by the kernel before nf-parse read them (socket buffer "
                "full); sequence numbers count their records as lost unless they were the last",
                (unsigned long long)st->kernel_drops);
    if (st->fragments)
        nf_warn("%llu IP fragments skipped (not reassembled)", (unsigned long long)st->fragments);
    if (st->truncated)
        nf_warn("%llu frames cut short by the capture length skipped",
                (unsigned long long)st->truncated);
    if (ctx->stats)
        write_stats(st, s);
    nfd_free(st->d);
    free(st);
    ctx->nf = NULL;
}

enum parse_format netflow_sniff(const unsigned char *buf, size_t n)
{
    uint32_t magic;
    if (n < 4)
        return FMT_AUTO;
    magic = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
    switch (magic) {
    case 0xa1b2c3d4: case 0xd4c3b2a1: /* pcap, microseconds */
    case 0xa1b23c4d: case 0x4d3cb2a1: /* pcap, nanoseconds */
    case 0x0a0d0d0a:                  /* pcapng section header */
        return FMT_PCAP;
    }
    if (buf[0] == 0 && buf[1] == 10)
        return FMT_IPFIX_FILE;
    if (buf[0] == 0 && (buf[1] == 5 || buf[1] == 9))
        return FMT_DATAGRAM;
    return FMT_AUTO;
}
