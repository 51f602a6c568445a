/*
 * interval.h - the 116 interval features of docs/features.md (named in
 * lib/features.def), computed from the nf-window aggregate records of one
 * window at a time.
 *
 * The caller feeds records with interval_add() in window order and calls
 * interval_flush() when a window ends; memory holds one window's records.
 */
#ifndef NF_INTERVAL_H
#define NF_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "feature.h"
#include "jsonw.h"
#include "scope.h"
#include "strtab.h"

/* One aggregate record as the window buffer keeps it. */
struct agg {
    double flows, packets, bytes;
    uint8_t proto;
    uint8_t dir; /* AGG_IN | AGG_OUT; 0 = touches no internal subnet */
};
#define AGG_IN 1
#define AGG_OUT 2

struct interval {
    const struct nf_cidr_list *internal;
    struct agg *recs;
    size_t n, cap;
    struct strtab subnets;     /* SRC_NET/DST_NET text of this window */
    signed char *sub_inside;   /* per subnet: 1 inside, 0 outside */
    unsigned char *sub_role;   /* per subnet: 1 sends to inside, 2 receives from inside */
    size_t sub_cap;
    struct scope *scope;       /* checks of --internal, or NULL */
};

void interval_init(struct interval *iv, const struct nf_cidr_list *internal);
void interval_free(struct interval *iv);

/*
 * Adds one record of the current window. Returns 0, or -1 when a subnet
 * is not CIDR text (*why says which).
 */
int interval_add(struct interval *iv, const char *src, size_t srclen, const char *dst,
                 size_t dstlen, unsigned proto, double flows, double packets, double bytes,
                 const char **why);

/*
 * Computes the features of the records added since the last flush into
 * out (out[NF_F_n], ...) and empties the window.
 */
void interval_compute(struct interval *iv, double out[NF_NFEATURES]);

/* Writes the members of one feature vector record (the caller begins and ends it). */
void interval_write_members(struct nf_jw *w, int64_t start, int64_t end, const double feat[NF_NFEATURES]);
/* One value as nf-features writes numbers: whole values as integers. */
void interval_write_value(struct nf_jw *w, const char *name, double v, int is_count);

#endif
