/* rec.c - line and NDJSON record input with file:line context. */
#include "rec.h"
#include "opt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void nf_lines_init(struct nf_lines *l, char **paths, int npaths)
{
    static char *stdin_only[] = {"-"};
    memset(l, 0, sizeof *l);
    l->paths = npaths > 0 ? paths : stdin_only;
    l->npaths = npaths > 0 ? npaths : 1;
}

void nf_lines_init_stream(struct nf_lines *l, FILE *f, const char *name)
{
    nf_lines_init(l, NULL, 0);
    l->next = l->npaths; /* nothing more to open after f */
    l->f = f;
    l->name = name;
    l->borrowed = 1;
}

static int growing_files;

void nf_lines_growing(void)
{
    growing_files = 1;
}

void nf_lines_range(struct nf_lines *l, off_t start, off_t end, uint64_t first_line)
{
    l->ranged = 1;
    l->range_start = start;
    l->range_end = end;
    l->range_line = first_line;
}

static int open_next(struct nf_lines *l)
{
    const char *path;
    if (l->next >= l->npaths)
        return 0;
    path = l->paths[l->next++];
    l->f = nf_open_input(path, &l->iobuf);
    l->name = l->f == stdin ? "<stdin>" : path;
    l->lineno = 0;
    if (l->ranged) {
        if (fseeko(l->f, l->range_start, SEEK_SET) != 0)
            nf_die("%s: cannot seek to byte %lld: %s", l->name, (long long)l->range_start, strerror(errno));
        l->lineno = l->range_line;
        l->pos = l->range_start;
    }
    return 1;
}

static void close_current(struct nf_lines *l)
{
    if (!l->f)
        return;
    if (ferror(l->f))
        nf_die("error reading %s: %s", l->name, strerror(errno));
    if (l->f != stdin && !l->borrowed)
        fclose(l->f);
    l->f = NULL;
}

char *nf_lines_next(struct nf_lines *l, size_t *len)
{
    for (;;) {
        ssize_t n;
        if (nf_stop_requested())
            return NULL; /* SIGTERM/SIGINT: the record before was the last one */
        if (!l->f && !open_next(l))
            return NULL;
        if (l->ranged && l->pos >= l->range_end) {
            close_current(l);
            continue;
        }
        n = getline(&l->buf, &l->cap, l->f);
        if (n > 0 && growing_files && l->buf[n - 1] != '\n' && l->f != stdin)
            n = -1; /* still being written */
        if (n < 0) {
            close_current(l);
            continue;
        }
        l->pos += n;
        l->lineno++;
        if (n > 0 && l->buf[n - 1] == '\n')
            l->buf[--n] = '\0';
        *len = l->len = (size_t)n;
        return l->buf;
    }
}

void nf_lines_free(struct nf_lines *l)
{
    close_current(l);
    free(l->iobuf); /* after the file using it is closed */
    l->iobuf = NULL;
    free(l->buf);
    l->buf = NULL;
}

static int blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* The U+0000 test (rec.h): a raw NUL, or \u0000 after an odd run of backslashes. */
int nf_rec_has_nul(const char *s, size_t n)
{
    const char *end = s + n, *p;
    if (memchr(s, '\0', n))
        return 1;
    for (p = memchr(s, '\\', n); p; p = memchr(p, '\\', (size_t)(end - p))) {
        size_t run = 0;
        while (p + run < end && p[run] == '\\')
            run++;
        p += run;
        if (run % 2 == 1 && end - p >= 5 && memcmp(p, "u0000", 5) == 0)
            return 1;
    }
    return 0;
}

cJSON *nf_rec_next(struct nf_lines *l, struct nf_rejects *rej)
{
    char *line;
    size_t len;
    while ((line = nf_lines_next(l, &len)) != NULL) {
        cJSON *obj;
        if (blank(line, len))
            continue;
        if (nf_rec_has_nul(line, len)) {
            nf_reject(rej, l->name, l->lineno, line, len, "%s", NF_REC_NUL_REASON);
            continue;
        }
        obj = cJSON_ParseWithLength(line, len);
        if (!obj) {
            const char *at = cJSON_GetErrorPtr();
            size_t col = at && at >= line && at <= line + len ? (size_t)(at - line) + 1 : 0;
            nf_reject(rej, l->name, l->lineno, line, len,
                      "not valid JSON (near column %zu)", col);
            continue;
        }
        if (!cJSON_IsObject(obj)) {
            cJSON_Delete(obj);
            nf_reject(rej, l->name, l->lineno, line, len, "not a JSON object");
            continue;
        }
        return obj;
    }
    return NULL;
}

double nf_rec_number(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

const char *nf_rec_string(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}
