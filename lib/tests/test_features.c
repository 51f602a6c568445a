/*
 * The feature tables of lib/features.def and lib/context.def: sizes,
 * unique names, the eight categories in the published list's order, the
 * count flags docs/features.md prints as integers, and the lookups.
 */
#include "../feature.h"
#include "../flow.h"
#include "tap.h"

/* The eight categories of the interval features, as nf-explain names them in reports. */
static const char *const interval_categories[] = {
    "volume", "protocol mix", "subnets", "TCP", "UDP", "other protocols", "per-record size", "direction symmetry",
};

static int is_count_unit(enum nf_unit u)
{
    return u == NF_UNIT_RECORDS || u == NF_UNIT_FLOWS || u == NF_UNIT_PACKETS || u == NF_UNIT_BYTES ||
           u == NF_UNIT_COUNT;
}

static void sizes(void)
{
    int i, named = 0;
    for (i = 0; i < NF_NFEATURES; i++)
        named += nf_features[i].name && nf_features[i].name[0] && nf_features[i].label && nf_features[i].label[0];
    TAP_OK(NF_NFEATURES == 116 && named == 116, "116 interval features, each with a name and a label (%d)", named);
    for (i = 0, named = 0; i < NF_NCONTEXT; i++)
        named += nf_context[i].name && nf_context[i].name[0] && nf_context[i].label && nf_context[i].label[0];
    TAP_OK(NF_NCONTEXT == 11 && named == 11, "11 context features, each with a name and a label (%d)", named);
}

/* Every name once among interval features, context features and the flow record keys they join. */
static void unique_names(void)
{
    const char *all[NF_NFEATURES + NF_NCONTEXT + NF_NMEDIANS + 64];
    size_t n = 0, i, j, dup = 0, labels = 0;
    for (i = 0; i < NF_NFEATURES; i++)
        all[n++] = nf_features[i].name;
    for (i = 0; i < NF_NCONTEXT; i++)
        all[n++] = nf_context[i].name;
    for (i = 0; i < NF_NMEDIANS; i++)
        all[n++] = nf_medians[i].name;
    for (i = 0; i < nf_flow_nkeys && n < sizeof all / sizeof all[0] - 2; i++)
        all[n++] = nf_flow_keys[i];
    all[n++] = "WINDOW_START";
    all[n++] = "WINDOW_END";
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (strcmp(all[i], all[j]) == 0) {
                printf("# name twice: %s\n", all[i]);
                dup++;
            }
    TAP_OK(dup == 0, "names unique over features, context features, flow keys and window keys (%zu names)", n);
    for (i = 0; i < NF_NFEATURES; i++)
        for (j = i + 1; j < NF_NFEATURES; j++)
            if (strcmp(nf_features[i].label, nf_features[j].label) == 0) {
                printf("# label twice: %s\n", nf_features[i].label);
                labels++;
            }
    TAP_OK(labels == 0, "no two interval features share a label");
}

static void categories(void)
{
    int i, bad = 0, order = 0, seen[NF_NCAT_INTERVAL] = {0};
    for (i = 0; i < NF_NCAT_INTERVAL; i++)
        TAP_STR(nf_category_name((enum nf_category)i), interval_categories[i], "category %d is '%s'", i,
                interval_categories[i]);
    TAP_OK(NF_NCAT_INTERVAL == 8, "eight interval categories");
    for (i = 0; i < NF_NFEATURES; i++) {
        enum nf_category c = nf_features[i].cat;
        if (c >= NF_NCAT_INTERVAL) {
            printf("# %s: category %d is not one of the eight\n", nf_features[i].name, (int)c);
            bad++;
            continue;
        }
        seen[c]++;
        /* The published list runs through the categories in order, one block each. */
        if (i > 0 && c < nf_features[i - 1].cat) {
            printf("# %s: category %s after %s\n", nf_features[i].name, nf_category_name(c),
                   nf_category_name(nf_features[i - 1].cat));
            order++;
        }
    }
    TAP_OK(bad == 0, "every interval feature is in one of the eight categories");
    TAP_OK(order == 0, "the categories follow one another in the list's order, one block each");
    for (i = 0, bad = 0; i < NF_NCAT_INTERVAL; i++)
        bad += seen[i] == 0;
    TAP_OK(bad == 0, "each of the eight categories has features");
    TAP_OK(seen[NF_CAT_VOLUME] == 12 && seen[NF_CAT_PROTOCOL_MIX] == 6 && seen[NF_CAT_SUBNETS] == 2 &&
               seen[NF_CAT_TCP] == 16 && seen[NF_CAT_UDP] == 16 && seen[NF_CAT_OTHER] == 16 &&
               seen[NF_CAT_PER_RECORD] == 44 && seen[NF_CAT_SYMMETRY] == 4,
           "categories hold IDs 1-12, 13-18, 19-20, 21-36, 37-52, 53-68, 69-112, 113-116");
    for (i = 0, bad = 0; i < NF_NCONTEXT; i++)
        bad += nf_context[i].cat != NF_CAT_FLOW && nf_context[i].cat != NF_CAT_CONTEXT;
    TAP_OK(bad == 0, "context features are in the flow or the context category");
    TAP_STR(nf_category_name(NF_CAT_UNKNOWN), "other columns", "unknown columns' category");
    TAP_STR(nf_category_name((enum nf_category)(NF_NCAT + 3)), "other columns", "out of range is unknown");
}

/* docs/features.md: "the 41 count features are printed as integers". */
static void counts_and_units(void)
{
    int i, counts = 0, bad = 0;
    for (i = 0; i < NF_NFEATURES; i++) {
        const struct nf_feature *f = &nf_features[i];
        int share = strstr(f->name, "share") != NULL, sym = strncmp(f->name, "sym_coeff", 9) == 0;
        counts += f->is_count;
        if ((f->is_count && (!is_count_unit(f->unit) || f->cat >= NF_CAT_PER_RECORD)) ||
            share != (f->unit == NF_UNIT_SHARE) || sym != (f->unit == NF_UNIT_COEFF)) {
            printf("# %s: is_count %d, unit %d, category %s\n", f->name, f->is_count, (int)f->unit,
                   nf_category_name(f->cat));
            bad++;
        }
    }
    TAP_OK(counts == 41, "41 interval features are counts (%d)", counts);
    TAP_OK(bad == 0, "counts have a count unit and no mean category; *share* is a share, sym_coeff* a coefficient");
    for (i = 0, counts = 0; i < NF_NCONTEXT; i++)
        counts += nf_context[i].is_count;
    TAP_OK(counts == 5, "5 context features are counts (%d)", counts);
}

static void lookups(void)
{
    TAP_OK(nf_feature_find("n") == &nf_features[NF_F_n], "n is feature 1");
    TAP_OK(nf_feature_find("sym_coeff_packets") == &nf_features[115], "sym_coeff_packets is feature 116");
    TAP_OK(nf_feature_find("TCP_bytes_share_out") == &nf_features[NF_F_TCP_bytes_share_out] &&
               NF_F_TCP_bytes_share_out == 33,
           "TCP_bytes_share_out is feature 34");
    TAP_OK(nf_feature_find("src_flag_SYN") == NULL && nf_feature_find("N") == NULL &&
               nf_feature_find("") == NULL,
           "a context name, another case, an empty name: no interval feature");
    TAP_OK(nf_context_find("src_flag_SYN") == &nf_context[NF_C_src_flag_SYN] && nf_context_find("n") == NULL,
           "context lookup");
    TAP_OK(nf_median_find("ext_packet_size_median") == &nf_medians[NF_M_ext_packet_size_median] &&
               nf_medians[NF_M_ext_packet_size_median].cat == NF_CAT_MEDIANS &&
               !nf_medians[NF_M_ext_packet_size_median].is_count && nf_median_find("n") == NULL &&
               nf_feature_find("int_bytes_median") == NULL,
           "flow medians: their own table and category, not counts, not interval features");
    TAP_STR(nf_category_name(NF_CAT_MEDIANS), "flow medians", "the medians' category name");
    TAP_STR(NF_FEATURE_NAME(dom_prot_share_total), "dom_prot_share_total", "NF_FEATURE_NAME");
    TAP_STR(NF_CONTEXT_NAME(dst_distinct_src), "dst_distinct_src", "NF_CONTEXT_NAME");
    TAP_STR(nf_features[NF_F_Other_bytes_share_in].label, "other-protocol share of ingress bytes",
            "a label as nf-explain writes it");
}

int main(void)
{
    sizes();
    unique_names();
    categories();
    counts_and_units();
    lookups();
    return tap_done();
}
