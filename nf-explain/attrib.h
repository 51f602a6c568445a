/*
 * attrib.h - who carried a shift: the change of a feature split over the
 * keys of nf-window's records (internal subnet, external subnet, subnet
 * pair, protocol), read once from --records for every change point.
 */
#ifndef NFX_ATTRIB_H
#define NFX_ATTRIB_H
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "tindex.h"
#include "err.h"
#include "featinfo.h"

#define NFX_ATTRIB_MAXQ 3       /* quantities attributed per report */
#define NFX_ATTRIB_SHOWN 5      /* keys shown per dimension */
#define NFX_ATTRIB_SPAN 288     /* default windows per side (a day of 5-minute windows) */

/* The first four from --records, the last four from --flows. */
enum nfx_dim { NFX_DIM_INTERNAL, NFX_DIM_EXTERNAL, NFX_DIM_PAIR, NFX_DIM_PROTOCOL,
               NFX_DIM_INT_HOST, NFX_DIM_EXT_HOST, NFX_DIM_PORT, NFX_DIM_PORT_PROTO, NFX_NDIM };
#define NFX_NDIM_RECORDS 4

/* The *_DEN states: a key of a share's denominator only (none of its records in the numerator). */
enum nfx_kstatus { NFX_KS_NEW, NFX_KS_VANISHED, NFX_KS_GREW, NFX_KS_SHRANK, NFX_KS_UNCHANGED,
                   NFX_KS_DEN_NEW, NFX_KS_DEN_VANISHED, NFX_KS_DEN_GREW, NFX_KS_DEN_SHRANK, NFX_KS_DEN_UNCHANGED };

struct nfx_akey {
    char *key;                 /* "10.0.5.0/24", "10.0.5.0/24 → 8.8.8.0/24", "17" */
    double num_b, num_a;       /* numerator sums over the windows of each side */
    double den_b, den_a;       /* share quantities: denominator sums */
    double before, after;      /* numerator means per window */
    double contribution;       /* this key's part of the quantity's change */
    double share;              /* contribution / change */
    double prior;              /* its proportional share: the part of the change it would carry had every key
                                  moved like the whole (for a sum, its share of the quantity before) */
    double excess;             /* the part of the change due to it moving beyond the others, (share - prior) / (1 - prior) */
    enum nfx_kstatus status;
};

struct nfx_adim {
    struct nfx_akey *keys;     /* ranked by share, highest first */
    size_t nkeys;
    size_t moved_with;         /* keys that moved the way the quantity did */
    size_t carry;              /* the fewest top keys carrying 80 % of the change */
    double carry_share;        /* their share */
    size_t actor;              /* the key with the highest excess (an index into keys) */
    int broad;                 /* no key's excess reaches 25 % of the change: it moved like the traffic */
    int dominant;              /* the actor's excess carries 50 % of the change or more */
};

struct nfx_aq {
    const struct nfx_quantity *q;
    size_t col;                /* the feature's column */
    double before, after, change; /* the quantity from the records (pooled for a share) */
    double feature_before, feature_after; /* the feature's means over the same windows */
    struct nfx_adim dims[NFX_NDIM];
};

struct nfx_attrib {
    int64_t b0, t, a1;         /* before [b0, t), after [t, a1] (window starts) */
    int64_t a1_end;            /* a1 + the window length: flows start before it */
    size_t nb, na;             /* windows per side */
    struct nfx_aq qs[NFX_ATTRIB_MAXQ];
    size_t nq;
    uint64_t records;          /* records read inside the compared windows */
    uint64_t flows;            /* flow records read inside them (--flows) */
    int have_flows;            /* --flows given: the host and port dimensions too */
    int interval;              /* a flagged interval [t, a1] against the span before it, not a change point */
    void *table;               /* keys while reading */
};

struct nfx_attrib_opts {
    const char *records_path;
    const char *flows_path;    /* --flows FILE or NULL */
    const struct nf_cidr_list *internal;
    struct nf_rejects *rejects;
    int strict;
    int uniflow;               /* the records are nf-window --uniflow's: split the flows alike */
    struct nfx_span records_span, flows_span; /* --follow: the parts that hold the windows asked for (end 0: all) */
};

/*
 * The moved quantity per window with its top keys' parts, for --plot: the
 * headline quantity of an attribution, the record dimension whose top key
 * carries most, at most NFX_SERIES_KEYS keys. A key's part of a window is
 * its numerator there (over the window's denominator for a share); the
 * parts and "other" (the rest) are never negative and add up to the
 * quantity, so they stack.
 */
#define NFX_SERIES_KEYS 4
struct nfx_aseries {
    size_t q;                  /* the quantity in a->qs */
    enum nfx_dim dim;
    size_t nkeys;
    const char *keys[NFX_SERIES_KEYS]; /* a->qs[q].dims[dim].keys[i].key */
    size_t nwin;               /* windows from a->b0 to a->a1, one step apart */
    int64_t step;
    double *total;             /* the quantity per window */
    double *part[NFX_SERIES_KEYS];
    double *num, *den;         /* per window: the numerator and denominator sums */
};

/*
 * Reads the records a second time for the series of as[0..n) (s[i] for
 * as[i]; s[i].nwin = 0 when as[i] has nothing to draw). 0, or -1 when
 * the file cannot be read again (a pipe).
 */
int nfx_attrib_series(const struct nfx_attrib_opts *o, const struct nfx_attrib *as, size_t n, struct nfx_aseries *s);
void nfx_aseries_free(struct nfx_aseries *s);

/* Reads the records once and fills every request's keys (as[0..n) with their windows and quantities set). */
void nfx_attrib_run(const struct nfx_attrib_opts *o, struct nfx_attrib *as, size_t n);
void nfx_attrib_free(struct nfx_attrib *a);
/* How many dimensions quantity q of a has: the flow ones with --flows, not for record counts. */
unsigned nfx_attrib_ndim(const struct nfx_attrib *a, size_t q);
/* The quantity the headline names: the first, or with --flows the first with host and port dimensions. */
size_t nfx_attrib_headline_q(const struct nfx_attrib *a);
const char *nfx_dim_name(enum nfx_dim d, int plural);
const char *nfx_kstatus_name(enum nfx_kstatus s);
/* "UDP (17)" for a protocol key, the key itself otherwise. */
const char *nfx_akey_label(enum nfx_dim d, const char *key, char *buf, size_t size);

#endif
