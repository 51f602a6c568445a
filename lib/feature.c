/* feature.c - the tables of feature.h, expanded from features.def, context.def and medians.def. */
#include "feature.h"

#include <string.h>

const struct nf_feature nf_features[NF_NFEATURES] = {
#define NF_FEATURE(name, is_count, cat, unit, label) {#name, label, NF_CAT_##cat, NF_UNIT_##unit, is_count},
#include "features.def"
#undef NF_FEATURE
};

const struct nf_feature nf_context[NF_NCONTEXT] = {
#define NF_CONTEXT(name, is_count, cat, unit, label) {#name, label, NF_CAT_##cat, NF_UNIT_##unit, is_count},
#include "context.def"
#undef NF_CONTEXT
};

const struct nf_feature nf_medians[NF_NMEDIANS] = {
#define NF_MEDIAN(name, is_count, cat, unit, label) {#name, label, NF_CAT_##cat, NF_UNIT_##unit, is_count},
#include "medians.def"
#undef NF_MEDIAN
};

static const char *const category_names[NF_NCAT] = {
    [NF_CAT_VOLUME] = "volume",
    [NF_CAT_PROTOCOL_MIX] = "protocol mix",
    [NF_CAT_SUBNETS] = "subnets",
    [NF_CAT_TCP] = "TCP",
    [NF_CAT_UDP] = "UDP",
    [NF_CAT_OTHER] = "other protocols",
    [NF_CAT_PER_RECORD] = "per-record size",
    [NF_CAT_SYMMETRY] = "direction symmetry",
    [NF_CAT_FLOW] = "flow record",
    [NF_CAT_CONTEXT] = "source and destination context",
    [NF_CAT_MEDIANS] = "flow medians",
    [NF_CAT_UNKNOWN] = "other columns",
};

static const struct nf_feature *find(const struct nf_feature *t, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

const struct nf_feature *nf_feature_find(const char *name)
{
    return find(nf_features, NF_NFEATURES, name);
}

const struct nf_feature *nf_context_find(const char *name)
{
    return find(nf_context, NF_NCONTEXT, name);
}

const struct nf_feature *nf_median_find(const char *name)
{
    return find(nf_medians, NF_NMEDIANS, name);
}

const char *nf_category_name(enum nf_category c)
{
    return (unsigned)c < NF_NCAT ? category_names[c] : "other columns";
}
