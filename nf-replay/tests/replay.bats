#!/usr/bin/env bats
# nf-replay to a file: flow records through NetFlow v9 / IPFIX datagrams
# and back through nf-parse give the same flows; templates, sequence
# numbers, domain, datagram sizes and bad input as documented.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

# What a replay cannot keep: ID (renumbered), the exporter's address,
# domain and export time (the replayer's own), and format-specific keys
# (ARGUS_*), which NetFlow has no field for.
NORM='del(.ID, .EXPORTER_IP, .OBSERVATION_DOMAIN_ID, .EXPORT_TIME, .ARGUS_DIR, .ARGUS_STATE)'

# round_trip SOURCE PROTOCOL [JQ]: nf-parse SOURCE | nf-replay --write pcap | nf-parse,
# compared with SOURCE's records (JQ applied to the source side too).
round_trip() {
    local src=$1 proto=$2 extra=${3:-.}
    T=$BATS_TEST_TMPDIR
    nf-parse "$src" >"$T/a.ndjson" 2>/dev/null
    nf-replay --protocol "$proto" --write "$T/d.pcap" "$T/a.ndjson"
    nf-parse --stats "$T/d.pcap" >"$T/b.ndjson" 2>"$T/b.err"
    jq -c "$NORM | $extra" "$T/a.ndjson" >"$T/a.cmp"
    jq -c "$NORM" "$T/b.ndjson" >"$T/b.cmp"
    [ -s "$T/a.cmp" ]
    cmp "$T/a.cmp" "$T/b.cmp"
    grep -q '"lost_packets":0,"lost_records":0,"sequence_resets":0' "$T/b.err"
    grep -q '"rejected_datagrams":0' "$T/b.err"
}

# nfdump's td is kept as the duration; a datagram carries first and last only.
NFDUMP_DURATION='.FLOW_DURATION_MILLISECONDS = ([.LAST_SWITCHED - .FIRST_SWITCHED, 0] | max)'

@test "round trip: nfdump CSV through IPFIX gives the same flows (duration = last - first)" {
    round_trip "$DATA/ctu-test1-malicious.nfdump.csv" ipfix "$NFDUMP_DURATION"
    [ "$(grep -c '' "$T/b.ndjson")" -eq 4593 ]
}

@test "round trip: nfdump CSV through NetFlow v9 gives the same flows (duration = last - first)" {
    round_trip "$DATA/ctu-test1-malicious.nfdump.csv" v9 "$NFDUMP_DURATION"
    grep -q '"v9_packets":[1-9]' "$T/b.err"
}

@test "round trip: nfdump's td differs from last - first in 7 flows, and only there" {
    round_trip "$DATA/ctu-test1-malicious.nfdump.csv" ipfix "$NFDUMP_DURATION"
    jq -c "$NORM" "$T/a.ndjson" >"$T/a.raw"
    run cmp -s "$T/a.raw" "$T/b.cmp"
    [ "$status" -ne 0 ]
    [ "$(diff "$T/a.raw" "$T/b.cmp" | grep -c '^<')" -eq 7 ]
    [ "$(diff "$T/a.raw" "$T/b.cmp" | grep '^[<>]' | sed 's/^[<>] //; s/"FLOW_DURATION_MILLISECONDS":[0-9]*,//' | sort | uniq -u | grep -c '')" -eq 0 ]
}

@test "round trip: Argus bidirectional flows keep OUT_PKTS/OUT_BYTES and ms times, IPFIX and v9" {
    round_trip "$DATA/ctu-argus-24h.binetflow" ipfix
    [ "$(grep -c '"OUT_PKTS":0,' "$T/b.ndjson")" -lt "$(grep -c '' "$T/b.ndjson")" ]
    round_trip "$DATA/ctu-argus-24h.binetflow" v9
}

@test "round trip: CESNET IPFIX export with IPv6 flows, IPFIX and v9" {
    round_trip "$DATA/netflow/cesnet-example_flows.ipfix" ipfix
    [ "$(grep -c '"IP_SRC_ADDR":"[0-9a-f]*:' "$T/b.ndjson")" -eq 20 ]
    round_trip "$DATA/netflow/cesnet-example_flows.ipfix" v9
    [ "$(grep -c '"IP_SRC_ADDR":"[0-9a-f]*:' "$T/b.ndjson")" -eq 20 ]
}

@test "round trip: shared pmacct and nfdump samples (sampling, AS, masks, next hop)" {
    require_shared
    for f in "$SHARED"/pmacct-nfv9-ipfix/*.pcap; do
        [ "$(nf-parse "$f" 2>/dev/null | grep -c '')" -gt 0 ] || continue
        round_trip "$f" ipfix
        round_trip "$f" v9
    done
}

@test "--write-format ipfix: an RFC 5655 file nf-parse reads back to the same flows" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$T/a.ndjson"
    nf-replay --write-format ipfix --write "$T/d.ipfix" "$T/a.ndjson"
    nf-parse --format ipfix "$T/d.ipfix" | jq -c "$NORM" >"$T/b.cmp"
    jq -c "$NORM" "$T/a.ndjson" | cmp - "$T/b.cmp"
}

@test "the pcap is the same bytes on every run (frames stamped with the export time)" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$T/a.ndjson"
    nf-replay --write "$T/1.pcap" "$T/a.ndjson"
    nf-replay --write - <"$T/a.ndjson" >"$T/2.pcap"
    cmp "$T/1.pcap" "$T/2.pcap"
}

@test "IPFIX sequence numbers count data records: a lost datagram shows as its records" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-test1-malicious.nfdump.csv" | head -n 100 >"$T/a.ndjson"
    # 10 records a datagram; packet 1 holds the templates, packet 3 ten flows
    nf-replay --records 10 --max-size 65000 --write "$T/d.pcap" "$T/a.ndjson"
    python3 "$BATS_TEST_DIRNAME/pcap_tool.py" drop "$T/d.pcap" "$T/cut.pcap" 3
    nf-parse --stats "$T/cut.pcap" >"$T/b.ndjson" 2>"$T/b.err"
    [ "$(grep -c '' "$T/b.ndjson")" -eq 90 ]
    grep -q '"lost_packets":0,"lost_records":10,' "$T/b.err"
}

@test "v9 sequence numbers count export packets (templates too): a lost datagram is one packet" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-test1-malicious.nfdump.csv" | head -n 100 >"$T/a.ndjson"
    nf-replay --protocol v9 --records 10 --max-size 65000 --write "$T/d.pcap" "$T/a.ndjson"
    python3 "$BATS_TEST_DIRNAME/pcap_tool.py" drop "$T/d.pcap" "$T/cut.pcap" 3
    nf-parse --stats "$T/cut.pcap" >"$T/b.ndjson" 2>"$T/b.err"
    [ "$(grep -c '' "$T/b.ndjson")" -eq 90 ]
    grep -q '"lost_packets":1,"lost_records":0,' "$T/b.err"
}

@test "--records and --template-refresh: datagram and template counts as asked" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-test1-malicious.nfdump.csv" | head -n 1000 >"$T/a.ndjson"
    # one template (IPv4, times, no reverse counters); 1000 / 25 = 40 data datagrams,
    # templates first and again before data datagrams 11, 21, 31: 1 + 3
    run --separate-stderr nf-replay --records 25 --max-size 65000 --template-refresh 10 --stats --write "$T/d.pcap" "$T/a.ndjson"
    [ "$status" -eq 0 ]
    [[ $stderr == *'"flows":1000,"datagrams":44,"template_datagrams":4,"templates":1,'* ]]
    nf-parse --stats "$T/d.pcap" 2>&1 >/dev/null | grep -q '"ipfix_messages":44,.*"flows":1000,"templates":4,'
    [ "$(python3 "$BATS_TEST_DIRNAME/pcap_tool.py" sizes "$T/d.pcap" | sort -n | uniq -c | sort -rn | head -n 1 | awk '{print $1}')" -eq 40 ]
}

@test "--max-size: no datagram is larger than asked" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$T/a.ndjson"
    nf-replay --max-size 600 --write "$T/d.pcap" "$T/a.ndjson"
    max=$(python3 "$BATS_TEST_DIRNAME/pcap_tool.py" sizes "$T/d.pcap" | sort -n | tail -n 1)
    [ "$max" -le 600 ]
    [ "$max" -gt 500 ]
}

@test "--domain sets the observation domain the collector sees" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" | head -n 5 >"$T/a.ndjson"
    nf-replay --domain 4242 --protocol v9 --write "$T/d.pcap" "$T/a.ndjson"
    [ "$(nf-parse "$T/d.pcap" | grep -c '"OBSERVATION_DOMAIN_ID":4242,')" -eq 5 ]
}

@test "flows without times go out without time fields and come back with null times" {
    T=$BATS_TEST_TMPDIR
    printf '%s\n' '{"ID":1,"IP_SRC_ADDR":"192.0.2.1","IP_DST_ADDR":"192.0.2.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":17,"TCP_FLAGS":0,"FIRST_SWITCHED":null,"LAST_SWITCHED":null,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":3,"IN_BYTES":300,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":5,"EXPORT_TIME":1700000000000}' >"$T/a.ndjson"
    for p in v9 ipfix; do
        nf-replay -p $p -w "$T/d.pcap" "$T/a.ndjson"
        run nf-parse "$T/d.pcap"
        [[ $output == *'"FIRST_SWITCHED":null,"LAST_SWITCHED":null,'* ]]
        [[ $output == *'"FLOWS":5,'* ]]
        [[ $output == *'"EXPORT_TIME":1700000000000'* ]]
    done
}

@test "v9: a flow longer than 24.8 days has its start clipped, with a warning" {
    T=$BATS_TEST_TMPDIR
    printf '%s\n' '{"ID":1,"IP_SRC_ADDR":"192.0.2.1","IP_DST_ADDR":"192.0.2.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":17,"TCP_FLAGS":0,"FIRST_SWITCHED":1600000000000,"LAST_SWITCHED":1700000000000,"FLOW_DURATION_MILLISECONDS":100000000000,"IN_PKTS":3,"IN_BYTES":300,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}' >"$T/a.ndjson"
    run --separate-stderr nf-replay -p v9 -w "$T/d.pcap" "$T/a.ndjson"
    [ "$status" -eq 0 ]
    [[ $stderr == *"1 flow times not representable"* ]]
    run nf-parse "$T/d.pcap"
    [[ $output == *'"LAST_SWITCHED":1700000000000,'* ]]
    # IPFIX carries absolute times: nothing clipped
    run --separate-stderr nf-replay -p ipfix -w "$T/d.pcap" "$T/a.ndjson"
    [ -z "$stderr" ]
    run nf-parse "$T/d.pcap"
    [[ $output == *'"FIRST_SWITCHED":1600000000000,'* ]]
}

@test "v9: flows months apart in one input each keep their ms times" {
    T=$BATS_TEST_TMPDIR
    for t in 1500000000123 1700000000456 1500000000789; do
        printf '{"ID":1,"IP_SRC_ADDR":"192.0.2.1","IP_DST_ADDR":"192.0.2.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"TCP_FLAGS":2,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}\n' $t $t
    done >"$T/a.ndjson"
    nf-replay -p v9 -w "$T/d.pcap" "$T/a.ndjson"
    run nf-parse "$T/d.pcap"
    [ "$(printf '%s\n' "$output" | jq -r .FIRST_SWITCHED | tr '\n' ' ')" = "1500000000123 1700000000456 1500000000789 " ]
}

@test "bad records: file:line and reason, counted, --rejects keeps them, --strict exits 1" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" | head -n 3 >"$T/a.ndjson"
    { head -n 1 "$T/a.ndjson"; echo '{"ID":2,"IP_SRC_ADDR":"1.2.3.4"}'; echo 'garbage';
      sed 's/"IP_DST_ADDR":"[^"]*"/"IP_DST_ADDR":"2001:db8::1"/' "$T/a.ndjson" | sed -n 2p; tail -n 1 "$T/a.ndjson"; } >"$T/bad.ndjson"
    run --separate-stderr nf-replay --rejects "$T/rej" --write "$T/d.pcap" "$T/bad.ndjson"
    [ "$status" -eq 0 ]
    [[ $stderr == *"bad.ndjson:2: IP_DST_ADDR"* ]]
    [[ $stderr == *"bad.ndjson:3: "* ]]
    [[ $stderr == *"bad.ndjson:4: IP_SRC_ADDR and IP_DST_ADDR are of different address families"* ]]
    [[ $stderr == *"3 records skipped"* ]]
    [ "$(grep -c '' "$T/rej")" -eq 3 ]
    [ "$(nf-parse "$T/d.pcap" | grep -c '')" -eq 2 ]
    run --separate-stderr nf-replay --strict --write "$T/d.pcap" "$T/bad.ndjson"
    [ "$status" -eq 1 ]
}

@test "CSV given straight to nf-replay: the message says to go through nf-parse" {
    run --separate-stderr nf-replay --write /dev/null "$DATA/ctu-test1-malicious.nfdump.csv"
    [ "$status" -eq 0 ]
    [[ $stderr == *"convert other formats with nf-parse FILE | nf-replay"* ]]
}

@test "usage errors exit 2: nowhere to send, unknown protocol, v9 in an IPFIX file, bad --to" {
    run --separate-stderr nf-replay /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr == *"nowhere to send"* ]]
    run --separate-stderr nf-replay --protocol v5 -w /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr == *"unknown protocol 'v5'"* ]]
    run --separate-stderr nf-replay --protocol v9 --write-format ipfix -w /dev/null
    [ "$status" -eq 2 ]
    run --separate-stderr nf-replay --to 127.0.0.1:0 /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr == *"not a port number"* ]]
    run --separate-stderr nf-replay --to ::1:2055 /dev/null
    [ "$status" -eq 2 ]
    [[ $stderr == *"brackets"* ]]
    run --separate-stderr nf-replay --speed -1 -w /dev/null
    [ "$status" -eq 2 ]
    run --separate-stderr nf-replay --max-size 100 -w /dev/null
    [ "$status" -eq 2 ]
}

@test "--help and --version exit 0; empty input writes an empty pcap" {
    run nf-replay --help
    [ "$status" -eq 0 ]
    [[ $output == *"--speed X"* ]]
    run nf-replay --version
    [ "$status" -eq 0 ]
    [[ $output == *"nf-replay (nfshift)"* ]]
    T=$BATS_TEST_TMPDIR
    nf-replay -w "$T/e.pcap" </dev/null
    run nf-parse "$T/e.pcap"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}
