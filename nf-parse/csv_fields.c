/* csv_fields.c - field conversions for the text readers (see csv_fields.h). */
#include "csv_fields.h"

#include <netdb.h>
#include <string.h>
#include <strings.h>

int fld_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (n == 0 || n > 20)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return -1;
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

int fld_u64_hex(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return fld_u64(s, n, max, out);
    if (n > 18)
        return -1;
    for (i = 2; i < n; i++) {
        unsigned c = (unsigned char)s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

int fld_seconds_ms(const char *s, size_t n, uint64_t *ms)
{
    uint64_t whole = 0, frac = 0;
    size_t i = 0, digits = 0;
    unsigned scale;
    int overflow = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        unsigned d = (unsigned)(s[i] - '0');
        if (whole > (UINT64_MAX / 1000 - d) / 10)
            overflow = 1;
        whole = whole * 10 + d;
        i++;
        digits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        for (scale = 100; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            frac += (unsigned)(s[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i != n || digits == 0)
        return -1;
    if (overflow)
        return -2;
    *ms = whole * 1000 + frac;
    return 0;
}

int fld_tcp_flags(const char *s, size_t n)
{
    static const char letters[8] = {'C', 'E', 'U', 'A', 'P', 'R', 'S', 'F'};
    uint64_t v;
    int bits = 0, i;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return fld_u64_hex(s, n, 255, &v) == 0 ? (int)v : -1;
    if (n != 8)
        return -1;
    for (i = 0; i < 8; i++) {
        if (s[i] == letters[i])
            bits |= 0x80 >> i;
        else if (s[i] != '.')
            return -1;
    }
    return bits;
}

/* nfdump's short protocol names (nfdump 1.7 output), then names Argus prints. */
static const struct {
    const char *name;
    unsigned char num;
} proto_names[] = {
    {"TCP", 6}, {"UDP", 17}, {"ICMP", 1}, {"ICMP6", 58}, {"IGMP", 2}, {"GGP", 3},
    {"IPIP", 4}, {"ST", 5}, {"CBT", 7}, {"EGP", 8}, {"IGP", 9}, {"BBN", 10},
    {"NVPII", 11}, {"PUP", 12}, {"ARGUS", 13}, {"ENCOM", 14}, {"XNET", 15},
    {"CHAOS", 16}, {"MUX", 18}, {"DCN", 19}, {"HMP", 20}, {"PRM", 21}, {"XNS", 22},
    {"Trnk1", 23}, {"Trnk2", 24}, {"Leaf1", 25}, {"Leaf2", 26}, {"RDP", 27},
    {"IRTP", 28}, {"ISO-4", 29}, {"NETBK", 30}, {"MFESP", 31}, {"MEINP", 32},
    {"DCCP", 33}, {"3PC", 34}, {"IDPR", 35}, {"XTP", 36}, {"DDP", 37}, {"TP++", 39},
    {"IL", 40}, {"IPv6", 41}, {"SDRP", 42}, {"Rte6", 43}, {"Frag6", 44},
    {"IDRP", 45}, {"RSVP", 46}, {"GRE", 47}, {"MHRP", 48}, {"BNA", 49}, {"ESP", 50},
    {"AH", 51}, {"INLSP", 52}, {"SWIPE", 53}, {"NARP", 54}, {"MOBIL", 55},
    {"TLSP", 56}, {"SKIP", 57}, {"NOHE6", 59}, {"OPTS6", 60}, {"HOST", 61},
    {"CFTP", 62}, {"NET", 63}, {"SATNT", 64}, {"KLAN", 65}, {"RVD", 66},
    {"IPPC", 67}, {"FS", 68}, {"SATM", 69}, {"VISA", 70}, {"IPCV", 71},
    {"CPNX", 72}, {"CPHB", 73}, {"WSN", 74}, {"PVP", 75}, {"BSATM", 76},
    {"SUNND", 77}, {"WBMON", 78}, {"WBEXP", 79}, {"ISOIP", 80}, {"VMTP", 81},
    {"SVMTP", 82}, {"VINES", 83}, {"TTP", 84}, {"NSIGP", 85}, {"DGP", 86},
    {"TCF", 87}, {"EIGRP", 88}, {"OSPF", 89}, {"S-RPC", 90}, {"LARP", 91},
    {"MTP", 92}, {"AX.25", 93}, {"MICP", 95}, {"SCCSP", 96}, {"ETHIP", 97},
    {"ENCAP", 98}, {"GMTP", 100}, {"IFMP", 101}, {"PNNI", 102}, {"PIM", 103},
    {"ARIS", 104}, {"SCPS", 105}, {"QNX", 106}, {"A/N", 107}, {"IPcmp", 108},
    {"SNP", 109}, {"CpqPP", 110}, {"IPXIP", 111}, {"VRRP", 112}, {"PGM", 113},
    {"0hop", 114}, {"L2TP", 115}, {"DDX", 116}, {"IATP", 117}, {"STP", 118},
    {"SRP", 119}, {"UTI", 120}, {"SMP", 121}, {"SM", 122}, {"PTP", 123},
    {"ISIS4", 124}, {"FIRE", 125}, {"CRTP", 126}, {"CRUDP", 127}, {"IPLT", 129},
    {"SPS", 130}, {"PIPE", 131}, {"SCTP", 132}, {"FC", 133}, {"MHEAD", 135},
    {"UDP-L", 136}, {"MPLS", 137},
    /* Argus (lower case is matched above too): names from its protocol table */
    {"ipv6-icmp", 58}, {"icmpv6", 58}, {"ipv6-frag", 44}, {"ipv6-route", 43},
    {"ipv6-opts", 60}, {"ipv6-nonxt", 59}, {"ipencap", 4}, {"udplite", 136},
    {"ospfigp", 89}, {"ipcomp", 108},
};

int fld_protocol(const char *s, size_t n)
{
    char name[64];
    struct protoent *pe;
    uint64_t v;
    size_t i;
    if (n == 3 && memcmp(s, "TCP", 3) == 0)
        return 6;
    if (n == 3 && memcmp(s, "UDP", 3) == 0)
        return 17;
    if (n == 0 || n >= sizeof name)
        return -1;
    if (s[0] >= '0' && s[0] <= '9')
        return fld_u64(s, n, 255, &v) == 0 ? (int)v : -1;
    memcpy(name, s, n);
    name[n] = '\0';
    for (i = 0; i < sizeof proto_names / sizeof proto_names[0]; i++)
        if (strcasecmp(name, proto_names[i].name) == 0)
            return proto_names[i].num;
    pe = getprotobyname(name);
    return pe ? pe->p_proto : -1;
}

int fld_time(struct time_cache *c, const char *s, size_t n, struct nf_tz *tz, int64_t *ms)
{
    if (n == c->len && n > 0 && memcmp(s, c->text, n) == 0) {
        *ms = c->ms;
        return 0;
    }
    if (nf_time_parse(s, n, tz, ms) != 0)
        return -1;
    if (n < sizeof c->text) {
        memcpy(c->text, s, n);
        c->len = n;
        c->ms = *ms;
    }
    return 0;
}

int fld_header_columns(const char *const *field, size_t nfields, const char *const *names,
                       size_t ncols, const int *required, size_t nreq, int *idx)
{
    size_t i, c;
    for (c = 0; c < ncols; c++)
        idx[c] = -1;
    for (i = 0; i < nfields; i++)
        for (c = 0; c < ncols; c++)
            if (idx[c] < 0 && strcmp(field[i], names[c]) == 0)
                idx[c] = (int)i;
    for (c = 0; c < nreq; c++)
        if (idx[required[c]] < 0)
            return required[c];
    return -1;
}
