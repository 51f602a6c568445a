/* test_stats.c - effect sizes and baseline ranks against hand computation. */
#include <math.h>

#include "../../lib/tests/tap.h"
#include "knowledge.h"
#include "stats.h"

int main(void)
{
    double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10}, m1, s1, m2, s2;
    TAP_OK(nfx_mean_sd(a, 5, 1, &m1, &s1) == 5, "five finite values counted");
    TAP_NEAR(m1, 3, 1e-12, "mean 3");
    TAP_NEAR(s1, sqrt(2.5), 1e-12, "sample SD sqrt(2.5)");
    nfx_mean_sd(b, 5, 1, &m2, &s2);
    double pooled = nfx_pooled_sd(s1, 5, s2, 5);
    TAP_NEAR(pooled, sqrt(2.5), 1e-12, "pooled SD of equal spreads is that spread");
    TAP_NEAR(nfx_effect_size(m1, m2, pooled), 5 / sqrt(2.5), 1e-12, "Cohen's d = 5 / sqrt(2.5)");
    TAP_OK(isinf(nfx_effect_size(1, 2, 0)) && nfx_effect_size(1, 2, 0) > 0, "a clean step (SD 0) is +infinity");
    TAP_OK(nfx_effect_size(1, 1, 0) == 0, "no change with SD 0 is 0");
    double withnan[] = {1, NAN, 3};
    TAP_OK(nfx_mean_sd(withnan, 3, 1, &m1, &s1) == 2 && m1 == 2, "NaN values are left out");
    TAP_NEAR(nfx_pooled_sd(1, 10, 3, 30), sqrt((9 * 1 + 29 * 9) / 38.0), 1e-12, "pooled SD weights by n - 1");

    double base[] = {5, 1, 3, 3, 2, 4};
    struct nfx_dist d;
    nfx_dist_init(&d, base, 6, 1, NULL);
    TAP_NEAR(d.median, 3, 1e-12, "median of 1,2,3,3,4,5");
    size_t below, equal;
    nfx_dist_rank(&d, 3, &below, &equal);
    TAP_OK(below == 2 && equal == 2, "3 has two values below and two equal");
    TAP_NEAR(nfx_dist_percentile(&d, 3), 50, 1e-12, "mid-rank percentile of the median is 50");
    TAP_NEAR(nfx_dist_percentile(&d, 6), 100, 1e-12, "above everything is 100");
    TAP_NEAR(nfx_dist_z(&d, 3), 0, 1e-12, "z of the mean is 0");
    nfx_dist_free(&d);
    unsigned char use[] = {1, 1, 0, 0, 0, 0};
    nfx_dist_init(&d, base, 6, 1, use);
    TAP_OK(d.n == 2 && d.v[0] == 1 && d.v[1] == 5, "the use mask keeps only baseline rows");
    TAP_OK(isnan(nfx_dist_z(&d, 5)) == 0, "z with two values is defined");
    nfx_dist_free(&d);

    struct nfx_service s;
    TAP_OK(nfx_service_lookup(17, 443, &s) && s.name && strcmp(s.name, "QUIC") == 0, "UDP/443 is QUIC");
    TAP_OK(nfx_service_lookup(6, 443, &s) && strcmp(s.name, "HTTPS") == 0, "TCP/443 is HTTPS");
    TAP_OK(nfx_service_lookup(17, 53, &s) && strcmp(s.name, "DNS") == 0, "UDP/53 is DNS");
    TAP_OK(nfx_service_lookup(6, 53, &s) && strcmp(s.name, "DNS") == 0, "TCP/53 is DNS too");
    TAP_OK(nfx_service_lookup(17, 123, &s) && strcmp(s.name, "NTP") == 0, "UDP/123 is NTP");
    TAP_OK(nfx_service_lookup(6, 22, &s) && strcmp(s.name, "SSH") == 0, "TCP/22 is SSH");
    TAP_OK(!nfx_service_lookup(1, 443, &s), "ICMP has no ports");
    TAP_OK(nfx_port_linux_ephemeral(40271) && !nfx_port_linux_ephemeral(61000), "Linux ephemeral range 32768-60999");
    TAP_STR(nfx_port_range(50000), "dynamic/private (49152-65535)", "IANA dynamic range");
    char flags[64];
    nfx_tcp_flags(0x12, flags, sizeof flags);
    TAP_STR(flags, "SYN ACK", "TCP flags by name");
    return tap_done();
}
