/*
 * featinfo.h - labels, categories and units of the columns nf-explain
 * talks about (the 116 interval features, flow keys, per-flow context).
 */
#ifndef NFX_FEATINFO_H
#define NFX_FEATINFO_H
#include <stddef.h>

/* The eight categories of the feature list, then the per-flow groups. */
enum nfx_category {
    NFX_CAT_VOLUME,
    NFX_CAT_PROTOCOL_MIX,
    NFX_CAT_SUBNETS,
    NFX_CAT_TCP,
    NFX_CAT_UDP,
    NFX_CAT_OTHER,
    NFX_CAT_PER_RECORD,
    NFX_CAT_SYMMETRY,
    NFX_CAT_FLOW,
    NFX_CAT_CONTEXT,
    NFX_CAT_UNKNOWN,
    NFX_NCAT
};

/* How a value is written for people (fmt.h). */
enum nfx_unit {
    NFX_UNIT_NUMBER,  /* plain number */
    NFX_UNIT_COUNT,   /* whole count without a unit word */
    NFX_UNIT_RECORDS,
    NFX_UNIT_FLOWS,
    NFX_UNIT_PACKETS,
    NFX_UNIT_BYTES,   /* B, KB, MB, GB (powers of 1000) */
    NFX_UNIT_SHARE,   /* a fraction 0..1 written as a percentage */
    NFX_UNIT_COEFF,   /* a coefficient in -1..1 */
    NFX_UNIT_MS,      /* milliseconds, written as ms / s / min / h */
    NFX_UNIT_BITS,    /* entropy in bits */
    NFX_UNIT_HOSTS,   /* distinct addresses */
};

struct nfx_feat {
    const char *name;
    const char *label;
    enum nfx_category cat;
    enum nfx_unit unit;
};

/* The entry for a column name, or NULL when nf-explain has none. */
const struct nfx_feat *nfx_feat_find(const char *name);
/* Like nfx_feat_find, but an unknown name gets itself as label. */
struct nfx_feat nfx_feat_of(const char *name);
/* The i-th of the 116 interval features in the order of the feature list. */
const struct nfx_feat *nfx_interval_feature(size_t i);
size_t nfx_interval_feature_count(void);
const char *nfx_category_name(enum nfx_category c);

/*
 * What a feature counts in nf-window's records, for attribution (attrib.h):
 * the sum of measure over the records of direction and protocol class, or,
 * for a share, that sum over the same sum of every protocol class.
 */
enum nfx_qdir { NFX_Q_ALL, NFX_Q_IN, NFX_Q_OUT };      /* R, I (DST_NET inside), E (SRC_NET inside) */
enum nfx_qproto { NFX_Q_ANY, NFX_Q_TCP, NFX_Q_UDP, NFX_Q_OTHER };
enum nfx_qmeasure { NFX_Q_RECORDS, NFX_Q_FLOWS, NFX_Q_PACKETS, NFX_Q_BYTES };

struct nfx_quantity {
    const char *feature;
    enum nfx_qdir dir;
    enum nfx_qproto proto;
    enum nfx_qmeasure measure;
    int share; /* 1: numerator over the same direction and measure, every protocol */
};

/* The quantity a feature counts, or NULL when it is no sum over records (means, SDs, counts of subnets). */
const struct nfx_quantity *nfx_quantity_of(const char *feature);
/* "bytes of UDP records whose destination is internal" */
const char *nfx_quantity_counts(const struct nfx_quantity *q, char *buf, size_t size);

#endif
