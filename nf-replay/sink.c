/*
 * sink.c - nf-replay's outputs. The socket is connected once and every
 * datagram is one send(); a send the kernel refuses (ECONNREFUSED from
 * an earlier ICMP port unreachable, ENOBUFS) is counted, not fatal: an
 * exporter does not stop because its collector is away. pcap frames are
 * stamped with the datagram's export time, so the file is the same on
 * every run.
 */
#include "sink.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "hostport.h"

#define SRC_PORT 50000 /* pcap frames: the exporter's port */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void open_socket(struct sink *s)
{
    int sndbuf = 4 << 20; /* bursts at high speed-ups */
    s->fd = socket(s->to.ss_family, SOCK_DGRAM, 0);
    if (s->fd < 0)
        nf_die("--to %s: socket: %s", s->to_text, strerror(errno));
    setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (connect(s->fd, (struct sockaddr *)&s->to, s->to_len) < 0)
        nf_die("--to %s: %s", s->to_text, strerror(errno));
}

static void open_file(struct sink *s, const char *path, enum sink_file_format fmt)
{
    s->path = path;
    if (fmt == SINK_IPFIX_FILE) {
        s->file = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
        if (!s->file)
            nf_die("cannot write %s: %s", path, strerror(errno));
        return;
    }
    s->dead = pcap_open_dead(DLT_EN10MB, 65535);
    if (!s->dead)
        nf_die("libpcap: cannot make a pcap writer");
    if (strcmp(path, "-") == 0) {
        /* a copy of stdout: pcap_dump_close closes it, stdout stays for the end of main */
        int fd = dup(STDOUT_FILENO);
        FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!out)
            nf_die("cannot write standard output: %s", strerror(errno));
        s->dump = pcap_dump_fopen(s->dead, out);
    } else {
        s->dump = pcap_dump_open(s->dead, path);
    }
    if (!s->dump)
        nf_die("cannot write %s: %s", path, pcap_geterr(s->dead));
    s->frame = nf_xmalloc(14 + 40 + 8 + 65535);
}

void sink_open(struct sink *s, const char *to, unsigned default_port, const char *path,
               enum sink_file_format fmt)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (to) {
        s->to_text = to;
        nf_hostport_resolve("--to", to, "127.0.0.1", &s->to, &s->to_len);
        open_socket(s);
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&s->to;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)default_port);
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        s->to_len = sizeof *sin;
    }
    if (path)
        open_file(s, path, fmt);
}

/* RFC 1071 checksum of an IPv4 header. */
static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/*
 * Ethernet, then IPv4 (127.0.0.1 to the --to address) or IPv6 (::1 to
 * it), then UDP from SRC_PORT. The UDP checksum is left 0: allowed over
 * IPv4, and no reader of these files checks it over IPv6 either.
 */
static size_t build_frame(struct sink *s, const uint8_t *p, size_t n)
{
    static const uint8_t eth[12] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    uint8_t *f = s->frame, *ip = f + 14, *udp;
    memcpy(f, eth, 12);
    if (s->to.ss_family == AF_INET6) {
        const struct sockaddr_in6 *to6 = (const struct sockaddr_in6 *)&s->to;
        put16(f + 12, 0x86dd);
        memset(ip, 0, 40);
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)(8 + n));
        ip[6] = 17;
        ip[7] = 64;
        ip[8 + 15] = 1; /* ::1 */
        memcpy(ip + 24, to6->sin6_addr.s6_addr, 16);
        udp = ip + 40;
        put16(udp + 2, ntohs(to6->sin6_port));
    } else {
        const struct sockaddr_in *to4 = (const struct sockaddr_in *)&s->to;
        put16(f + 12, 0x0800);
        memset(ip, 0, 20);
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)(20 + 8 + n));
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 127;
        ip[15] = 1;
        memcpy(ip + 16, &to4->sin_addr.s_addr, 4);
        put16(ip + 10, ip_checksum(ip, 20));
        udp = ip + 20;
        put16(udp + 2, ntohs(to4->sin_port));
    }
    put16(udp, SRC_PORT);
    put16(udp + 4, (uint16_t)(8 + n));
    put16(udp + 6, 0);
    memcpy(udp + 8, p, n);
    return (size_t)(udp + 8 + n - f);
}

static void write_pcap(struct sink *s, const uint8_t *p, size_t n, int64_t export_ms)
{
    struct pcap_pkthdr h;
    size_t len = build_frame(s, p, n);
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)(export_ms / 1000);
    h.ts.tv_usec = (suseconds_t)(export_ms % 1000 * 1000);
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)s->dump, &h, s->frame);
}

void sink_send(struct sink *s, const uint8_t *p, size_t n, int64_t export_ms)
{
    if (s->fd >= 0) {
        if (send(s->fd, p, n, 0) < 0) {
            if (!s->send_errors)
                s->first_errno = errno;
            s->send_errors++;
        } else {
            s->sent++;
        }
    }
    if (s->dump)
        write_pcap(s, p, n, export_ms);
    else if (s->file && fwrite(p, 1, n, s->file) != n)
        nf_die("error writing %s: %s", s->path, strerror(errno));
}

void sink_close(struct sink *s)
{
    if (s->dump) {
        FILE *f = pcap_dump_file(s->dump);
        if (fflush(f) != 0 || ferror(f))
            nf_die("error writing %s: %s", s->path, strerror(errno));
        pcap_dump_close(s->dump);
        pcap_close(s->dead);
    }
    if (s->file && s->file != stdout && fclose(s->file) != 0)
        nf_die("error writing %s: %s", s->path, strerror(errno));
    if (s->fd >= 0)
        close(s->fd);
    free(s->frame);
}
