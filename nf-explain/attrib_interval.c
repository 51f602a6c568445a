/*
 * attrib_interval.c - which records made a flagged interval unusual. The
 * interval is one window; its baseline for attribution is the mean per
 * window of the --attrib-span windows of the feature stream just before
 * it (flagged or not: the span is a stretch of time, as for change
 * points). attrib.c then splits the difference "interval minus span mean"
 * of the interval's most unusual sum and share features over the keys of
 * the records, exactly as it splits a change point's "after minus before".
 */
#include <math.h>
#include <stdlib.h>

#include "attrib_interval.h"
#include "err.h"
#include "featinfo.h"
#include "stats.h"

/* The window length at row r: the step to the next row, or from the previous one at the end. */
static int64_t step_at(const struct nf_table *ft, size_t r)
{
    if (r + 1 < ft->nrows)
        return ft->time[r + 1] - ft->time[r];
    return r > 0 ? ft->time[r] - ft->time[r - 1] : 0;
}

/* The windows and quantities of one interval; 0 when there is something to split. */
static int setup(const struct nfx_ctx *ctx, const struct nf_table *ft, const struct nfx_interval_req *rq,
                 struct nfx_attrib *a)
{
    size_t r = rq->row, rb = r > ctx->attrib_span ? r - ctx->attrib_span : 0, j;
    double sd;
    if (r == 0 || r >= ft->nrows)
        return -1;
    a->interval = 1;
    a->b0 = ft->time[rb];
    a->t = ft->time[r];
    a->a1 = ft->time[r];
    a->a1_end = a->a1 + step_at(ft, r);
    a->nb = r - rb;
    a->na = 1;
    for (j = 0; j < rq->nfeatures && a->nq < NFX_ATTRIB_MAXQ; j++) {
        const struct nfx_quantity *q = nfx_quantity_of(rq->features[j]);
        long col = nfx_col(ft, rq->features[j]);
        if (!q || col < 0)
            continue;
        struct nfx_aq *aq = &a->qs[a->nq];
        aq->q = q;
        aq->col = (size_t)col;
        nfx_mean_sd(ft->x + rb * ft->ncols + (size_t)col, a->nb, ft->ncols, &aq->feature_before, &sd);
        aq->feature_after = nf_table_at(ft, r, (size_t)col);
        if (!isfinite(aq->feature_after) || aq->feature_after == aq->feature_before)
            continue; /* nothing to split */
        a->nq++;
    }
    return 0; /* without a quantity the report says that none of its features is a sum over records */
}

void nfx_attrib_intervals(const struct nfx_ctx *ctx, const struct nf_table *ft, const struct nfx_interval_req *req,
                          size_t n, struct nfx_attrib **out)
{
    struct nfx_attrib *as = nf_xcalloc(n ? n : 1, sizeof *as);
    size_t *of = nf_xcalloc(n ? n : 1, sizeof *of), i, k = 0;
    for (i = 0; i < n; i++)
        out[i] = NULL;
    if (!ft->has_time) {
        n = 0;
    } else if (nf_table_first_disorder(ft)) {
        nf_warn("%s: rows are not in time order; flagged intervals are reported without attribution",
                ctx->features_path ? ctx->features_path : "the scored rows");
        n = 0;
    }
    for (i = 0; i < n; i++) {
        if (setup(ctx, ft, &req[i], &as[k]) == 0)
            of[k++] = i;
        else
            as[k] = (struct nfx_attrib){0};
    }
    struct nfx_attrib_opts o = {.records_path = ctx->records_path, .flows_path = ctx->flows_path,
                                .internal = ctx->internal, .rejects = ctx->rejects, .uniflow = ctx->uniflow};
    if (k > 0)
        nfx_attrib_run(&o, as, k);
    for (i = 0; i < k; i++) {
        out[of[i]] = nf_xmalloc(sizeof **out);
        *out[of[i]] = as[i];
    }
    free(as);
    free(of);
}
