/*
 * scratch.h - a bump allocator for cJSON trees that live for one input line.
 *
 * Parsing a flow record with cJSON allocates a node and a key per member
 * (and a string per text value); with malloc and free that was a fifth of
 * the reading stages' time. Between nf_scratch_begin() and nf_scratch_end()
 * cJSON allocates from a reusable block and cJSON_Delete frees nothing;
 * nf_scratch_reset() recycles everything allocated since the last reset,
 * and nf_rec_next() calls it before each line it parses. Use it only where
 * no tree (nor any text cJSON printed) outlives the line that made it.
 */
#ifndef NF_SCRATCH_H
#define NF_SCRATCH_H

void nf_scratch_begin(void);
/* Every cJSON allocation since the last reset is dead: reuse the memory. */
void nf_scratch_reset(void);
/* cJSON back on malloc/free; the scratch memory is released. */
void nf_scratch_end(void);

#endif
