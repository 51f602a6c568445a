/*
 * feature.h - the feature vocabulary that nf-features (which computes
 * the features) and nf-explain (which explains them) share: the 116
 * interval features (features.def) and the per-flow context features
 * (context.def) and the five flow medians of --flow-medians (medians.def),
 * each with its name, whether it is a count, its category, its unit and
 * its label. The .def files are the one list;
 * this header expands them into indexes and tables. (Not features.h:
 * glibc has a header of that name, which -Ilib would hide.)
 */
#ifndef NF_FEATURE_H
#define NF_FEATURE_H

#include <stddef.h>

/* The eight categories of the interval features, the two of per-flow columns, the flow medians, then columns no table knows. */
enum nf_category {
    NF_CAT_VOLUME,
    NF_CAT_PROTOCOL_MIX,
    NF_CAT_SUBNETS,
    NF_CAT_TCP,
    NF_CAT_UDP,
    NF_CAT_OTHER,
    NF_CAT_PER_RECORD,
    NF_CAT_SYMMETRY,
    NF_CAT_FLOW,
    NF_CAT_CONTEXT,
    NF_CAT_MEDIANS,
    NF_CAT_UNKNOWN,
    NF_NCAT
};
#define NF_NCAT_INTERVAL (NF_CAT_SYMMETRY + 1)

/* What a value measures, which decides how nf-explain writes it (nf-explain/fmt.h). */
enum nf_unit {
    NF_UNIT_NUMBER,  /* plain number */
    NF_UNIT_COUNT,   /* whole count without a unit word */
    NF_UNIT_RECORDS,
    NF_UNIT_FLOWS,
    NF_UNIT_PACKETS,
    NF_UNIT_BYTES,   /* B, KB, MB, GB (powers of 1000) */
    NF_UNIT_SHARE,   /* a fraction 0..1 written as a percentage */
    NF_UNIT_COEFF,   /* a coefficient in -1..1 */
    NF_UNIT_MS,      /* milliseconds, written as ms / s / min / h */
    NF_UNIT_BITS,    /* entropy in bits */
    NF_UNIT_HOSTS,   /* distinct addresses */
};

struct nf_feature {
    const char *name;
    const char *label;
    enum nf_category cat;
    enum nf_unit unit;
    int is_count;
};

/* NF_F_n, NF_F_flows, ...: the index of each interval feature in output order. */
enum nf_feature_id {
#define NF_FEATURE(name, is_count, cat, unit, label) NF_F_##name,
#include "features.def"
#undef NF_FEATURE
    NF_NFEATURES
};

/* NF_C_avg_in_packet_size, ...: the index of each context feature in output order. */
enum nf_context_id {
#define NF_CONTEXT(name, is_count, cat, unit, label) NF_C_##name,
#include "context.def"
#undef NF_CONTEXT
    NF_NCONTEXT
};

/* NF_M_int_packets_median, ...: the index of each flow median in output order. */
enum nf_median_id {
#define NF_MEDIAN(name, is_count, cat, unit, label) NF_M_##name,
#include "medians.def"
#undef NF_MEDIAN
    NF_NMEDIANS
};

/* A row lost or added by accident stops the build; one added on purpose changes the number here too. */
_Static_assert(NF_NFEATURES == 116, "features.def: the published list has 116 interval features");
_Static_assert(NF_NCONTEXT == 11, "context.def: docs/features.md defines 11 per-flow context features");
_Static_assert(NF_NMEDIANS == 5, "medians.def: docs/features.md defines 5 flow medians");

extern const struct nf_feature nf_features[NF_NFEATURES];
extern const struct nf_feature nf_context[NF_NCONTEXT];
extern const struct nf_feature nf_medians[NF_NMEDIANS];

/* The key of a feature named in code: NF_FEATURE_NAME(sym_coeff_bytes); a name not in the table does not compile. */
#define NF_FEATURE_NAME(id) (nf_features[NF_F_##id].name)
#define NF_CONTEXT_NAME(id) (nf_context[NF_C_##id].name)

/* The interval feature of that name, or NULL. */
const struct nf_feature *nf_feature_find(const char *name);
/* The context feature of that name, or NULL. */
const struct nf_feature *nf_context_find(const char *name);
/* The flow median of that name, or NULL. */
const struct nf_feature *nf_median_find(const char *name);
/* "volume", "protocol mix", ...; "other columns" for NF_CAT_UNKNOWN and anything out of range. */
const char *nf_category_name(enum nf_category c);

#endif
