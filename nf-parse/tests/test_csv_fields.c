/* test_csv_fields.c - field conversions of the text readers: nfdump flag
 * strings, protocol names, decimal seconds, integers, hex ports, times. */
#include "../../lib/tests/tap.h"
#include "csv_fields.h"
#include "flow.h"

#include <string.h>

static int flags(const char *s) { return fld_tcp_flags(s, strlen(s)); }
static int proto(const char *s) { return fld_protocol(s, strlen(s)); }

static int secs(const char *s, uint64_t *ms) { return fld_seconds_ms(s, strlen(s), ms); }

int main(void)
{
    uint64_t v = 0;
    int64_t ms = 0;
    struct time_cache cache;

    /* flag strings: positions C E U A P R S F */
    TAP_OK(flags("...A.R..") == (NF_TCP_ACK | NF_TCP_RST), "...A.R.. is ACK|RST (20)");
    TAP_OK(flags("......S.") == NF_TCP_SYN, "......S. is SYN");
    TAP_OK(flags("........") == 0, "........ is no flag");
    TAP_OK(flags("CEUAPRSF") == 255, "CEUAPRSF is all eight");
    TAP_OK(flags("CE.AP.SF") == 219, "CE.AP.SF is CWR|ECE|ACK|PSH|SYN|FIN");
    TAP_OK(flags(".......F") == NF_TCP_FIN, "last position is FIN");
    TAP_OK(flags("C.......") == NF_TCP_CWR, "first position is CWR");
    TAP_OK(flags("..U.....") == NF_TCP_URG, "third position is URG");
    TAP_OK(flags("0x12") == 0x12, "hex form 0x12");
    TAP_OK(flags("...S....") == -1, "a letter in the wrong place is refused");
    TAP_OK(flags("...A.R.") == -1, "seven characters are refused");
    TAP_OK(flags("") == -1, "empty is refused");

    /* protocols */
    TAP_OK(proto("TCP") == 6, "TCP");
    TAP_OK(proto("UDP") == 17, "UDP");
    TAP_OK(proto("ICMP") == 1, "ICMP");
    TAP_OK(proto("ICMP6") == 58, "nfdump ICMP6");
    TAP_OK(proto("IPv6") == 41, "nfdump IPv6 (encapsulation)");
    TAP_OK(proto("VRRP") == 112, "VRRP");
    TAP_OK(proto("GRE") == 47, "GRE");
    TAP_OK(proto("ESP") == 50, "ESP");
    TAP_OK(proto("tcp") == 6 && proto("udp") == 17 && proto("icmp") == 1, "Argus lower case");
    TAP_OK(proto("igmp") == 2, "Argus igmp");
    TAP_OK(proto("ipv6-icmp") == 58, "Argus ipv6-icmp");
    TAP_OK(proto("47") == 47, "a number");
    TAP_OK(proto("0") == 0, "zero");
    TAP_OK(proto("256") == -1, "256 is refused");
    TAP_OK(proto("arp") == -1, "arp is not an IP protocol");
    TAP_OK(proto("frobnicate") == -1, "unknown name");
    TAP_OK(proto("") == -1, "empty");

    /* seconds to ms */
    TAP_OK(secs("11.264", &v) == 0 && v == 11264, "11.264 s is 11264 ms");
    TAP_OK(secs("0.027947", &v) == 0 && v == 27, "0.027947 s truncates to 27 ms");
    TAP_OK(secs("5", &v) == 0 && v == 5000, "5 s");
    TAP_OK(secs("3469.472168", &v) == 0 && v == 3469472, "3469.472168 s");
    TAP_OK(secs("0.000", &v) == 0 && v == 0, "0.000");
    TAP_OK(secs("18446744073709552.000", &v) == -2, "nfdump's underflowed td is too large (-2)");
    TAP_OK(secs("", &v) == -1, "empty");
    TAP_OK(secs(".", &v) == -1, "a lone dot");
    TAP_OK(secs("1.2.3", &v) == -1, "two dots");
    TAP_OK(secs("-1", &v) == -1, "negative");

    /* integers */
    TAP_OK(fld_u64("65535", 5, 65535, &v) == 0 && v == 65535, "65535 fits a port");
    TAP_OK(fld_u64("65536", 5, 65535, &v) == -1, "65536 does not");
    TAP_OK(fld_u64("18446744073709551615", 20, UINT64_MAX, &v) == 0 && v == UINT64_MAX, "u64 max");
    TAP_OK(fld_u64("18446744073709551616", 20, UINT64_MAX, &v) == -1, "u64 max + 1");
    TAP_OK(fld_u64("1x", 2, UINT64_MAX, &v) == -1, "trailing junk");
    TAP_OK(fld_u64("", 0, UINT64_MAX, &v) == -1, "empty");
    TAP_OK(fld_u64_hex("0x0303", 6, 65535, &v) == 0 && v == 0x0303, "hex port 0x0303");
    TAP_OK(fld_u64_hex("0x97af", 6, 65535, &v) == 0 && v == 0x97af, "hex port 0x97af");
    TAP_OK(fld_u64_hex("443", 3, 65535, &v) == 0 && v == 443, "decimal port");
    TAP_OK(fld_u64_hex("0xZZ", 4, 65535, &v) == -1, "bad hex");
    TAP_OK(fld_u64_hex("0x10000", 7, 65535, &v) == -1, "hex over the limit");

    /* times through the cache */
    memset(&cache, 0, sizeof cache);
    TAP_OK(fld_time(&cache, "2018-01-12 15:37:30", 19, NULL, &ms) == 0 && ms == 1515771450000LL,
           "nfdump time in UTC");
    TAP_OK(fld_time(&cache, "2018-01-12 15:37:30", 19, NULL, &ms) == 0 && ms == 1515771450000LL,
           "same text from the cache");
    TAP_OK(fld_time(&cache, "2019/04/04 16:23:00.325010", 26, NULL, &ms) == 0 &&
               ms == 1554394980325LL, "Argus time, fraction truncated to ms");
    TAP_OK(fld_time(&cache, "2019-13-04 16:23:00", 19, NULL, &ms) == -1, "month 13 refused");
    return tap_done();
}
