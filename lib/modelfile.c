/* modelfile.c - a saved model file read whole and its members checked. */
#include "modelfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        nf_die("cannot open model %s: %s", path, strerror(errno));
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            buf = nf_xrealloc(buf, cap);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f))
        nf_die("cannot read model %s: %s", path, strerror(errno));
    fclose(f);
    *len = n;
    return buf;
}

cJSON *nf_model_read(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!root || !cJSON_IsObject(root))
        nf_die("model %s: not a JSON object", path);
    return root;
}

const cJSON *nf_model_member(const cJSON *obj, const char *path, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        nf_die("model %s: member \"%s\" is missing", path, key);
    return item;
}
