/*
 * csv_text.h - what the text readers share beyond parse.h: writing a flow
 * record that carries format-specific keys after the flow members.
 */
#ifndef NF_CSV_TEXT_H
#define NF_CSV_TEXT_H

#include "parse.h"

/*
 * Starts a flow record: assigns the next ID, writes "{" and the flow
 * members. The caller adds its own keys, then calls emit_flow_end.
 */
void emit_flow_begin(struct parse_ctx *ctx, struct nf_flow *f);
void emit_flow_end(struct parse_ctx *ctx);

#endif
