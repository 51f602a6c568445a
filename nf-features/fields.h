/*
 * fields.h - pulls the few members a mode needs out of one NDJSON line.
 *
 * Records are read with nf_rec_next (lib/rec.h, cJSON); the wanted members
 * are found in one pass over the object.
 */
#ifndef NF_FIELDS_H
#define NF_FIELDS_H

#include <stddef.h>

#include <cJSON.h>

enum field_type { F_ABSENT = 0, F_NULL, F_NUMBER, F_STRING, F_OTHER };

struct field {
    enum field_type type;
    double num;          /* F_NUMBER */
    const char *s;       /* F_STRING: not NUL-terminated */
    size_t n;
};

struct fields {
    const char *const *names; /* wanted keys */
    size_t count;
    struct field *val;        /* count entries */
    cJSON *tree;              /* set when the slow path parsed the line */
};

/*
 * Takes obj (a JSON object from nf_rec_next) and fills f->val from it; the
 * previous object is deleted. The strings point into the object and stay
 * valid until the next call or fields_free().
 */
void fields_take(struct fields *f, cJSON *obj);
void fields_free(struct fields *f);

/*
 * The text between the object's braces, trimmed, for copying a record
 * through unchanged. Only valid for a line nf_rec_next accepted as an object.
 */
void fields_members(const char *line, size_t len, const char **start, size_t *n);

#endif
