# What nf-window's bats files share: load with `load window_helpers` after
# tests/helpers. The CTU fixture flows, a flow record by hand, a window start.

FIX="$BATS_TEST_DIRNAME/fixtures"

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    FLOWS="$FIX/ctu-flows.ndjson"
}

# One flow record: flow SRC DST PROTO FIRST LAST INPKTS INBYTES [extra members]
flow() {
    local first=$4 last=$5
    printf '{"IP_SRC_ADDR":"%s","IP_DST_ADDR":"%s","L4_SRC_PORT":1000,"L4_DST_PORT":53,"PROTOCOL_NUM":%s,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"IN_PKTS":%s,"IN_BYTES":%s,"OUT_PKTS":1,"OUT_BYTES":100,"FLOWS":1%s}\n' \
        "$1" "$2" "$3" "$first" "$last" "$6" "$7" "${8:+,$8}"
}

T0=1554393600000 # 2019-04-04 16:00:00 UTC, a multiple of 300 s
