/*
 * rec.h - reading input: lines from a list of files (or stdin) with file
 * name and line number kept for messages, and NDJSON records parsed with
 * cJSON on top of that.
 */
#ifndef NF_REC_H
#define NF_REC_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <cJSON.h>

#include "err.h"

/* Bytes of stdio buffer for every input stream (stdin: nf_tool_init). */
#define NF_INPUT_BUFFER (1 << 18)

struct nf_lines {
    char **paths;      /* input paths; "-" is stdin */
    int npaths, next;  /* next path to open */
    FILE *f;
    const char *name;  /* current file name for messages ("-" shows as "<stdin>") */
    uint64_t lineno;   /* line number of the last line returned */
    char *buf;         /* the last line returned, NUL-terminated */
    size_t len;        /* its length */
    size_t cap;
    char *iobuf;       /* the open file's stdio buffer */
    int borrowed;      /* f is the caller's (nf_lines_init_stream): never closed here */
    int ranged;        /* nf_lines_range: only [range_start, range_end) of the one file */
    off_t range_start, range_end, pos;
    uint64_t range_line;
};

/* paths[0..npaths); npaths 0 means stdin. The array must outlive the reader. */
void nf_lines_init(struct nf_lines *l, char **paths, int npaths);
/* The lines of a stream the caller opened (and closes), named in messages. */
void nf_lines_init_stream(struct nf_lines *l, FILE *f, const char *name);
/*
 * Next line without its newline (a trailing '\r' is kept), NUL-terminated;
 * *len gets the length. Returns NULL after the last line of the last file.
 * Open failures die naming the file.
 */
char *nf_lines_next(struct nf_lines *l, size_t *len);
void nf_lines_free(struct nf_lines *l);
/*
 * Reads only bytes [start, end) of the one file the reader was given, its
 * first line numbered first_line + 1 in messages: a part of a file that
 * another process is still appending to (nf-explain --follow). start and
 * end lie at line starts.
 */
void nf_lines_range(struct nf_lines *l, off_t start, off_t end, uint64_t first_line);
/*
 * From now on, in this process, the last line of a regular file that has
 * no newline yet is not read: its writer has not finished it. For readers
 * of files that grow while they are read (nf-explain --follow).
 */
void nf_lines_growing(void);

/*
 * Next JSON object, or NULL at the end. Blank lines are skipped; lines that
 * are not a JSON object are passed to rej (file:line and reason) and skipped.
 * The caller owns the returned tree (cJSON_Delete), also between
 * nf_scratch_begin() and nf_scratch_end() (scratch.h): it may outlive
 * the next call.
 */
cJSON *nf_rec_next(struct nf_lines *l, struct nf_rejects *rej);

/*
 * Whether a JSON line holds U+0000, raw or as \u0000. cJSON's strings end
 * at NUL, so "10.0.0.1\u0000evil" would read as 10.0.0.1 and "a\u0000b"
 * as "a": nf_rec_next refuses such lines with NF_REC_NUL_REASON, and every
 * other reader of JSON lines must too (docs/records.md).
 */
int nf_rec_has_nul(const char *s, size_t n);
#define NF_REC_NUL_REASON "a string holds U+0000 (NUL), which cannot be read exactly"

/* Member lookup helpers: number value or NaN; string or NULL. */
double nf_rec_number(const cJSON *obj, const char *key);
const char *nf_rec_string(const cJSON *obj, const char *key);

#endif
