/*
 * emit.c - the one way flow records leave nf-parse: every reader hands its
 * flows to parse_emit (or emit_flow_begin/end when it adds keys of its
 * own), which numbers them 1, 2, 3, ... over the whole run. NDJSON input
 * comes through here too: each record is validated as a flow, renumbered,
 * and written with its unknown keys passed through.
 */
#include "parse.h"

#include "csv_text.h"
#include "rec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void emit_flow_begin(struct parse_ctx *ctx, struct nf_flow *f)
{
    f->id = ctx->next_id++;
    nf_jw_begin(&ctx->out);
    nf_flow_write_members(&ctx->out, f);
}

void emit_flow_end(struct parse_ctx *ctx)
{
    nf_jw_end(&ctx->out);
    ctx->written++;
}

void parse_emit(struct parse_ctx *ctx, struct nf_flow *f)
{
    emit_flow_begin(ctx, f);
    emit_flow_end(ctx);
}
void parse_ndjson(struct parse_ctx *ctx, FILE *f, const char *name)
{
    struct nf_lines in;
    cJSON *obj;
    nf_lines_init_stream(&in, f, name);
    while ((obj = nf_rec_next(&in, &ctx->rej)) != NULL) {
        struct nf_flow flow;
        char why[160];
        if (nf_flow_from_json(obj, &flow, why, sizeof why) != 0) {
            nf_reject(&ctx->rej, name, in.lineno, in.buf, in.len, "%s", why);
            cJSON_Delete(obj);
            continue;
        }
        emit_flow_begin(ctx, &flow);
        nf_jw_passthrough(&ctx->out, obj, nf_flow_keys, nf_flow_nkeys);
        emit_flow_end(ctx);
        cJSON_Delete(obj);
    }
    nf_lines_free(&in);
}
