/*
 * featinfo.h - labels, categories and units of the columns nf-explain
 * talks about: the 116 interval features and the per-flow context
 * features (both from lib/feature.h), the flow record's counters, and
 * what each sum feature counts for attribution.
 */
#ifndef NFX_FEATINFO_H
#define NFX_FEATINFO_H
#include <stddef.h>

#include "feature.h"

/* The entry for a column name, or NULL when nf-explain has none. */
const struct nf_feature *nfx_feat_find(const char *name);
/* Like nfx_feat_find, but an unknown name gets itself as label (NF_CAT_UNKNOWN, NF_UNIT_NUMBER). */
struct nf_feature nfx_feat_of(const char *name);

/*
 * What a feature counts in nf-window's records, for attribution (attrib.h):
 * the sum of measure over the records of direction and protocol class, or,
 * for a share, that sum over the same sum of every protocol class.
 */
enum nfx_qdir { NFX_Q_ALL, NFX_Q_IN, NFX_Q_OUT };      /* R, I (DST_NET inside), E (SRC_NET inside) */
enum nfx_qproto { NFX_Q_ANY, NFX_Q_TCP, NFX_Q_UDP, NFX_Q_OTHER };
enum nfx_qmeasure { NFX_Q_RECORDS, NFX_Q_FLOWS, NFX_Q_PACKETS, NFX_Q_BYTES };

struct nfx_quantity {
    enum nf_feature_id feature; /* nf_features[feature]: a share when its unit is NF_UNIT_SHARE */
    enum nfx_qdir dir;
    enum nfx_qproto proto;
    enum nfx_qmeasure measure;
};

/* The quantity a feature counts, or NULL when it is no sum over records (means, SDs, counts of subnets). */
const struct nfx_quantity *nfx_quantity_of(const char *feature);
/* The feature's name. */
const char *nfx_quantity_name(const struct nfx_quantity *q);
/* 1: a share, the numerator over the same direction and measure of every protocol. */
int nfx_quantity_share(const struct nfx_quantity *q);
/* "bytes of UDP records whose destination is internal" */
const char *nfx_quantity_counts(const struct nfx_quantity *q, char *buf, size_t size);

#endif
