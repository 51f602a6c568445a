/*
 * scratch.h - a bump allocator for cJSON trees that live for about one
 * input line.
 *
 * Parsing a flow record with cJSON allocates a node and a key per member
 * (and a string per text value); with malloc and free that was a fifth of
 * the reading stages' time. Between nf_scratch_begin() and nf_scratch_end()
 * cJSON allocates from reusable chunks by bumping a pointer. The contract
 * is the one of malloc: a tree lives until cJSON_Delete (text cJSON printed
 * until cJSON_free), in any order, across any number of lines. Each chunk
 * counts the blocks it handed out; when the last of them is freed the
 * chunk is reused. So a reader that keeps the previous record while it
 * reads the next (nf-features) costs two chunks, not a use after free.
 *
 * Every scratch tree must be deleted before nf_scratch_end(). Under
 * AddressSanitizer freed blocks are poisoned and empty chunks go back to
 * free() (ASan's quarantine) instead of being reused, so a tree used after
 * it was deleted is reported. Under valgrind cJSON stays on malloc/free.
 */
#ifndef NF_SCRATCH_H
#define NF_SCRATCH_H

#include <stddef.h>

void nf_scratch_begin(void);
/* cJSON back on malloc/free; the scratch memory is released. */
void nf_scratch_end(void);

/* Bytes of chunk memory held now (for tests of the memory bound). */
size_t nf_scratch_held(void);

#endif
