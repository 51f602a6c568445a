/*
 * explain.h - what the report modules share: the options, the loaded
 * inputs and the output (Markdown documents plus an index, or NDJSON).
 */
#ifndef NFX_EXPLAIN_H
#define NFX_EXPLAIN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "addr.h"
#include "err.h"
#include "jsonw.h"
#include "pcamodel.h"
#include "table.h"
#include "tindex.h"

enum nfx_format { NFX_MARKDOWN, NFX_JSON };
/* AUTO: each flagged row by the score that flagged it, over its limit. */
enum nfx_score { NFX_SCORE_AUTO, NFX_SCORE_SPE, NFX_SCORE_T2 };

struct nfx_ctx {
    const char *time_key;        /* WINDOW_START unless --time-key */
    size_t top_features;         /* --top-features N */
    size_t top_k;                /* --top N: at most N flagged-row reports (SIZE_MAX = all) */
    int all_rows;                /* --all-rows: rank every scored row, flagged or not */
    enum nfx_score score;        /* --score */
    const char *features_path;   /* --features FILE or NULL */
    const char *baseline_path;   /* --baseline FILE or NULL */
    struct nf_table *features;   /* the feature stream, or NULL */
    struct nf_table *baseline;   /* --baseline rows, or NULL */
    struct nf_pca_model *model;  /* --model, or NULL */
    const char *records_path;    /* --records FILE (nf-window aggregates) or NULL: attribution */
    const char *flows_path;      /* --flows FILE (nf-parse flow records) or NULL: hosts and ports */
    int uniflow;                 /* --uniflow: the records split each flow's directions (nf-window --uniflow) */
    const struct nf_cidr_list *internal; /* --internal prefixes */
    size_t attrib_span;          /* --attrib-span N: windows per side compared by attribution */
    struct nf_rejects *rejects;  /* --rejects / --strict, for the records */
    uint64_t features_row0;      /* --follow: rows of the feature stream before the table's first */
    struct nfx_tindex *records_index, *flows_index; /* --follow: where in --records and --flows each time lies */
};

/* One written report, for the index. */
struct nfx_entry {
    char *file;      /* "cp-001-20191002T0755Z.md" */
    char *title;
    char *headline;  /* one sentence for the index */
    char *when;      /* time text */
    char *score;     /* ranking figure as text */
    char *limit;     /* flagged rows: the limits the row broke, or NULL */
};

struct nfx_out {
    enum nfx_format format;
    const char *dir;     /* --output-dir or NULL (Markdown to stdout) */
    int dirfd;           /* the open --output-dir (nfx_out_open_dir) */
    struct nf_jw *jw;    /* NDJSON writer (json format) */
    int plot;            /* --plot and gnuplot is available */
    struct nfx_entry *entries;
    size_t nentries;
    const char *mode_title; /* index heading */
    const char *ranking;    /* flagged rows: what ranks them, for the index */
    char *selection;        /* flagged rows: how many were flagged and reported, for the index */
    int number_from;        /* --follow: change-point reports are numbered from number_from + 1 */
};

/*
 * Creates or opens --output-dir (the user's own when running as root) and
 * checks it holds no reports of an earlier run; with force, removes them.
 * Dies with the reason otherwise.
 */
void nfx_out_open_dir(struct nfx_out *o, int force);
/* A new file in --output-dir, never through a symbolic link; dies when it exists. */
int nfx_out_create_fd(const struct nfx_out *o, const char *name);
FILE *nfx_out_create(const struct nfx_out *o, const char *name);
void nfx_out_remove(const struct nfx_out *o, const char *name);

/* Adds a Markdown report: written to dir/file, or to stdout without --output-dir. */
void nfx_out_markdown(struct nfx_out *o, const char *file, const char *title,
                      const char *headline, const char *when, const char *score,
                      const char *limit, const char *md, size_t len);
/* Writes dir/README.md ranking the reports. */
void nfx_out_index(struct nfx_out *o);
void nfx_out_free(struct nfx_out *o);

/*
 * The statistic a row is ranked by (1 = T2, 0 = SPE) and its ranking key
 * in *key: with --score spe or t2 that score's value; otherwise, for a
 * flagged row, the score over its limit of the limit it broke (the larger
 * when it broke both), so that SPE and T2 rows rank on one scale; for an
 * unflagged row (--all-rows) SPE. NaN keys rank last.
 */
int nfx_rank_stat(enum nfx_score score, double spe, double spe_limit, int spe_flag, double t2,
                  double t2_limit, int t2_flag, double *key);

/*
 * The indexes of the (at most) max largest of v[0..n) into idx, largest
 * first, ties in index order; by |v| when absolute. Returns how many.
 */
size_t nfx_top_indices(const double *v, size_t n, int absolute, size_t *idx, size_t max);
/* The features loading most on component c (largest |loading| first): nfx_top_indices of its loadings. */
size_t nfx_top_loadings(const struct nf_pca_model *m, size_t c, size_t *idx, size_t max);

/* The column index of name in t, or -1. */
long nfx_col(const struct nf_table *t, const char *name);

/* report_change.c: change-point reports for the nf-pelt records cps[0..n). */
void nfx_change_reports(const struct nfx_ctx *ctx, cJSON **cps, size_t n, struct nfx_out *out);
/* Row r of t as a cJSON object (pass-through members plus numeric columns). */
cJSON *nfx_row_object(const struct nf_table *t, size_t r);

/*
 * report_flag.c: one report per selected row of the nf-pca output scored
 * (rows sel[0..nsel), best first); rows sel[0..nexclude) (nexclude >= nsel)
 * are left out of the baseline.
 */
void nfx_flag_reports(const struct nfx_ctx *ctx, const struct nf_table *scored,
                      const size_t *sel, size_t nsel, size_t nexclude, struct nfx_out *out);

#endif
