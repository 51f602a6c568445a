/* A flow record written by the writer reads back to the same struct. */
#include "../flow.h"
#include "tap.h"

#include <stdlib.h>

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
    free(text);
    return tap_done();
}
