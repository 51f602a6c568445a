#!/usr/bin/env bats
# nf-parse on nfdump -o csv output: the three real files in ../shared and
# the shipped copy in data/, counts, spot values and nfdump's edge cases.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NFCSV=$SHARED/nfdump-csv

# Each file is parsed once; the spot-value tests read the saved output.
setup_file() {
    nf-parse "$DATA/ctu-test1-malicious.nfdump.csv" >"$BATS_FILE_TMPDIR/ctu.ndjson"
    if [ -d "$SHARED" ]; then
        nf-parse "$NFCSV/cesnet-ipfixcol2-example.nfdump.csv" >"$BATS_FILE_TMPDIR/cesnet.ndjson"
        nf-parse "$NFCSV/pmacct-swisscom-routers.nfdump.csv" >"$BATS_FILE_TMPDIR/pmacct.ndjson"
    fi
}

# Prints record N (1-based) of saved output NAME (ctu, cesnet, pmacct), or of
# the last run's output when NAME is not given.
rec() {
    if [ $# -gt 1 ]; then sed -n "${1}p" "$BATS_FILE_TMPDIR/$2.ndjson"; else printf '%s\n' "$output" | sed -n "${1}p"; fi
}
# has N NAME FRAGMENT...: fails unless record N of NAME contains every "KEY":value fragment.
has() {
    local n=$1 name=$2 r
    shift 2
    r=$(rec "$n" "$name")
    for frag in "$@"; do
        [[ $r == *"$frag"* ]] || { echo "record $n lacks $frag: $r"; return 1; }
    done
}

@test "nfdump CSV: the CTU port scan file gives exactly 4,593 flows and no complaints" {
    require_shared
    run --separate-stderr nf-parse "$NFCSV/slips-ctu-test1-malicious.nfdump.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 4593 ]
    [ -z "$stderr" ]
}

@test "nfdump CSV: the CESNET file gives exactly 3,979 flows" {
    require_shared
    run --separate-stderr nf-parse "$NFCSV/cesnet-ipfixcol2-example.nfdump.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3979 ]
    [ -z "$stderr" ]
}

@test "nfdump CSV: the pmacct file gives exactly 3,039 flows, underflowed td rows included" {
    require_shared
    run --separate-stderr nf-parse "$NFCSV/pmacct-swisscom-routers.nfdump.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3039 ]
    [ -z "$stderr" ]
}

@test "nfdump CSV: the shipped copy in data/ parses without ../shared" {
    run --separate-stderr nf-parse "$DATA/ctu-test1-malicious.nfdump.csv"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 4593 ]
}

@test "nfdump CSV: flag string ...A.R.. is ACK|RST (20), times in epoch ms, counters and AS kept" {
    has 2 ctu '"ID":2,' '"IP_SRC_ADDR":"147.32.82.62"' '"IP_DST_ADDR":"147.32.80.119"' \
        '"L4_SRC_PORT":902,' '"L4_DST_PORT":52324,' '"PROTOCOL_NUM":6,' '"TCP_FLAGS":20,' \
        '"FIRST_SWITCHED":1515771450000,' '"LAST_SWITCHED":1515771450000,' \
        '"FLOW_DURATION_MILLISECONDS":0,' '"IN_PKTS":1,' '"IN_BYTES":40,' '"OUT_PKTS":0,' \
        '"FLOWS":1,' '"SRC_AS":2852,' '"DST_AS":2852,' '"EXPORTER_IP":"147.32.82.62"'
    has 1 ctu '"TCP_FLAGS":2,'
}

@test "nfdump CSV: tr of 1970-01-01 gives no EXPORT_TIME, nh 0.0.0.0 gives no NEXT_HOP" {
    [[ $(rec 1 ctu) == '{"ID":1,'* ]]
    [[ $(rec 1 ctu) != *EXPORT_TIME* ]]
    [[ $(rec 1 ctu) != *NEXT_HOP* ]]
}

@test "nfdump CSV: the key order is the record contract's" {
    keys=$(rec 1 ctu | grep -o '"[A-Z0-9_]*":' | tr -d '":' | tr '\n' ' ')
    [ "$keys" = "ID IP_SRC_ADDR IP_DST_ADDR L4_SRC_PORT L4_DST_PORT PROTOCOL_NUM TCP_FLAGS FIRST_SWITCHED LAST_SWITCHED FLOW_DURATION_MILLISECONDS IN_PKTS IN_BYTES OUT_PKTS OUT_BYTES FLOWS SRC_TOS DST_TOS INPUT_SNMP OUTPUT_SNMP SRC_AS DST_AS SRC_MASK DST_MASK DIRECTION EXPORTER_IP " ]
}

@test "nfdump CSV: CE.AP.SF is CWR|ECE|ACK|PSH|SYN|FIN (219), td gives the duration in ms" {
    require_shared
    has 740 cesnet '"IP_SRC_ADDR":"2.76.222.116"' '"L4_DST_PORT":80,' '"TCP_FLAGS":219,' \
        '"FIRST_SWITCHED":1438603883000,' '"FLOW_DURATION_MILLISECONDS":3062,' \
        '"IN_PKTS":10,' '"IN_BYTES":742,' '"SRC_TOS":2,'
}

@test "nfdump CSV: IPv6 addresses come out in RFC 5952 form; protocol IPv6 is 41" {
    require_shared
    has 295 cesnet '"IP_SRC_ADDR":"df01:38ef:ff01:dc:ffff:ffff:ffff:ff13"' \
        '"IP_DST_ADDR":"df01:401f:d6:ff01:ff00:ff00:ff:ff29"' '"L4_SRC_PORT":443,' \
        '"FLOW_DURATION_MILLISECONDS":60141,'
    has 415 cesnet '"PROTOCOL_NUM":41,'
}

@test "nfdump CSV: te before ts keeps the flow with duration 0 and the IPv4-compatible ::192.0.2.13" {
    require_shared
    has 3039 pmacct '"ID":3039,' '"IP_SRC_ADDR":"::192.0.2.13"' '"IP_DST_ADDR":"::192.0.2.12"' \
        '"L4_SRC_PORT":1111,' '"L4_DST_PORT":2222,' '"PROTOCOL_NUM":17,' \
        '"FIRST_SWITCHED":1707146963000,' '"LAST_SWITCHED":1707146903000,' \
        '"FLOW_DURATION_MILLISECONDS":0,' '"IN_PKTS":600,' '"IN_BYTES":134400,' \
        '"SRC_MASK":128,' '"DST_MASK":64,' '"INPUT_SNMP":87,' '"OUTPUT_SNMP":155,'
}

@test "nfdump CSV: the 16 rows timed 1970-01-01 00:00:00 get null times, ICMP6 is 58" {
    require_shared
    [ "$(grep -c '"FIRST_SWITCHED":null,"LAST_SWITCHED":null,' "$BATS_FILE_TMPDIR/pmacct.ndjson")" -eq 16 ]
    has 99 pmacct '"IP_SRC_ADDR":"fe80::fa53:29ff:fe3a:3152"' '"PROTOCOL_NUM":58,' \
        '"FIRST_SWITCHED":null,' '"FLOW_DURATION_MILLISECONDS":0,' '"IN_BYTES":72,'
}

@test "nfdump CSV: next hop, direction, 32-bit AS and export time are kept" {
    require_shared
    has 1 pmacct '"FIRST_SWITCHED":1677577561000,' '"LAST_SWITCHED":1677577572000,' \
        '"FLOW_DURATION_MILLISECONDS":11264,' '"SRC_TOS":184,' '"SRC_AS":4294967295,' \
        '"NEXT_HOP":"138.187.10.46"' '"DIRECTION":255,' '"EXPORTER_IP":"127.0.0.1"' \
        '"EXPORT_TIME":1795376299923}'
}

@test "nfdump CSV: --tz Europe/Prague moves January times back by one hour" {
    run nf-parse --tz Europe/Prague "$DATA/ctu-test1-malicious.nfdump.csv"
    [ "$status" -eq 0 ]
    [[ $(rec 2) == *'"FIRST_SWITCHED":1515767850000,'* ]]
}

@test "nfdump CSV: the Summary block is neither a flow nor an error, and a second table after it is read" {
    f=$DATA/ctu-test1-malicious.nfdump.csv
    run --separate-stderr bash -c "cat '$f' '$f' | nf-parse"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 9186 ]
    [ -z "$stderr" ]
    [[ $(rec 4594) == '{"ID":4594,"IP_SRC_ADDR":"147.32.80.119",'* ]]
}

@test "nfdump CSV: a header without sa is refused naming the column" {
    printf 'ts,te,td,da,sp,dp,pr,ipkt,ibyt\n' >"$BATS_TEST_TMPDIR/x.csv"
    run nf-parse --format nfdump "$BATS_TEST_TMPDIR/x.csv"
    [ "$status" -eq 1 ]
    [[ $output == *"x.csv:1: nfdump CSV header lacks the column 'sa'"* ]]
}

@test "nfdump CSV: a trimmed layout with only the needed columns works" {
    printf 'ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n2018-01-12 15:37:30,2018-01-12 15:37:31,1.5,10.0.0.1,10.0.0.2,1,2,udp,3,300\n' \
        >"$BATS_TEST_TMPDIR/x.csv"
    run nf-parse "$BATS_TEST_TMPDIR/x.csv"
    [ "$status" -eq 0 ]
    [ "$output" = '{"ID":1,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":17,"TCP_FLAGS":0,"FIRST_SWITCHED":1515771450000,"LAST_SWITCHED":1515771451000,"FLOW_DURATION_MILLISECONDS":1500,"IN_PKTS":3,"IN_BYTES":300,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}' ]
}

# Sums IN_BYTES and IN_PKTS of a saved output: "flows bytes packets".
totals() {
    grep -o '"IN_PKTS":[0-9]*,"IN_BYTES":[0-9]*' "$BATS_FILE_TMPDIR/$1.ndjson" | tr -c '0-9\n' ' ' |
        awk '{ p += $1; b += $2 } END { print NR, b, p }'
}

@test "nfdump CSV: flow, byte and packet totals equal nfdump's own Summary row, for all three files" {
    require_shared
    [ "$(totals ctu)" = "4593 241025 4652" ]
    [ "$(totals cesnet)" = "3979 49001404 56695" ]
    [ "$(totals pmacct)" = "3039 223642422 1211675" ]
    # and the Summary rows say so
    [ "$(tail -1 "$NFCSV/slips-ctu-test1-malicious.nfdump.csv" | cut -d, -f1-3)" = "4593,241025,4652" ]
    [ "$(tail -1 "$NFCSV/pmacct-swisscom-routers.nfdump.csv" | cut -d, -f1-3)" = "3039,223642422,1211675" ]
}

@test "nfdump CSV: headerless output (nfdump -q) is detected and read with the standard 48 columns" {
    sed 1d "$DATA/ctu-test1-malicious.nfdump.csv" >"$BATS_TEST_TMPDIR/q.csv"
    run nf-parse "$BATS_TEST_TMPDIR/q.csv"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | md5sum)" = "$(md5sum <"$BATS_FILE_TMPDIR/ctu.ndjson")" ]
}

@test "nfdump CSV: nfdump -q -r on the shipped nfcapd piped into nf-parse gives the same records as the CSV" {
    require_shared
    require_cmd nfdump
    nfdump -q -r "$NFCSV/slips-ctu-test1-malicious.nfcapd" -o csv | nf-parse | cmp - "$BATS_FILE_TMPDIR/ctu.ndjson"
}
