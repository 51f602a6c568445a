/* A flow record written by the writer reads back to the same struct. */
#include "../flow.h"
#include "tap.h"

#include <stdlib.h>

/* nf_flow_from_json of a minimal record whose IN_BYTES is the JSON number text `bytes`. */
static int read_in_bytes(const char *bytes, struct nf_flow *g, char *why, size_t whylen)
{
    char text[512];
    cJSON *obj;
    int rc;
    snprintf(text, sizeof text,
             "{\"IP_SRC_ADDR\":\"10.0.0.1\",\"IP_DST_ADDR\":\"10.0.0.2\",\"L4_SRC_PORT\":1,"
             "\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":null,\"LAST_SWITCHED\":null,"
             "\"IN_PKTS\":1,\"IN_BYTES\":%s}", bytes);
    obj = cJSON_Parse(text);
    rc = obj ? nf_flow_from_json(obj, g, why, whylen) : -2;
    cJSON_Delete(obj);
    return rc;
}

/* The same record through the checked, escaping calls: what the in-place writer must equal. */
static void write_checked(struct nf_jw *w, const struct nf_flow *f)
{
    char a[NF_ADDR_STRLEN];
    uint32_t has = f->present;
#define ADDR(key, x) (nf_addr_format((x), a) ? nf_jw_str(w, key, a) : nf_jw_null(w, key))
#define TIME(key, x) (f->has_time ? nf_jw_i64(w, key, (x)) : nf_jw_null(w, key))
    nf_jw_u64(w, "ID", f->id);
    ADDR("IP_SRC_ADDR", &f->src);
    ADDR("IP_DST_ADDR", &f->dst);
    nf_jw_u64(w, "L4_SRC_PORT", f->src_port);
    nf_jw_u64(w, "L4_DST_PORT", f->dst_port);
    nf_jw_u64(w, "PROTOCOL_NUM", f->proto);
    nf_jw_u64(w, "TCP_FLAGS", f->tcp_flags);
    TIME("FIRST_SWITCHED", f->first_ms);
    TIME("LAST_SWITCHED", f->last_ms);
    nf_jw_u64(w, "FLOW_DURATION_MILLISECONDS", f->duration_ms);
    nf_jw_u64(w, "IN_PKTS", f->in_pkts);
    nf_jw_u64(w, "IN_BYTES", f->in_bytes);
    nf_jw_u64(w, "OUT_PKTS", f->out_pkts);
    nf_jw_u64(w, "OUT_BYTES", f->out_bytes);
    nf_jw_u64(w, "FLOWS", f->flows);
    if (has & NF_HAS_SRC_TOS) nf_jw_u64(w, "SRC_TOS", f->src_tos);
    if (has & NF_HAS_DST_TOS) nf_jw_u64(w, "DST_TOS", f->dst_tos);
    if (has & NF_HAS_INPUT_SNMP) nf_jw_u64(w, "INPUT_SNMP", f->input_snmp);
    if (has & NF_HAS_OUTPUT_SNMP) nf_jw_u64(w, "OUTPUT_SNMP", f->output_snmp);
    if (has & NF_HAS_SRC_AS) nf_jw_u64(w, "SRC_AS", f->src_as);
    if (has & NF_HAS_DST_AS) nf_jw_u64(w, "DST_AS", f->dst_as);
    if (has & NF_HAS_SRC_MASK) nf_jw_u64(w, "SRC_MASK", f->src_mask);
    if (has & NF_HAS_DST_MASK) nf_jw_u64(w, "DST_MASK", f->dst_mask);
    if (has & NF_HAS_NEXT_HOP) ADDR("NEXT_HOP", &f->next_hop);
    if (has & NF_HAS_DIRECTION) nf_jw_u64(w, "DIRECTION", f->direction);
    if (has & NF_HAS_EXPORTER) ADDR("EXPORTER_IP", &f->exporter);
    if (has & NF_HAS_DOMAIN) nf_jw_u64(w, "OBSERVATION_DOMAIN_ID", f->domain_id);
    if (has & NF_HAS_SAMPLING) nf_jw_u64(w, "SAMPLING_INTERVAL", f->sampling_interval);
    if (has & NF_HAS_EXPORT_TIME) nf_jw_i64(w, "EXPORT_TIME", f->export_ms);
#undef ADDR
#undef TIME
}

static uint64_t rnd64(void)
{
    uint64_t v = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
    /* a third of the values extreme or small, where digit counts change */
    switch (rand() % 6) {
    case 0: return UINT64_MAX - (uint64_t)(rand() % 3);
    case 1: return (uint64_t)(rand() % 120);
    default: return v >> (rand() % 64);
    }
}

static void random_addr(struct nf_addr *a)
{
    uint8_t b[16];
    int i;
    for (i = 0; i < 16; i++)
        b[i] = rand() % 3 == 0 ? 0 : (uint8_t)rand();
    switch (rand() % 3) {
    case 0: nf_addr_v6(a, b); break;
    case 1: memset(a, 0, sizeof *a); break; /* no family: written as null */
    default: nf_addr_v4(a, (uint32_t)rnd64());
    }
}

/*
 * 20,000 random records (every optional member present or not, extreme
 * numbers, IPv4, IPv6 and missing addresses), written after a member and
 * alone, byte for byte against the checked writer.
 */
static void in_place_equals_checked(void)
{
    int i, all = 1;
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    srand(5);
    for (i = 0; i < 20000 && all; i++) {
        struct nf_flow f;
        struct nf_jw wa, wb;
        FILE *fa = open_memstream(&a, &alen), *fb = open_memstream(&b, &blen);
        memset(&f, 0, sizeof f);
        f.id = rnd64();
        random_addr(&f.src);
        random_addr(&f.dst);
        random_addr(&f.next_hop);
        random_addr(&f.exporter);
        f.src_port = (uint16_t)rnd64();
        f.dst_port = (uint16_t)rnd64();
        f.proto = (uint8_t)rnd64();
        f.tcp_flags = (uint16_t)rnd64();
        f.has_time = rand() % 4 != 0;
        f.first_ms = (int64_t)rnd64();
        f.last_ms = (int64_t)rnd64();
        f.export_ms = (int64_t)rnd64();
        f.duration_ms = rnd64();
        f.in_pkts = rnd64(), f.in_bytes = rnd64(), f.out_pkts = rnd64(), f.out_bytes = rnd64();
        f.flows = rnd64();
        f.present = (uint32_t)rand() & ((NF_HAS_EXPORT_TIME << 1) - 1);
        f.src_tos = (uint8_t)rnd64(), f.dst_tos = (uint8_t)rnd64();
        f.src_mask = (uint8_t)rnd64(), f.dst_mask = (uint8_t)rnd64(), f.direction = (uint8_t)rnd64();
        f.input_snmp = (uint32_t)rnd64(), f.output_snmp = (uint32_t)rnd64();
        f.src_as = (uint32_t)rnd64(), f.dst_as = (uint32_t)rnd64(), f.domain_id = (uint32_t)rnd64();
        f.sampling_interval = rnd64();
        nf_jw_init(&wa, fa);
        nf_jw_init(&wb, fb);
        nf_jw_begin(&wa);
        nf_jw_begin(&wb);
        if (i % 2) {
            nf_jw_i64(&wa, "WINDOW_START", i);
            nf_jw_i64(&wb, "WINDOW_START", i);
        }
        nf_flow_write_members(&wa, &f);
        write_checked(&wb, &f);
        nf_jw_end(&wa);
        nf_jw_end(&wb);
        nf_jw_free(&wa);
        nf_jw_free(&wb);
        fclose(fa);
        fclose(fb);
        if (strcmp(a, b) != 0) {
            printf("# in place: %s# checked:  %s", a, b);
            all = 0;
        }
        free(a);
        free(b);
        a = b = NULL;
    }
    TAP_OK(all, "the in-place flow writer equals the checked writer on 20,000 random records");
}

int main(void)
{
    struct nf_flow f, g;
    char *text = NULL, why[128] = "";
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct nf_jw w;
    cJSON *obj;
    memset(&f, 0, sizeof f);
    f.id = 7;
    nf_addr_parse("10.8.0.69", 9, &f.src);
    nf_addr_parse("2001:db8::1", 11, &f.dst);
    f.src_port = 48427;
    f.dst_port = 53;
    f.proto = 17;
    f.tcp_flags = 0x12;
    f.has_time = 1;
    f.first_ms = 1554394980325LL;
    f.last_ms = 1554394980353LL;
    f.duration_ms = 28;
    f.in_pkts = 1;
    f.in_bytes = 63;
    f.out_pkts = 1;
    f.out_bytes = 79;
    f.flows = 1;
    f.present = NF_HAS_SRC_AS | NF_HAS_EXPORTER | NF_HAS_SAMPLING | NF_HAS_SRC_TOS;
    f.src_as = 3303;
    f.src_tos = 0x28;
    nf_addr_parse("138.187.1.1", 11, &f.exporter);
    f.sampling_interval = 1000;
    nf_jw_init(&w, mem);
    nf_flow_write(&w, &f);
    nf_jw_free(&w);
    fclose(mem);
    TAP_STR(text,
            "{\"ID\":7,\"IP_SRC_ADDR\":\"10.8.0.69\",\"IP_DST_ADDR\":\"2001:db8::1\",\"L4_SRC_PORT\":48427,"
            "\"L4_DST_PORT\":53,\"PROTOCOL_NUM\":17,\"TCP_FLAGS\":18,\"FIRST_SWITCHED\":1554394980325,"
            "\"LAST_SWITCHED\":1554394980353,\"FLOW_DURATION_MILLISECONDS\":28,\"IN_PKTS\":1,"
            "\"IN_BYTES\":63,\"OUT_PKTS\":1,\"OUT_BYTES\":79,\"FLOWS\":1,\"SRC_TOS\":40,\"SRC_AS\":3303,"
            "\"EXPORTER_IP\":\"138.187.1.1\",\"SAMPLING_INTERVAL\":1000}\n",
            "flow record keys come in the fixed order of docs/records.md");
    obj = cJSON_Parse(text);
    TAP_OK(obj && nf_flow_from_json(obj, &g, why, sizeof why) == 0, "the record validates (%s)", why);
    TAP_OK(g.id == 7 && g.src_port == 48427 && g.proto == 17 && g.first_ms == f.first_ms &&
               g.in_bytes == 63 && g.out_bytes == 79 && g.src_as == 3303 && g.src_tos == 0x28 &&
               g.sampling_interval == 1000 && nf_addr_equal(&g.dst, &f.dst) &&
               nf_addr_equal(&g.exporter, &f.exporter) && g.present == f.present,
           "every field reads back unchanged");
    cJSON_Delete(obj);
    obj = cJSON_Parse("{\"IP_SRC_ADDR\":\"10.0.0.1\",\"IP_DST_ADDR\":\"10.0.0.2\",\"L4_SRC_PORT\":1,"
                      "\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":null,\"LAST_SWITCHED\":null,"
                      "\"IN_PKTS\":-1,\"IN_BYTES\":3}");
    TAP_OK(obj && nf_flow_from_json(obj, &g, why, sizeof why) != 0 &&
               strstr(why, "IN_PKTS") != NULL, "a negative counter is refused, naming the key (%s)", why);
    cJSON_Delete(obj);
    obj = cJSON_Parse("{\"IP_SRC_ADDR\":\"10.0.0.1\",\"IP_DST_ADDR\":\"10.0.0.2\",\"L4_SRC_PORT\":1,"
                      "\"L4_DST_PORT\":2,\"PROTOCOL_NUM\":6,\"FIRST_SWITCHED\":null,\"LAST_SWITCHED\":null,"
                      "\"IN_PKTS\":1,\"IN_BYTES\":3}");
    TAP_OK(obj && nf_flow_from_json(obj, &g, why, sizeof why) == 0 && !g.has_time && g.flows == 1,
           "null times mean 'no timestamp'; FLOWS defaults to 1");
    cJSON_Delete(obj);
    /* keys out of the contract's order, an unknown key between, a duplicate: the first one counts */
    obj = cJSON_Parse("{\"FLOWS\":3,\"IN_BYTES\":9,\"label\":\"x\",\"IN_PKTS\":2,\"LAST_SWITCHED\":2000,"
                      "\"FIRST_SWITCHED\":1000,\"PROTOCOL_NUM\":6,\"PROTOCOL_NUM\":17,\"L4_DST_PORT\":80,"
                      "\"L4_SRC_PORT\":1024,\"IP_DST_ADDR\":\"10.0.0.2\",\"IP_SRC_ADDR\":\"10.0.0.1\",\"SRC_AS\":7}");
    TAP_OK(obj && nf_flow_from_json(obj, &g, why, sizeof why) == 0 && g.flows == 3 && g.in_bytes == 9 &&
               g.in_pkts == 2 && g.first_ms == 1000 && g.last_ms == 2000 && g.proto == 6 &&
               g.dst_port == 80 && g.src_port == 1024 && g.src_as == 7 && g.present == NF_HAS_SRC_AS,
           "keys in any order are found; of duplicate keys the first counts");
    cJSON_Delete(obj);
    /* 2^64 is what cJSON makes of 18446744073709551616 (and of 18446744073709551615):
     * converting it to uint64_t was undefined (found by lib/fuzz/fuzz_rec) */
    TAP_OK(read_in_bytes("18446744073709551616", &g, why, sizeof why) != 0 && strstr(why, "IN_BYTES") != NULL,
           "a counter of 2^64 is refused, not wrapped (%s)", why);
    /* 2^53 + 1 reads as 2^53: refused, not rounded; 2^53 - 1 is exact */
    TAP_OK(read_in_bytes("9007199254740993", &g, why, sizeof why) != 0 &&
               strstr(why, "IN_BYTES: 2^53 (9007199254740992) or more") != NULL,
           "a counter of 2^53 + 1 is refused, not rounded (%s)", why);
    TAP_OK(read_in_bytes("9007199254740991", &g, why, sizeof why) == 0 && g.in_bytes == 9007199254740991ULL,
           "a counter of 2^53 - 1 is read exactly");
    free(text);
    in_place_equals_checked();
    return tap_done();
}
