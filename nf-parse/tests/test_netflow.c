/*
 * test_netflow.c - unit tests of the datagram decoder as a pure function
 * (state, bytes, exporter): hand-built v5/v9/IPFIX datagrams with known
 * fields, malformed ones that must be rejected at the right byte, and a
 * replay of every fuzz seed (nf-parse/fuzz/corpus) so the sanitizer build
 * of `make check` runs the whole corpus through the decoder.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/tests/tap.h"
#include "netflow_decode.h"

#define MAXF 64

struct sink {
    struct nf_flow f[MAXF];
    int n;
    long total;
};

static void collect(void *arg, struct nf_flow *f)
{
    struct sink *s = arg;
    if (s->n < MAXF)
        s->f[s->n++] = *f;
    s->total++;
}

/* Big-endian writer into a buffer. */
struct buf {
    uint8_t b[2048];
    size_t n;
};
static void u8(struct buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void u16(struct buf *b, unsigned v) { u8(b, v >> 8); u8(b, v); }
static void u32(struct buf *b, uint32_t v) { u16(b, v >> 16); u16(b, v & 0xffff); }
static void u64(struct buf *b, uint64_t v) { u32(b, (uint32_t)(v >> 32)); u32(b, (uint32_t)v); }
static void put16at(struct buf *b, size_t at, unsigned v)
{
    b->b[at] = (uint8_t)(v >> 8);
    b->b[at + 1] = (uint8_t)v;
}

static int decode(struct nfd *d, struct buf *b, size_t *off, char *why)
{
    struct nf_addr ex;
    nf_addr_v4(&ex, 0xc0000201);
    return nfd_datagram(d, b->b, b->n, &ex, off, why, 200);
}

static void test_v5(void)
{
    struct sink s = {0};
    struct nfd *d = nfd_new(0, collect, &s);
    struct buf b = {{0}, 0};
    char why[200], addr[NF_ADDR_STRLEN];
    size_t off;
    u16(&b, 5); u16(&b, 1); u32(&b, 10000); u32(&b, 1600000000); u32(&b, 500000000);
    u32(&b, 7); u8(&b, 0); u8(&b, 0); u16(&b, 0x4000 | 100); /* mode 1, 1 in 100 */
    u32(&b, 0x0a000001); u32(&b, 0x0a000002); u32(&b, 0); u16(&b, 3); u16(&b, 4);
    u32(&b, 10); u32(&b, 1500); u32(&b, 4000); u32(&b, 9000); u16(&b, 1234); u16(&b, 80);
    u8(&b, 0); u8(&b, 0x12); u8(&b, 6); u8(&b, 0); u16(&b, 65000); u16(&b, 65001);
    u8(&b, 24); u8(&b, 16); u16(&b, 0);
    TAP_OK(decode(d, &b, &off, why) == 0, "v5: one record decodes");
    TAP_OK(s.n == 1, "v5: one flow emitted");
    nf_addr_format(&s.f[0].src, addr);
    TAP_STR(addr, "10.0.0.1", "v5: source address");
    TAP_OK(s.f[0].export_ms == 1600000000500LL, "v5: export time from secs + nsecs");
    TAP_OK(s.f[0].first_ms == 1600000000500LL - 6000, "v5: first = export - (uptime - first)");
    TAP_OK(s.f[0].last_ms == 1600000000500LL - 1000, "v5: last = export - (uptime - last)");
    TAP_OK(s.f[0].duration_ms == 5000, "v5: duration");
    TAP_OK(s.f[0].in_pkts == 10 && s.f[0].in_bytes == 1500, "v5: counters");
    TAP_OK(s.f[0].tcp_flags == 0x12 && s.f[0].proto == 6, "v5: flags and protocol");
    TAP_OK((s.f[0].present & NF_HAS_SAMPLING) && s.f[0].sampling_interval == 100,
           "v5: sampling interval from the low 14 bits of the header");
    TAP_OK(s.f[0].src_as == 65000 && s.f[0].dst_mask == 16, "v5: AS and mask");

    /* count says 2 records, only 1 present */
    put16at(&b, 2, 2);
    TAP_OK(decode(d, &b, &off, why) < 0, "v5: a count past the datagram is rejected");
    TAP_OK(strstr(why, "says 2 records") != NULL, "v5: reason names the count (%s)", why);
    TAP_OK(s.n == 1, "v5: nothing emitted from the rejected datagram");
    nfd_free(d);
}

/* IPFIX message with a template (256) and one data record using the given time IE. */
static void ipfix_with_time(struct buf *b, uint16_t ie, uint16_t len, uint64_t v, uint32_t export)
{
    size_t start;
    b->n = 0;
    u16(b, 10); u16(b, 0); u32(b, export); u32(b, 0); u32(b, 5);
    u16(b, 2); u16(b, 4 + 4 + 4 * 4);
    u16(b, 256); u16(b, 4);
    u16(b, 8); u16(b, 4); u16(b, 12); u16(b, 4); u16(b, 1); u16(b, 8); u16(b, ie); u16(b, len);
    start = b->n;
    u16(b, 256); u16(b, 0);
    u32(b, 0x0a000001); u32(b, 0x0a000002); u64(b, 777);
    if (len == 8)
        u64(b, v);
    else
        u32(b, (uint32_t)v);
    put16at(b, start + 2, (unsigned)(b->n - start));
    put16at(b, 2, (unsigned)b->n);
}

static void test_ipfix_times(void)
{
    struct buf b;
    char why[200];
    size_t off;
    struct {
        uint16_t ie, len;
        uint64_t v;
        int64_t want_first;
        const char *what;
    } cases[] = {
        {150, 4, 1600000000, 1600000000000LL, "flowStartSeconds"},
        {152, 8, 1600000000123ULL, 1600000000123LL, "flowStartMilliseconds"},
        /* NTP: 1600000000 + 2208988800 seconds, half a second */
        {154, 8, ((uint64_t)(1600000000ULL + 2208988800ULL) << 32) | 0x80000000u,
         1600000000500LL, "flowStartMicroseconds (NTP)"},
        {156, 8, ((uint64_t)(1600000000ULL + 2208988800ULL) << 32) | 0x40000000u,
         1600000000250LL, "flowStartNanoseconds (NTP)"},
        {158, 4, 2500000, 1600000010000LL - 2500, "flowStartDeltaMicroseconds"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sink s = {0};
        struct nfd *d = nfd_new(0, collect, &s);
        ipfix_with_time(&b, cases[i].ie, cases[i].len, cases[i].v, 1600000010);
        TAP_OK(decode(d, &b, &off, why) == 0 && s.n == 1, "IPFIX %s: decodes", cases[i].what);
        TAP_OK(s.f[0].has_time && s.f[0].first_ms == cases[i].want_first,
               "IPFIX %s: FIRST_SWITCHED %lld", cases[i].what, (long long)s.f[0].first_ms);
        TAP_OK(s.f[0].in_bytes == 777, "IPFIX %s: octetDeltaCount (8 bytes)", cases[i].what);
        nfd_free(d);
    }
    {
        struct sink s = {0};
        struct nfd *d = nfd_new(0, collect, &s);
        ipfix_with_time(&b, 4, 1, 6, 1600000010); /* protocol, no time at all */
        TAP_OK(decode(d, &b, &off, why) == 0 && s.n == 1, "IPFIX without times: decodes");
        TAP_OK(!s.f[0].has_time && s.f[0].export_ms == 1600000010000LL &&
                   (s.f[0].present & NF_HAS_EXPORT_TIME),
               "IPFIX without times: null times, EXPORT_TIME from the header");
        TAP_OK(s.f[0].domain_id == 5 && (s.f[0].present & NF_HAS_DOMAIN),
               "IPFIX: observation domain");
        nfd_free(d);
    }
}

static void test_ipfix_varlen_and_enterprise(void)
{
    struct sink s = {0};
    struct nfd *d = nfd_new(0, collect, &s);
    struct buf b = {{0}, 0};
    char why[200];
    size_t off, start;
    u16(&b, 10); u16(&b, 0); u32(&b, 1600000000); u32(&b, 0); u32(&b, 1);
    u16(&b, 2); u16(&b, 4 + 4 + 4 + 8 + 8 + 4 + 4 + 4);
    u16(&b, 300); u16(&b, 6);
    u16(&b, 8); u16(&b, 4);
    u16(&b, 0x8000 | 1); u16(&b, 8); u32(&b, 29305); /* reverse octetDeltaCount */
    u16(&b, 0x8000 | 99); u16(&b, 65535); u32(&b, 9999); /* enterprise varlen string */
    u16(&b, 12); u16(&b, 4);
    u16(&b, 1); u16(&b, 4);
    u16(&b, 82); u16(&b, 65535); /* interfaceName, variable */
    start = b.n;
    u16(&b, 300); u16(&b, 0);
    u32(&b, 0x0a000001); u64(&b, 4242); u8(&b, 3); u8(&b, 'a'); u8(&b, 'b'); u8(&b, 'c');
    u32(&b, 0x0a000002); u32(&b, 99);
    u8(&b, 255); u16(&b, 300); /* 3-byte length form: 300 bytes */
    memset(b.b + b.n, 'x', 300);
    b.n += 300;
    put16at(&b, start + 2, (unsigned)(b.n - start));
    put16at(&b, 2, (unsigned)b.n);
    TAP_OK(decode(d, &b, &off, why) == 0, "IPFIX varlen/enterprise: decodes (%s)", why);
    TAP_OK(s.n == 1 && s.f[0].in_bytes == 99 && s.f[0].out_bytes == 4242,
           "IPFIX: fields after variable-length ones land right; RFC 5103 reverse bytes go to OUT_BYTES");
    nfd_free(d);
}

static void test_v9_options_sampling_and_pending(void)
{
    struct sink s = {0};
    struct nfd *d = nfd_new(0, collect, &s);
    struct buf b = {{0}, 0};
    char why[200];
    size_t off;
    /* packet 1: data for template 260 before anything is known */
    u16(&b, 9); u16(&b, 1); u32(&b, 100000); u32(&b, 1600000000); u32(&b, 1); u32(&b, 7);
    u16(&b, 260); u16(&b, 4 + 12);
    u32(&b, 0x0a000001); u8(&b, 2); u8(&b, 6); u16(&b, 0); u32(&b, 99000); /* sampler 2, first 99000 */
    TAP_OK(decode(d, &b, &off, why) == 0 && s.n == 0, "v9: data without template waits");
    TAP_OK(nfd_stats(d)->pending_sets == 1, "v9: counted as pending");
    /* packet 2: options template 257 (scope system, sampler id + interval), its data, template 260 */
    b.n = 0;
    u16(&b, 9); u16(&b, 3); u32(&b, 100000); u32(&b, 1600000000); u32(&b, 2); u32(&b, 7);
    u16(&b, 1); u16(&b, 4 + 6 + 4 + 8 + 2);
    u16(&b, 257); u16(&b, 4); u16(&b, 8); u16(&b, 1); u16(&b, 4); u16(&b, 48); u16(&b, 1);
    u16(&b, 50); u16(&b, 4); u16(&b, 0);
    u16(&b, 257); u16(&b, 4 + 12);
    u32(&b, 0); u8(&b, 2); u32(&b, 512); u8(&b, 0); u8(&b, 0); u8(&b, 0);
    u16(&b, 0); u16(&b, 4 + 4 + 5 * 4);
    u16(&b, 260); u16(&b, 5);
    u16(&b, 8); u16(&b, 4); u16(&b, 48); u16(&b, 1); u16(&b, 4); u16(&b, 1); u16(&b, 7); u16(&b, 2);
    u16(&b, 22); u16(&b, 4);
    TAP_OK(decode(d, &b, &off, why) == 0, "v9: options and template decode (%s)", why);
    TAP_OK(s.n == 1, "v9: the pending record is decoded when its template arrives");
    TAP_OK(s.f[0].sampling_interval == 512, "v9: FLOW_SAMPLER_ID 2 maps to the option's interval");
    TAP_OK(s.f[0].first_ms == 1600000000000LL - 1000, "v9: FIRST_SWITCHED via sysUptime");
    TAP_OK(s.f[0].proto == 6, "v9: protocol");
    TAP_OK(nfd_stats(d)->pending_decoded == 1 && nfd_stats(d)->option_records == 1,
           "v9: counters: 1 decoded from pending, 1 option record");
    TAP_OK(nfd_stats(d)->lost_packets == 0, "v9: consecutive sequence numbers lose nothing");
    nfd_free(d);
}

static void test_malformed(void)
{
    struct sink s = {0};
    struct nfd *d = nfd_new(0, collect, &s);
    struct buf b = {{0}, 0};
    char why[200];
    size_t off = 0;
    /* v9 template with 2000 fields: over the cap */
    u16(&b, 9); u16(&b, 1); u32(&b, 1); u32(&b, 1); u32(&b, 1); u32(&b, 0);
    u16(&b, 0); u16(&b, 12); u16(&b, 300); u16(&b, 2000); u32(&b, 0x00080004);
    TAP_OK(decode(d, &b, &off, why) < 0 && off == 24, "v9: too many fields rejected at byte 24 (the template)");
    TAP_OK(strstr(why, "2000 fields") != NULL, "v9: reason (%s)", why);
    /* flowset length 2 inside nonzero bytes */
    b.n = 0;
    u16(&b, 9); u16(&b, 1); u32(&b, 1); u32(&b, 1); u32(&b, 2); u32(&b, 0);
    u16(&b, 300); u16(&b, 2); u32(&b, 0xdeadbeef);
    TAP_OK(decode(d, &b, &off, why) < 0 && off == 22, "v9: flowset length 2 rejected at byte 22");
    /* unknown version */
    b.n = 0;
    u16(&b, 7); u16(&b, 1);
    TAP_OK(decode(d, &b, &off, why) < 0 && strstr(why, "version 7") != NULL,
           "unknown version rejected");
    /* too short */
    b.n = 2;
    TAP_OK(decode(d, &b, &off, why) < 0, "2 bytes rejected");
    TAP_OK(nfd_stats(d)->rejected == 4, "four rejections counted");
    TAP_OK(s.n == 0, "nothing emitted");
    nfd_free(d);
}

/* Every seed of the fuzz corpus through a decoder: no crash, sanitizers clean. */
static void test_corpus(void)
{
    const char *top = getenv("NF_TOP");
    char dir[4096], path[8192];
    struct dirent *e;
    long files = 0;
    struct sink s = {0};
    struct nfd *d = nfd_new(0, collect, &s);
    DIR *dp;
    snprintf(dir, sizeof dir, "%s/nf-parse/fuzz/corpus", top ? top : ".");
    dp = opendir(dir);
    TAP_OK(dp != NULL, "fuzz corpus found at %s", dir);
    if (!dp) {
        nfd_free(d);
        return;
    }
    while ((e = readdir(dp)) != NULL) {
        FILE *f;
        uint8_t *buf;
        size_t n;
        char why[200];
        size_t off;
        struct nf_addr ex;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (!f)
            continue;
        buf = malloc(1 << 17);
        n = fread(buf, 1, 1 << 17, f);
        fclose(f);
        /* an exact-size copy, so a read one past the end trips ASan */
        {
            uint8_t *exact = malloc(n ? n : 1);
            memcpy(exact, buf, n);
            nf_addr_v4(&ex, 0x7f000001);
            nfd_datagram(d, exact, n, &ex, &off, why, sizeof why);
            free(exact);
        }
        free(buf);
        files++;
    }
    closedir(dp);
    TAP_OK(files >= 200, "replayed %ld corpus files", files);
    TAP_OK(s.total > 500, "corpus replay decoded %ld flows", s.total);
    nfd_free(d);
}

int main(void)
{
    test_v5();
    test_ipfix_times();
    test_ipfix_varlen_and_enterprise();
    test_v9_options_sampling_and_pending();
    test_malformed();
    test_corpus();
    return tap_done();
}
