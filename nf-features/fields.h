/*
 * fields.h - pulls the few members a mode needs out of one NDJSON line.
 *
 * Each line is parsed with cJSON; the wanted members are found in one pass
 * over the object. Between nf_scratch_begin() and nf_scratch_end()
 * (scratch.h) the tree is allocated from scratch memory that the next
 * fields_read() reuses.
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
 * Fills f->val for line[0..len). Returns 0, or -1 when the line is not a
 * JSON object; *why then says what is wrong. The strings point into
 * f->tree and stay valid until the next call or fields_free().
 * Blank lines return 1.
 */
int fields_read(struct fields *f, const char *line, size_t len, const char **why);
void fields_free(struct fields *f);

/*
 * The text between the object's braces, trimmed, for copying a record
 * through unchanged. Only valid for a line fields_read() accepted.
 */
void fields_members(const char *line, size_t len, const char **start, size_t *n);

#endif
