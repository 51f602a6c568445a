/*
 * output.c - where reports go: Markdown files in --out-dir with a
 * README.md index ranking them (or all Markdown on stdout), and the
 * helpers the report modules share for reading table rows.
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "explain.h"
#include "markdown.h"

long nfx_col(const struct nf_table *t, const char *name)
{
    if (!t)
        return -1;
    for (size_t j = 0; j < t->ncols; j++)
        if (strcmp(t->colnames[j], name) == 0)
            return (long)j;
    return -1;
}

cJSON *nfx_row_object(const struct nf_table *t, size_t r)
{
    size_t n = t->pass_len[r];
    char *text = nf_xmalloc(n + 3);
    text[0] = '{';
    memcpy(text + 1, t->pass[r], n);
    text[n + 1] = '}';
    text[n + 2] = '\0';
    cJSON *obj = cJSON_Parse(text);
    free(text);
    if (!obj)
        obj = cJSON_CreateObject();
    for (size_t j = 0; j < t->ncols; j++) {
        double v = nf_table_at(t, r, j);
        if (isfinite(v) && !cJSON_GetObjectItemCaseSensitive(obj, t->colnames[j]))
            cJSON_AddNumberToObject(obj, t->colnames[j], v);
    }
    return obj;
}

static void write_file(const char *dir, const char *file, const char *text, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    if (!f)
        nf_die("%s: cannot write: %s", path, strerror(errno));
    if (fwrite(text, 1, len, f) != len || fclose(f) != 0)
        nf_die("%s: write error", path);
}

void nfx_out_markdown(struct nfx_out *o, const char *file, const char *title, const char *headline,
                      const char *when, const char *score, const char *md, size_t len)
{
    if (!o->dir) {
        if (o->nentries > 0)
            fputs("\n---\n\n", stdout);
        fwrite(md, 1, len, stdout);
    } else {
        write_file(o->dir, file, md, len);
    }
    o->entries = nf_xrealloc(o->entries, (o->nentries + 1) * sizeof *o->entries);
    struct nfx_entry *e = &o->entries[o->nentries++];
    e->file = nf_xstrdup(file);
    e->title = nf_xstrdup(title);
    e->headline = nf_xstrdup(headline);
    e->when = nf_xstrdup(when);
    e->score = nf_xstrdup(score);
}

void nfx_out_index(struct nfx_out *o)
{
    if (!o->dir)
        return;
    struct nfx_md md;
    nfx_md_init(&md);
    nfx_md_printf(&md, "# %s\n\n", o->mode_title);
    if (o->nentries == 0) {
        nfx_md_printf(&md, "No reports: the input held nothing to explain.\n");
    } else {
        nfx_md_printf(&md, "%zu report%s, ranked %s.\n\n", o->nentries, o->nentries == 1 ? "" : "s",
                      o->entries[0].file[0] == 'c' ? "by the cost reduction of the split (strongest evidence first)"
                                                   : "by anomaly score (highest first)");
        struct nfx_table t;
        nfx_table_init(&t, "Rank|Report|Time|Score|Headline", "rllrl");
        for (size_t i = 0; i < o->nentries; i++) {
            const struct nfx_entry *e = &o->entries[i];
            nfx_table_rowf(&t, "%zu|[%s](%s)|%s|%s|%s", i + 1, e->title, e->file, e->when, e->score, e->headline);
        }
        nfx_table_write(&t, &md);
        nfx_table_free(&t);
    }
    nfx_md_close(&md);
    write_file(o->dir, "README.md", md.buf, md.len);
    nfx_md_free(&md);
}

void nfx_out_free(struct nfx_out *o)
{
    for (size_t i = 0; i < o->nentries; i++) {
        free(o->entries[i].file);
        free(o->entries[i].title);
        free(o->entries[i].headline);
        free(o->entries[i].when);
        free(o->entries[i].score);
    }
    free(o->entries);
}
