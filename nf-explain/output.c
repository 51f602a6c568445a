/*
 * output.c - where reports go: Markdown files in --output-dir with a
 * README.md index ranking them (or all Markdown on stdout), and the
 * helpers the report modules share for reading table rows.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "explain.h"
#include "markdown.h"

long nfx_col(const struct nf_table *t, const char *name)
{
    size_t j;
    if (!t)
        return -1;
    for (j = 0; j < t->ncols; j++)
        if (strcmp(t->colnames[j], name) == 0)
            return (long)j;
    return -1;
}

size_t nfx_top_indices(const double *v, size_t n, int absolute, size_t *idx, size_t max)
{
    unsigned char *used = nf_xcalloc(n ? n : 1, 1);
    size_t got, j;

    for (got = 0; got < max && got < n; got++) {
        size_t best = 0;
        int have = 0;
        for (j = 0; j < n; j++)
            if (!used[j] && (!have || (absolute ? fabs(v[j]) > fabs(v[best]) : v[j] > v[best])))
                best = j, have = 1;
        used[best] = 1;
        idx[got] = best;
    }
    free(used);
    return got;
}

size_t nfx_top_loadings(const struct nf_pca_model *m, size_t c, size_t *idx, size_t max)
{
    return nfx_top_indices(m->loadings + c * m->p, m->p, 1, idx, max);
}

static double over_limit(double v, double limit)
{
    return isfinite(v) && isfinite(limit) && limit > 0 ? v / limit : NAN;
}

int nfx_rank_stat(enum nfx_score score, double spe, double spe_limit, int spe_flag, double t2,
                  double t2_limit, int t2_flag, double *key)
{
    double rs = over_limit(spe, spe_limit), rt = over_limit(t2, t2_limit);
    int by_t2;

    if (score != NFX_SCORE_AUTO) {
        by_t2 = score == NFX_SCORE_T2;
        *key = by_t2 ? t2 : spe;
        return by_t2;
    }
    if (spe_flag && t2_flag)
        by_t2 = isfinite(rt) && !(rs >= rt);
    else
        by_t2 = t2_flag;
    if (!spe_flag && !t2_flag)
        *key = spe;
    else
        *key = by_t2 ? rt : rs;
    return by_t2;
}

cJSON *nfx_row_object(const struct nf_table *t, size_t r)
{
    size_t j;
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
    for (j = 0; j < t->ncols; j++) {
        double v = nf_table_at(t, r, j);
        if (isfinite(v) && !cJSON_GetObjectItemCaseSensitive(obj, t->colnames[j]))
            cJSON_AddNumberToObject(obj, t->colnames[j], v);
    }
    return obj;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names nf-explain writes into --output-dir: README.md, reports.ndjson, KIND-NNN....md|svg. */
static int is_report_name(const char *name)
{
    static const char *const kinds[] = {"cp-", "flow-", "interval-", "row-"};
    size_t i, n = strlen(name), k;

    if (strcmp(name, "README.md") == 0 || strcmp(name, "reports.ndjson") == 0)
        return 1;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        k = strlen(kinds[i]);
        if (strncmp(name, kinds[i], k) == 0 && name[k] >= '0' && name[k] <= '9')
            return (n > 3 && strcmp(name + n - 3, ".md") == 0) || (n > 4 && strcmp(name + n - 4, ".svg") == 0);
    }
    return 0;
}

/* Sorted names of the reports already in the directory; returns how many. */
static size_t earlier_reports(const struct nfx_out *o, char ***names)
{
    int fd = dup(o->dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    size_t n = 0;

    *names = NULL;
    if (!d)
        nf_die("%s: cannot read the directory: %s", o->dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (!is_report_name(e->d_name))
            continue;
        *names = nf_xrealloc(*names, (n + 1) * sizeof **names);
        (*names)[n++] = nf_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(*names, n, sizeof **names, by_name);
    return n;
}

void nfx_out_open_dir(struct nfx_out *o, int force)
{
    struct stat st;
    char **names;
    size_t n, i;
    int as_root = geteuid() == 0;

    o->dirfd = -1;
    if (mkdir(o->dir, 0777) != 0 && errno != EEXIST)
        nf_die("%s: cannot create directory: %s", o->dir, strerror(errno));
    /* As root, a symbolic link planted in the directory's place is not followed. */
    if (as_root && lstat(o->dir, &st) == 0 && S_ISLNK(st.st_mode))
        errno = ELOOP;
    else
        o->dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (as_root ? O_NOFOLLOW : 0));
    if (o->dirfd < 0)
        nf_die("%s: cannot open the output directory: %s", o->dir,
               errno == ELOOP ? "it is a symbolic link (not followed when running as root)" : strerror(errno));
    if (fstat(o->dirfd, &st) != 0)
        nf_die("%s: %s", o->dir, strerror(errno));
    if (as_root && st.st_uid != 0)
        nf_die("%s: the directory belongs to uid %lu; running as root, nf-explain writes only into a "
               "directory root owns", o->dir, (unsigned long)st.st_uid);
    n = earlier_reports(o, &names);
    if (n > 0 && !force)
        nf_die("%s: holds the reports of an earlier run (%s%s); --force replaces them, or choose another --output-dir",
               o->dir, names[0], n > 1 ? " and more" : "");
    for (i = 0; i < n; i++) {
        /* unlinkat removes a symbolic link itself, never what it points to */
        if (unlinkat(o->dirfd, names[i], 0) != 0 && errno != ENOENT)
            nf_die("%s/%s: cannot remove the earlier report: %s", o->dir, names[i], strerror(errno));
        free(names[i]);
    }
    free(names);
}

int nfx_out_create_fd(const struct nfx_out *o, const char *name)
{
    /* A new file only: an existing name, a symbolic link among them, is an error, never followed. */
    int fd = openat(o->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        nf_die("%s/%s: cannot create: %s", o->dir, name, strerror(errno));
    return fd;
}

FILE *nfx_out_create(const struct nfx_out *o, const char *name)
{
    FILE *f = fdopen(nfx_out_create_fd(o, name), "w");
    if (!f)
        nf_die("%s/%s: %s", o->dir, name, strerror(errno));
    return f;
}

void nfx_out_remove(const struct nfx_out *o, const char *name)
{
    if (unlinkat(o->dirfd, name, 0) != 0 && errno != ENOENT)
        nf_warn("%s/%s: cannot remove: %s", o->dir, name, strerror(errno));
}

static void write_file(const struct nfx_out *o, const char *file, const char *text, size_t len)
{
    FILE *f = nfx_out_create(o, file);
    if (fwrite(text, 1, len, f) != len || fclose(f) != 0)
        nf_die("%s/%s: write error", o->dir, file);
}

void nfx_out_markdown(struct nfx_out *o, const char *file, const char *title, const char *headline,
                      const char *when, const char *score, const char *limit, const char *md, size_t len)
{
    if (!o->dir) {
        if (o->nentries > 0)
            fputs("\n---\n\n", stdout);
        fwrite(md, 1, len, stdout);
    } else {
        write_file(o, file, md, len);
    }
    o->entries = nf_xrealloc(o->entries, (o->nentries + 1) * sizeof *o->entries);
    struct nfx_entry *e = &o->entries[o->nentries++];
    e->file = nf_xstrdup(file);
    e->title = nf_xstrdup(title);
    e->headline = nf_xstrdup(headline);
    e->when = nf_xstrdup(when);
    e->score = nf_xstrdup(score);
    e->limit = limit ? nf_xstrdup(limit) : NULL;
}

void nfx_out_index(struct nfx_out *o)
{
    size_t i;
    if (!o->dir)
        return;
    struct nfx_md md;
    nfx_md_init(&md);
    nfx_md_printf(&md, "# %s\n\n", o->mode_title);
    if (o->nentries == 0) {
        nfx_md_printf(&md, "No reports: the input held nothing to explain.\n");
    } else {
        int flagged = o->entries[0].limit != NULL;
        if (o->selection)
            nfx_md_printf(&md, "%s\n\n", o->selection);
        nfx_md_printf(&md, "%zu report%s, ranked %s.\n\n", o->nentries, o->nentries == 1 ? "" : "s",
                      o->ranking                   ? o->ranking
                      : o->entries[0].file[0] == 'c' ? "by the cost reduction of the split (strongest evidence first)"
                                                     : "by anomaly score (highest first)");
        struct nfx_table t;
        if (flagged)
            nfx_table_init(&t, "Rank|Report|Time|Flagged by|Score|Headline", "rlllrl");
        else
            nfx_table_init(&t, "Rank|Report|Time|Score|Headline", "rllrl");
        for (i = 0; i < o->nentries; i++) {
            const struct nfx_entry *e = &o->entries[i];
            if (flagged)
                nfx_table_rowf(&t, "%zu|[%s](%s)|%s|%s|%s|%s", i + 1, e->title, e->file, e->when,
                               e->limit ? e->limit : "", e->score, e->headline);
            else
                nfx_table_rowf(&t, "%zu|[%s](%s)|%s|%s|%s", i + 1, e->title, e->file, e->when, e->score, e->headline);
        }
        nfx_table_write(&t, &md);
        nfx_table_free(&t);
    }
    nfx_md_close(&md);
    write_file(o, "README.md", md.buf, md.len);
    nfx_md_free(&md);
}

void nfx_out_free(struct nfx_out *o)
{
    size_t i;
    for (i = 0; i < o->nentries; i++) {
        free(o->entries[i].file);
        free(o->entries[i].title);
        free(o->entries[i].headline);
        free(o->entries[i].when);
        free(o->entries[i].score);
        free(o->entries[i].limit);
    }
    free(o->entries);
    free(o->selection);
    if (o->dir && o->dirfd >= 0)
        close(o->dirfd);
}
