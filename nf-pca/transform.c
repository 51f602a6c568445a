/*
 * transform.c - the columns of nf-pca --transform log1p (transform.h).
 *
 * Why counts only: a shift that adds or removes a share of the traffic
 * (a new service, a silent subnet) moves a count in proportion to the
 * traffic, ten times more by day than by night, so in the additive PCA
 * and STL residual its step is cut at every day/night ramp; on the log
 * scale it is one constant step (docs/method.md). Shares and coefficients
 * are bounded already and are not counts.
 *
 * The names are those with the is-count flag of nf-features' table
 * (nf-features/interval.c, feature_is_count), until that table is in lib/.
 */
#include "transform.h"

#include <string.h>

static const char *const count_features[] = {
    "n", "flows", "bytes", "packets",
    "in_n", "in_flows", "in_packets", "in_bytes",
    "out_n", "out_flows", "out_packets", "out_bytes",
    "n_protocols", "n_protocols_ingress", "n_protocols_egress",
    "n_receiving_subnets", "n_sending_subnets",
    "TCP_n_in", "TCP_bytes_in", "TCP_packets_in", "TCP_flows_in",
    "TCP_n_out", "TCP_bytes_out", "TCP_packets_out", "TCP_flows_out",
    "UDP_n_in", "UDP_bytes_in", "UDP_packets_in", "UDP_flows_in",
    "UDP_n_out", "UDP_bytes_out", "UDP_packets_out", "UDP_flows_out",
    "Other_n_in", "Other_bytes_in", "Other_packets_in", "Other_flows_in",
    "Other_n_out", "Other_bytes_out", "Other_packets_out", "Other_flows_out",
};

int transform_is_count(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof count_features / sizeof count_features[0]; i++)
        if (strcmp(count_features[i], name) == 0)
            return 1;
    return 0;
}

size_t transform_choose_log1p(char *const *names, size_t p, unsigned char *log1p)
{
    size_t j, n = 0;
    for (j = 0; j < p; j++) {
        log1p[j] = (unsigned char)transform_is_count(names[j]);
        n += log1p[j];
    }
    return n;
}
