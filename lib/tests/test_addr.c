/* Addresses print in RFC 5952 form; prefixes mask and contain correctly. */
#include "../addr.h"
#include "tap.h"

#include <arpa/inet.h>
#include <stdlib.h>

/* Every octet value in every position, and random addresses, against inet_ntop. */
static void v4_text_matches_inet_ntop(void)
{
    int all = 1;
    srand(3);
    for (int i = 0; i < 256 * 4 + 100000; i++) {
        uint8_t b[4] = {(uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand()};
        char got[NF_ADDR_STRLEN], want[INET_ADDRSTRLEN];
        struct nf_addr a;
        if (i < 256 * 4)
            b[i / 256] = (uint8_t)(i % 256);
        nf_addr_v4(&a, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
        size_t n = nf_addr_format(&a, got);
        inet_ntop(AF_INET, b, want, sizeof want);
        if (strcmp(got, want) != 0 || n != strlen(want)) {
            printf("# %s written as %s\n", want, got);
            all = 0;
        }
    }
    TAP_OK(all, "IPv4 text equals inet_ntop for every octet value in every position and 100,000 random addresses");
}

static const char *round_trip(const char *text, char *buf)
{
    struct nf_addr a;
    if (nf_addr_parse(text, strlen(text), &a) != 0)
        return "(bad)";
    nf_addr_format(&a, buf);
    return buf;
}

static const char *cidr_text(const char *addr, unsigned prefix, char *buf)
{
    struct nf_addr a;
    struct nf_cidr c;
    nf_addr_parse(addr, strlen(addr), &a);
    nf_cidr_of(&a, prefix, &c);
    nf_cidr_format(&c, buf);
    return buf;
}

int main(void)
{
    char buf[NF_CIDR_STRLEN];
    struct nf_cidr c;
    v4_text_matches_inet_ntop();
    struct nf_addr a;
    struct nf_cidr_list list = {0};
    const char *bad;
    size_t badlen;
    TAP_STR(round_trip("10.8.0.69", buf), "10.8.0.69", "IPv4 dotted quad");
    TAP_STR(round_trip("2001:0DB8:0000:0000:0000:0000:0000:0001", buf), "2001:db8::1",
            "IPv6 is written in RFC 5952 form (lower case, zeros compressed)");
    TAP_STR(round_trip("::192.0.2.13", buf), "::192.0.2.13", "IPv4-compatible IPv6 keeps its form");
    TAP_STR(round_trip(" 147.32.84.165 ", buf), "147.32.84.165", "padding spaces are ignored");
    TAP_STR(round_trip("300.1.1.1", buf), "(bad)", "an octet above 255 is rejected");
    TAP_STR(round_trip("", buf), "(bad)", "empty text is rejected");
    TAP_STR(cidr_text("147.32.84.165", 24, buf), "147.32.84.0/24", "IPv4 /24 of a host");
    TAP_STR(cidr_text("147.32.84.165", 21, buf), "147.32.80.0/21", "IPv4 prefix not on a byte boundary");
    TAP_STR(cidr_text("2001:db8:1:2:3::4", 64, buf), "2001:db8:1:2::/64", "IPv6 /64 of a host");
    TAP_STR(cidr_text("10.1.2.3", 0, buf), "0.0.0.0/0", "prefix 0 is the whole space");
    TAP_OK(nf_cidr_parse("10.0.0.0/8", 10, &c) == 0, "CIDR text parses");
    nf_addr_parse("10.255.1.1", 10, &a);
    TAP_OK(nf_cidr_contains(&c, &a), "10.0.0.0/8 contains 10.255.1.1");
    nf_addr_parse("11.0.0.1", 8, &a);
    TAP_OK(!nf_cidr_contains(&c, &a), "10.0.0.0/8 does not contain 11.0.0.1");
    nf_addr_parse("::a00:1", 7, &a);
    TAP_OK(!nf_cidr_contains(&c, &a), "an IPv4 prefix never contains an IPv6 address");
    TAP_OK(nf_cidr_parse("10.0.0.0/33", 11, &c) != 0, "IPv4 prefix length 33 is rejected");
    TAP_OK(nf_cidr_list_add(&list, "10.0.0.0/8, 192.168.0.0/16,2001:db8::/32", &bad, &badlen) == 0 &&
               list.n == 3, "a comma list of prefixes parses");
    TAP_OK(nf_cidr_list_add(&list, "10.0.0.0/8,nonsense", &bad, &badlen) != 0 && badlen == 8 &&
               strncmp(bad, "nonsense", 8) == 0, "a bad list item is named");
    nf_cidr_list_free(&list);
    return tap_done();
}
