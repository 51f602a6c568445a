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

/* Blank or only white space (with a possible '\r'). */
static int is_blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

void parse_ndjson(struct parse_ctx *ctx, FILE *f, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    uint64_t lineno = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t n = (size_t)got, len = n;
        struct nf_flow flow;
        char why[160];
        cJSON *obj;
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (is_blank(line, len))
            continue;
        if (nf_rec_has_nul(line, len)) {
            nf_reject(&ctx->rej, name, lineno, line, n, "%s", NF_REC_NUL_REASON);
            continue;
        }
        obj = cJSON_ParseWithLength(line, len);
        if (!obj || !cJSON_IsObject(obj)) {
            nf_reject(&ctx->rej, name, lineno, line, n, "not a JSON object");
            cJSON_Delete(obj);
            continue;
        }
        if (nf_flow_from_json(obj, &flow, why, sizeof why) != 0) {
            nf_reject(&ctx->rej, name, lineno, line, n, "%s", why);
            cJSON_Delete(obj);
            continue;
        }
        emit_flow_begin(ctx, &flow);
        nf_jw_passthrough(&ctx->out, obj, nf_flow_keys, nf_flow_nkeys);
        emit_flow_end(ctx);
        cJSON_Delete(obj);
    }
    free(line);
    if (ferror(f))
        nf_die("error reading %s: %s", name, strerror(errno));
}
