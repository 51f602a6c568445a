/* windows.c - open windows, closing them in time order, fill and gaps (see windows.h). */
#include "windows.h"

#include "err.h"
#include "ntime.h"

#include <stdlib.h>
#include <string.h>

void engine_init(struct engine *e, struct nf_jw *out, int64_t width, int flows, int aggregates)
{
    memset(e, 0, sizeof *e);
    e->out = out;
    e->width = width;
    e->flows = flows;
    e->aggregates = aggregates;
    e->fill = 1;
    e->max_gap = 86400000;
    e->closed_until = INT64_MIN;
    if (flows)
        nf_jw_init(&e->enc, stdout);
}

static void window_free(struct window *w)
{
    keytab_free(&w->tab);
    if (w->mem)
        fclose(w->mem);
    free(w->membuf);
    free(w);
}

void engine_free(struct engine *e)
{
    size_t i;
    for (i = 0; i < e->nopen; i++)
        window_free(e->open[i]);
    for (i = 0; i < e->npool; i++)
        window_free(e->pool[i]);
    free(e->open);
    free(e->pool);
    for (i = 0; i < e->nmessages; i++)
        free(e->messages[i]);
    free(e->messages);
    if (e->flows) {
        e->enc.len = 0; /* nothing pending: every window was written */
        e->enc.out = stdout;
        nf_jw_free(&e->enc);
    }
    memset(e, 0, sizeof *e);
}

static struct window *window_new(struct engine *e, int64_t start)
{
    struct window *w;
    if (e->npool > 0) {
        w = e->pool[--e->npool];
    } else {
        w = nf_xcalloc(1, sizeof *w);
    }
    w->start = start;
    w->direct = 0;
    if (e->flows) {
        w->mem = open_memstream(&w->membuf, &w->memlen);
        if (!w->mem)
            nf_die("out of memory (window buffer)");
    }
    return w;
}

/* The open window starting at start, opened when new (the array stays sorted). */
static struct window *window_get(struct engine *e, int64_t start)
{
    size_t lo = 0, hi = e->nopen;
    struct window *w;
    /* Nearly always the newest window: check it before searching. */
    if (e->nopen > 0 && e->open[e->nopen - 1]->start == start)
        return e->open[e->nopen - 1];
    if (e->nopen == 0 || e->open[e->nopen - 1]->start < start) {
        lo = e->nopen;
    } else {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (e->open[mid]->start < start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < e->nopen && e->open[lo]->start == start)
            return e->open[lo];
    }
    if (e->nopen == e->capopen) {
        e->capopen = e->capopen ? e->capopen * 2 : 16;
        e->open = nf_xrealloc(e->open, e->capopen * sizeof *e->open);
    }
    w = window_new(e, start);
    memmove(e->open + lo + 1, e->open + lo, (e->nopen - lo) * sizeof *e->open);
    e->open[lo] = w;
    e->nopen++;
    return w;
}

void engine_add(struct engine *e, int64_t start, const struct agg_key *k, uint64_t hash,
                uint64_t flows, uint64_t packets, uint64_t bytes)
{
    struct window *w = window_get(e, start);
    keytab_add(&w->tab, k, hash, flows, packets, bytes);
}

/* Points the encoder at stream f, handing what it holds to the stream it had. */
static void aim(struct engine *e, FILE *f)
{
    if (e->enc.out == f)
        return;
    if (e->enc.len > 0) {
        fwrite(e->enc.buf, 1, e->enc.len, e->enc.out);
        e->enc.len = 0;
    }
    e->enc.out = f;
}

struct nf_jw *engine_flow_writer(struct engine *e, int64_t start)
{
    struct window *w = window_get(e, start);
    if (w->direct) {
        aim(e, stdout);
        return e->out;
    }
    aim(e, w->mem);
    return &e->enc;
}

static void message(struct engine *e, const char *text)
{
    if (!e->defer_messages) {
        nf_warn("%s", text);
        return;
    }
    e->messages = nf_xrealloc(e->messages, (e->nmessages + 1) * sizeof *e->messages);
    e->messages[e->nmessages++] = nf_xstrdup(text);
}

void engine_print_messages(struct engine *e)
{
    size_t i;
    for (i = 0; i < e->nmessages; i++) {
        nf_warn("%s", e->messages[i]);
        free(e->messages[i]);
    }
    e->nmessages = 0;
}

static void write_fill(struct engine *e, int64_t start)
{
    nf_jw_begin(e->out);
    nf_jw_i64(e->out, "WINDOW_START", start);
    nf_jw_i64(e->out, "WINDOW_END", start + e->width);
    nf_jw_null(e->out, "SRC_NET");
    nf_jw_null(e->out, "DST_NET");
    nf_jw_null(e->out, "PROTOCOL_NUM");
    nf_jw_u64(e->out, "FLOWS", 0);
    nf_jw_u64(e->out, "PACKETS", 0);
    nf_jw_u64(e->out, "BYTES", 0);
    nf_jw_end(e->out);
    e->records_written++;
}

/*
 * Empty windows between the last written non-empty window and start.
 * Called again for the same start it writes nothing: --with-flows calls it
 * before a window's flows and once more with the window's aggregates.
 */
static void fill_before(struct engine *e, int64_t start)
{
    int64_t from, gap, t;
    if (!e->has_prev || !e->fill)
        return;
    from = e->fill_from;
    e->fill_from = start;
    gap = start - from;
    if (gap <= 0)
        return;
    if (gap > e->max_gap) {
        char a[32], b[32], len[32], max[32], text[256];
        nf_duration_format(gap, len, sizeof len);
        nf_duration_format(e->max_gap, max, sizeof max);
        snprintf(text, sizeof text,
                 "error: no flows from %s to %s UTC (%s, %lld windows): gap longer than "
                 "--max-gap (%s), not filled",
                 nf_time_format(from, a), nf_time_format(start, b), len,
                 (long long)(gap / e->width), max);
        message(e, text);
        e->gaps++;
        return;
    }
    for (t = from; t < start; t += e->width)
        write_fill(e, t);
}

static void write_aggregates(struct engine *e, struct window *w)
{
    size_t n, i;
    struct agg_entry *ent = keytab_sorted(&w->tab, &n);
    if (n == 0)
        return;
    fill_before(e, w->start);
    for (i = 0; i < n; i++) {
        struct nf_cidr src, dst;
        uint8_t proto;
        char sbuf[NF_CIDR_STRLEN], dbuf[NF_CIDR_STRLEN];
        size_t sn, dn;
        agg_key_split(&ent[i].key, &src, &dst, &proto);
        sn = nf_cidr_format(&src, sbuf);
        dn = nf_cidr_format(&dst, dbuf);
        nf_jw_begin(e->out);
        nf_jw_i64(e->out, "WINDOW_START", w->start);
        nf_jw_i64(e->out, "WINDOW_END", w->start + e->width);
        nf_jw_strn(e->out, "SRC_NET", sbuf, sn);
        nf_jw_strn(e->out, "DST_NET", dbuf, dn);
        nf_jw_u64(e->out, "PROTOCOL_NUM", proto);
        nf_jw_u64(e->out, "FLOWS", ent[i].flows);
        nf_jw_u64(e->out, "PACKETS", ent[i].packets);
        nf_jw_u64(e->out, "BYTES", ent[i].bytes);
        nf_jw_end(e->out);
    }
    e->records_written += n;
    e->windows_written++;
    e->has_prev = 1;
    e->fill_from = w->start + e->width;
}

/* Flows: hands the window's buffered text to the output. */
static void dump_flows(struct engine *e, struct window *w)
{
    if (e->enc.out == w->mem)
        aim(e, stdout);
    if (fflush(w->mem) != 0)
        nf_die("out of memory (window buffer)");
    if (w->memlen > 0) {
        /* The output writer keeps its own buffer: empty it first to keep the order. */
        if (e->out->len > 0) {
            fwrite(e->out->buf, 1, e->out->len, e->out->out);
            e->out->len = 0;
        }
        fwrite(w->membuf, 1, w->memlen, e->out->out);
        if (!e->aggregates)
            e->windows_written++; /* --with-flows counts the window with its aggregates */
    }
    fclose(w->mem);
    w->mem = NULL;
    free(w->membuf);
    w->membuf = NULL;
    w->memlen = 0;
}

static void close_oldest(struct engine *e)
{
    struct window *w = e->open[0];
    if (e->flows && e->aggregates)
        fill_before(e, w->start); /* the empty windows before w come before its flows */
    if (e->flows) {
        if (!w->direct)
            dump_flows(e, w);
        else if (w->mem) {
            fclose(w->mem);
            w->mem = NULL;
            free(w->membuf);
            w->membuf = NULL;
        }
    }
    if (e->aggregates) {
        write_aggregates(e, w);
        keytab_clear(&w->tab);
    }
    memmove(e->open, e->open + 1, (e->nopen - 1) * sizeof *e->open);
    e->nopen--;
    if (e->npool == e->cappool) {
        e->cappool = e->cappool ? e->cappool * 2 : 16;
        e->pool = nf_xrealloc(e->pool, e->cappool * sizeof *e->pool);
    }
    e->pool[e->npool++] = w;
}

/*
 * Flows: once the oldest open window is the earliest that can still get
 * flows, nothing can come before its records any more: write what it holds
 * and let its later flows go straight out. With --with-flows the fill
 * records for the empty windows before it go first.
 */
static void stream_oldest(struct engine *e)
{
    struct window *w;
    if (!e->flows || e->nopen == 0)
        return;
    w = e->open[0];
    if (w->direct || w->start != e->closed_until)
        return;
    if (e->aggregates)
        fill_before(e, w->start);
    dump_flows(e, w);
    w->direct = 1;
}

void engine_advance(struct engine *e, int64_t watermark)
{
    int64_t until;
    if (watermark == INT64_MIN)
        return;
    until = watermark - (watermark % e->width + e->width) % e->width; /* window of watermark */
    if (until <= e->closed_until)
        return;
    while (e->nopen > 0 && e->open[0]->start < until)
        close_oldest(e);
    e->closed_until = until;
    stream_oldest(e);
}

void engine_finish(struct engine *e)
{
    while (e->nopen > 0)
        close_oldest(e);
    if (e->flows)
        aim(e, stdout);
}

void engine_restart(struct engine *e)
{
    engine_finish(e);
    e->closed_until = INT64_MIN;
    e->has_prev = 0; /* no fill records from the old run into the new one */
}

void engine_start_at(struct engine *e, int64_t t)
{
    e->closed_until = t;
    e->has_prev = 1;
    e->fill_from = t;
}

void engine_reopen_all(struct engine *e)
{
    size_t i;
    e->closed_until = INT64_MIN;
    e->has_prev = 0;
    e->gaps = 0;
    e->windows_written = e->records_written = 0;
    for (i = 0; i < e->nmessages; i++)
        free(e->messages[i]);
    e->nmessages = 0;
}
