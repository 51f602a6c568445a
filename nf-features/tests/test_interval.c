/*
 * interval_compute fills every slot of lib/features.def: values go to
 * their NF_F_<name> index, so a row added to the table without its
 * formula would leave a slot as it was. Also a few slots by name, to show
 * the index and the formula agree.
 */
#include "interval.h"
#include "../../lib/tests/tap.h"

#define UNSET -12345.25 /* no feature of these records can have this value */

static void add(struct interval *iv, const char *src, const char *dst, unsigned proto, double flows,
                double packets, double bytes)
{
    const char *why = NULL;
    int rc = interval_add(iv, src, strlen(src), dst, strlen(dst), proto, flows, packets, bytes, &why);
    TAP_OK(rc == 0, "record %s -> %s proto %u added%s%s", src, dst, proto, why ? ": " : "", why ? why : "");
}

/* Sets every slot to UNSET, computes, and returns how many stayed UNSET (naming them). */
static int compute_unset(struct interval *iv, double out[NF_NFEATURES])
{
    int i, unset = 0;
    for (i = 0; i < NF_NFEATURES; i++)
        out[i] = UNSET;
    interval_compute(iv, out);
    for (i = 0; i < NF_NFEATURES; i++)
        if (out[i] == UNSET) {
            printf("# %s not computed\n", nf_features[i].name);
            unset++;
        }
    return unset;
}

int main(void)
{
    struct nf_cidr_list internal = {NULL, 0};
    struct interval iv;
    double out[NF_NFEATURES];
    const char *bad;
    size_t badlen;

    TAP_OK(nf_cidr_list_add(&internal, "10.0.0.0/8", &bad, &badlen) == 0, "--internal 10.0.0.0/8");
    interval_init(&iv, &internal);

    /* Every protocol class in both directions, two records each where an SD needs them. */
    add(&iv, "10.0.0.0/24", "8.8.8.0/24", 6, 2, 20, 2000);
    add(&iv, "10.0.1.0/24", "8.8.4.0/24", 6, 1, 3, 120);
    add(&iv, "8.8.8.0/24", "10.0.0.0/24", 6, 3, 30, 4500);
    add(&iv, "10.0.0.0/24", "1.1.1.0/24", 17, 4, 8, 640);
    add(&iv, "1.1.1.0/24", "10.0.1.0/24", 17, 1, 1, 90);
    add(&iv, "10.0.0.0/24", "9.9.9.0/24", 1, 1, 2, 168);
    add(&iv, "9.9.9.0/24", "10.0.0.0/24", 47, 1, 5, 700);
    add(&iv, "10.0.0.0/24", "10.0.1.0/24", 50, 2, 4, 400);
    TAP_OK(compute_unset(&iv, out) == 0, "every one of the %d slots is computed", NF_NFEATURES);
    TAP_OK(out[NF_F_n] == 8 && out[NF_F_flows] == 15 && out[NF_F_packets] == 73 && out[NF_F_bytes] == 8618,
           "n, flows, packets, bytes by name");
    TAP_OK(out[NF_F_TCP_n_out] == 2 && out[NF_F_TCP_bytes_in] == 4500 && out[NF_F_UDP_flows_out] == 4,
           "TCP_n_out, TCP_bytes_in, UDP_flows_out by name");
    /* Ingress: TCP 3 flows, UDP 1, GRE 1, ESP 2 (inside->inside); 7 flows in all. */
    TAP_NEAR(out[NF_F_Other_flows_share_in], 3.0 / 7, 1e-15, "Other_flows_share_in = 3/7");
    /* Egress Other: ICMP 168 bytes and ESP 400 over two protocol numbers. */
    TAP_NEAR(out[NF_F_Other_mean_bytes_out], (168.0 + 400) / 2, 1e-12, "Other_mean_bytes_out per protocol");
    TAP_NEAR(out[NF_F_sym_coeff_flows], (7.0 - 10) / (7 + 10), 1e-15, "sym_coeff_flows");

    /* An empty window: still every slot, all 0. */
    {
        int i, nonzero = 0;
        TAP_OK(compute_unset(&iv, out) == 0, "an empty window computes every slot too");
        for (i = 0; i < NF_NFEATURES; i++)
            nonzero += out[i] != 0;
        TAP_OK(nonzero == 0, "and all of them are 0");
    }
    interval_free(&iv);
    nf_cidr_list_free(&internal);
    return tap_done();
}
