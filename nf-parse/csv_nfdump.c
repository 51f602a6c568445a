/*
 * csv_nfdump.c - nfdump's "-o csv" output (ts,te,td,sa,da,... 48 columns).
 * Columns are found by header name, so older or trimmed layouts work as
 * long as the columns a flow needs are there. What nfdump does that needs
 * care (see docs/nf-parse.md):
 *   - times are wall-clock text in the zone nfdump ran in (--tz), seconds
 *     only; td carries milliseconds, so the duration comes from td;
 *   - "1970-01-01 00:00:00" (epoch 0 in that zone) means no timestamp;
 *   - nfdump -q prints no header: 48 columns are taken as its layout;
 *   - te before ts makes nfdump print td as an unsigned underflow
 *     (18446744073709492.000): the flow is kept with duration 0;
 *   - the file ends with "Summary", a header "flows,bytes,..." and one
 *     row: not flows, not errors. A new ts,te,... header after it starts
 *     a further table (files concatenated with cat).
 */
#include "parse.h"

#include "csv_fields.h"
#include "csv_reader.h"
#include "csv_text.h"

#include <stdlib.h>
#include <string.h>

enum col {
    C_TS, C_TE, C_TD, C_SA, C_DA, C_SP, C_DP, C_PR, C_FLG, C_STOS, C_DTOS,
    C_IPKT, C_IBYT, C_OPKT, C_OBYT, C_IN, C_OUT, C_SAS, C_DAS, C_SMK, C_DMK,
    C_DIR, C_NH, C_RA, C_TR, C_FL, C_NCOLS
};

static const char *const col_names[C_NCOLS] = {
    "ts", "te", "td", "sa", "da", "sp", "dp", "pr", "flg", "stos", "dtos",
    "ipkt", "ibyt", "opkt", "obyt", "in", "out", "sas", "das", "smk", "dmk",
    "dir", "nh", "ra", "tr", "fl",
};

/* Columns without which a row is not a flow. */
static const int required[] = {C_TS, C_TE, C_TD, C_SA, C_DA, C_SP, C_DP, C_PR, C_IPKT, C_IBYT};

enum state { WANT_HEADER, IN_DATA, SUMMARY_HEADER, SUMMARY_ROW, AFTER_SUMMARY };

struct nfdump {
    struct parse_ctx *ctx;
    const char *name;
    enum state state;
    int idx[C_NCOLS];  /* field index of each column, -1 when absent */
    size_t ncols;      /* fields in the header */
    struct csv_keep keep; /* only the columns above are copied out of libcsv */
    uint64_t header_line;
    struct time_cache ts_cache, te_cache, tr_cache;
    char ra_text[NF_ADDR_STRLEN + 1]; /* the exporter rarely changes: last ra parsed */
    struct nf_addr ra;
};

/* nfdump 1.6/1.7 -o csv columns, for output without its header (nfdump -q). */
static const char *const standard_header[] = {
    "ts", "te", "td", "sa", "da", "sp", "dp", "pr", "flg", "fwd", "stos", "ipkt", "ibyt",
    "opkt", "obyt", "in", "out", "sas", "das", "smk", "dmk", "dtos", "dir", "nh", "nhb",
    "svln", "dvln", "ismc", "odmc", "idmc", "osmc", "mpls1", "mpls2", "mpls3", "mpls4",
    "mpls5", "mpls6", "mpls7", "mpls8", "mpls9", "mpls10", "cl", "sl", "al", "ra", "eng",
    "exid", "tr",
};
#define STANDARD_COLUMNS (sizeof standard_header / sizeof standard_header[0])

static int is_header(const struct csv_row *row)
{
    return row->n >= 3 && strcmp(row->field[0], "ts") == 0 && strcmp(row->field[1], "te") == 0;
}

static void take_header(struct nfdump *p, const struct csv_row *row)
{
    size_t c;
    int missing = fld_header_columns(row->field, row->n, col_names, C_NCOLS, required,
                                     sizeof required / sizeof required[0], p->idx);
    if (missing >= 0)
        nf_die("%s:%llu: nfdump CSV header lacks the column '%s'", p->name,
               (unsigned long long)p->header_line, col_names[missing]);
    p->keep.n = 0;
    p->ncols = row->n;
    p->state = IN_DATA;
    p->keep.col = nf_xrealloc(p->keep.col, row->n);
    memset(p->keep.col, 0, row->n);
    for (c = 0; c < C_NCOLS; c++)
        if (p->idx[c] >= 0)
            p->keep.col[p->idx[c]] = 1;
    p->keep.n = row->n;
}

static int header_again(void *arg, const struct csv_row *row)
{
    take_header(arg, row);
    return 1;
}

/*
 * A header row while unneeded columns are being dropped (a second table
 * after a Summary): its names are incomplete, so read its bytes again.
 */
static void reread_header(struct nfdump *p, const struct csv_row *row)
{
    FILE *m = fmemopen((void *)row->raw, row->raw_len, "r");
    if (!m)
        nf_die("out of memory");
    p->keep.n = 0;
    csv_read(m, p->name, header_again, p, NULL);
    fclose(m);
}

#define REJECT(...)                                                             \
    do {                                                                        \
        nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,    \
                  __VA_ARGS__);                                                 \
        return;                                                                 \
    } while (0)

/* A counter or number column into *out; rejects the row on bad text. */
#define NUM(col, max, out)                                                      \
    do {                                                                        \
        uint64_t v_;                                                            \
        int i_ = p->idx[col];                                                   \
        if (fld_u64(row->field[i_], row->len[i_], (max), &v_) != 0)              \
            REJECT("%s: not a number up to %llu ('%.80s')", col_names[col],        \
                   (unsigned long long)(max), row->field[i_]);                  \
        (out) = v_;                                                             \
    } while (0)

/* An optional column: sets the present bit when the header has it. */
#define OPT_NUM(col, max, out, bit)                                             \
    do {                                                                        \
        if (p->idx[col] >= 0) {                                                 \
            NUM(col, max, out);                                                 \
            f.present |= (bit);                                                 \
        }                                                                       \
    } while (0)

#define FIELD(col) row->field[p->idx[col]]
#define FLEN(col) row->len[p->idx[col]]

static int no_addr(const char *s)
{
    return strcmp(s, "0.0.0.0") == 0 || strcmp(s, "::") == 0 || s[0] == '\0';
}

/*
 * nfdump's "no time" is the epoch printed in its own zone: the text itself,
 * whatever --tz makes of it (Europe/Prague would read it as -3600000).
 */
static int no_time(const char *s, size_t n)
{
    static const char epoch[] = "1970-01-01 00:00:00";
    return n >= sizeof epoch - 1 && memcmp(s, epoch, sizeof epoch - 1) == 0;
}

static void take_flow(struct nfdump *p, const struct csv_row *row)
{
    struct nf_flow f;
    struct nf_tz *tz = &p->ctx->tz;
    int64_t ts, te;
    int flags, proto;
    if (row->n != p->ncols)
        REJECT("expected %zu fields as in the header, found %zu", p->ncols, row->n);
    memset(&f, 0, sizeof f);
    if (fld_time(&p->ts_cache, FIELD(C_TS), FLEN(C_TS), tz, &ts) != 0)
        REJECT("ts: not a time ('%.80s')", FIELD(C_TS));
    if (fld_time(&p->te_cache, FIELD(C_TE), FLEN(C_TE), tz, &te) != 0)
        REJECT("te: not a time ('%.80s')", FIELD(C_TE));
    if (!no_time(FIELD(C_TS), FLEN(C_TS)) && !no_time(FIELD(C_TE), FLEN(C_TE))) {
        f.has_time = 1;
        f.first_ms = ts;
        f.last_ms = te;
        if (te >= ts) {
            /*
             * te before ts within the same second still prints equal
             * times; nfdump's unsigned td then underflows to ~1.8e16 s.
             */
            int rc = fld_seconds_ms(FIELD(C_TD), FLEN(C_TD), &f.duration_ms);
            if (rc == -2 || (rc == 0 && f.duration_ms > (uint64_t)INT64_MAX))
                f.duration_ms = 0;
            else if (rc != 0)
                REJECT("td: not a duration in seconds ('%.80s')", FIELD(C_TD));
        }
    }
    if (nf_addr_parse(FIELD(C_SA), FLEN(C_SA), &f.src) != 0)
        REJECT("sa: not an IPv4 or IPv6 address ('%.80s')", FIELD(C_SA));
    if (nf_addr_parse(FIELD(C_DA), FLEN(C_DA), &f.dst) != 0)
        REJECT("da: not an IPv4 or IPv6 address ('%.80s')", FIELD(C_DA));
    NUM(C_SP, 65535, f.src_port);
    NUM(C_DP, 65535, f.dst_port);
    proto = fld_protocol(FIELD(C_PR), FLEN(C_PR));
    if (proto < 0)
        REJECT("pr: unknown protocol ('%.80s')", FIELD(C_PR));
    f.proto = (uint8_t)proto;
    if (p->idx[C_FLG] >= 0) {
        flags = fld_tcp_flags(FIELD(C_FLG), FLEN(C_FLG));
        if (flags < 0)
            REJECT("flg: not an nfdump flag string like ...A.R.. ('%.80s')", FIELD(C_FLG));
        f.tcp_flags = (uint16_t)flags;
    }
    NUM(C_IPKT, UINT64_MAX, f.in_pkts);
    NUM(C_IBYT, UINT64_MAX, f.in_bytes);
    if (p->idx[C_OPKT] >= 0)
        NUM(C_OPKT, UINT64_MAX, f.out_pkts);
    if (p->idx[C_OBYT] >= 0)
        NUM(C_OBYT, UINT64_MAX, f.out_bytes);
    f.flows = 1;
    if (p->idx[C_FL] >= 0)
        NUM(C_FL, UINT64_MAX, f.flows);
    OPT_NUM(C_STOS, 255, f.src_tos, NF_HAS_SRC_TOS);
    OPT_NUM(C_DTOS, 255, f.dst_tos, NF_HAS_DST_TOS);
    OPT_NUM(C_IN, UINT32_MAX, f.input_snmp, NF_HAS_INPUT_SNMP);
    OPT_NUM(C_OUT, UINT32_MAX, f.output_snmp, NF_HAS_OUTPUT_SNMP);
    OPT_NUM(C_SAS, UINT32_MAX, f.src_as, NF_HAS_SRC_AS);
    OPT_NUM(C_DAS, UINT32_MAX, f.dst_as, NF_HAS_DST_AS);
    OPT_NUM(C_SMK, 128, f.src_mask, NF_HAS_SRC_MASK);
    OPT_NUM(C_DMK, 128, f.dst_mask, NF_HAS_DST_MASK);
    if (p->idx[C_NH] >= 0 && !no_addr(FIELD(C_NH))) {
        if (nf_addr_parse(FIELD(C_NH), FLEN(C_NH), &f.next_hop) != 0)
            REJECT("nh: not an IPv4 or IPv6 address ('%.80s')", FIELD(C_NH));
        f.present |= NF_HAS_NEXT_HOP;
    }
    OPT_NUM(C_DIR, 255, f.direction, NF_HAS_DIRECTION);
    if (p->idx[C_RA] >= 0 && !no_addr(FIELD(C_RA))) {
        if (strcmp(FIELD(C_RA), p->ra_text) != 0) {
            if (nf_addr_parse(FIELD(C_RA), FLEN(C_RA), &p->ra) != 0 ||
                FLEN(C_RA) >= sizeof p->ra_text) {
                p->ra_text[0] = '\0';
                REJECT("ra: not an IPv4 or IPv6 address ('%.80s')", FIELD(C_RA));
            }
            memcpy(p->ra_text, FIELD(C_RA), FLEN(C_RA) + 1);
        }
        f.exporter = p->ra;
        f.present |= NF_HAS_EXPORTER;
    }
    if (p->idx[C_TR] >= 0) {
        int64_t tr;
        if (fld_time(&p->tr_cache, FIELD(C_TR), FLEN(C_TR), tz, &tr) != 0)
            REJECT("tr: not a time ('%.80s')", FIELD(C_TR));
        if (!no_time(FIELD(C_TR), FLEN(C_TR))) {
            f.export_ms = tr;
            f.present |= NF_HAS_EXPORT_TIME;
        }
    }
    parse_emit(p->ctx, &f);
}

static int on_row(void *arg, const struct csv_row *row)
{
    struct nfdump *p = arg;
    if (is_header(row)) {
        p->header_line = row->line;
        if (p->keep.n > 0)
            reread_header(p, row);
        else
            take_header(p, row);
        return 0;
    }
    switch (p->state) {
    case WANT_HEADER:
        if (row->n == STANDARD_COLUMNS) {
            /* nfdump -q: no header, the standard layout */
            struct csv_row h = *row;
            size_t lens[STANDARD_COLUMNS], i;
            for (i = 0; i < STANDARD_COLUMNS; i++)
                lens[i] = strlen(standard_header[i]);
            h.field = standard_header;
            h.len = lens;
            p->header_line = row->line;
            take_header(p, &h);
            take_flow(p, row);
            break;
        }
        nf_die("%s:%llu: not an nfdump CSV header (expected ts,te,td,sa,da,... or 48 columns)", p->name,
               (unsigned long long)row->line);
    case IN_DATA:
        if (row->n == 1 && strcmp(row->field[0], "Summary") == 0)
            p->state = SUMMARY_HEADER;
        else
            take_flow(p, row);
        break;
    case SUMMARY_HEADER:
        p->state = row->n > 0 && strcmp(row->field[0], "flows") == 0 ? SUMMARY_ROW : AFTER_SUMMARY;
        if (p->state == SUMMARY_ROW)
            break;
        /* fall through */
    case AFTER_SUMMARY:
        nf_reject(&p->ctx->rej, p->name, row->line, row->raw, row->raw_len,
                  "row after nfdump's Summary block");
        break;
    case SUMMARY_ROW:
        p->state = AFTER_SUMMARY;
        break;
    }
    return 0;
}

void parse_nfdump_csv(struct parse_ctx *ctx, FILE *f, const char *name)
{
    struct nfdump p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.name = name;
    p.state = WANT_HEADER;
    csv_read(f, name, on_row, &p, &p.keep);
    free(p.keep.col);
}
