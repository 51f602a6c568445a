/* fields.c - the members a mode needs, read from one NDJSON line with cJSON. */
#include "fields.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int wanted(const struct fields *f, const char *key)
{
    size_t i;
    for (i = 0; i < f->count; i++)
        if (f->names[i][0] == key[0] && strcmp(f->names[i], key) == 0)
            return (int)i;
    return -1;
}

/* One pass over the members; the first of duplicate keys wins, as in cJSON_GetObjectItem. */
static void from_tree(struct fields *f)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, f->tree)
    {
        int i = it->string ? wanted(f, it->string) : -1;
        struct field *v;
        if (i < 0 || f->val[i].type != F_ABSENT)
            continue;
        v = &f->val[i];
        if (cJSON_IsNull(it))
            v->type = F_NULL;
        else if (cJSON_IsNumber(it)) {
            v->type = F_NUMBER;
            v->num = it->valuedouble;
        } else if (cJSON_IsString(it)) {
            v->type = F_STRING;
            v->s = it->valuestring;
            v->n = strlen(it->valuestring);
        } else
            v->type = F_OTHER;
    }
}

void fields_take(struct fields *f, cJSON *obj)
{
    if (f->tree)
        cJSON_Delete(f->tree);
    f->tree = obj;
    memset(f->val, 0, f->count * sizeof *f->val);
    from_tree(f);
}

void fields_free(struct fields *f)
{
    if (f->tree)
        cJSON_Delete(f->tree);
    f->tree = NULL;
}

void fields_members(const char *line, size_t len, const char **start, size_t *n)
{
    const char *b = line, *e = line + len;
    while (b < e && *b != '{')
        b++;
    while (e > b && e[-1] != '}')
        e--;
    /* b at '{', e just after '}' */
    b++;
    e--;
    b = skip_ws(b, e);
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *start = b;
    *n = (size_t)(e - b);
}
