#!/usr/bin/env bats
# nf-window's default run keeps every flow of every shared real export
# (../shared/data): each flow counted in a window, none late, none without
# a time; and the lateness measured on the export (tests/lateness.py, by
# brute force) is within the default --lateness of 2 hours.
load ../../tests/helpers

LATENESS="$BATS_TEST_DIRNAME/lateness.py"

# keeps_every_flow DIR [nf-parse options and files...]: parses in DIR, windows with defaults.
keeps_every_flow() {
    local dir=$1 t=$BATS_TEST_TMPDIR
    shift
    (cd "$dir" && nf-parse "$@" >"$t/flows" 2>/dev/null) || true
    [ -s "$t/flows" ] || { echo "no flows from $*"; return 1; }
    nf-window "$t/flows" >"$t/out" 2>"$t/err" || true
    for mode in "" "--flows"; do
        nf-window $mode "$t/flows" >"$t/out$mode" 2>"$t/err$mode" || true
        if grep -q 'late flows\|without a time\|no record written' "$t/err$mode"; then
            echo "$* $mode: $(cat "$t/err$mode")"
            return 1
        fi
    done
    local in out nflows
    in=$(grep -o '"FLOWS":[0-9]*' "$t/flows" | awk -F: '{ s += $2 } END { print s }')
    out=$(grep -o '"FLOWS":[0-9]*' "$t/out" | awk -F: '{ s += $2 } END { print s }')
    nflows=$(grep -c '' "$t/out--flows")
    if [ "$in" != "$out" ] || [ "$nflows" != "$(grep -c '' "$t/flows")" ]; then
        echo "$*: FLOWS in $in, in windows $out; flows $(grep -c '' "$t/flows"), --flows wrote $nflows"
        return 1
    fi
    local max
    max=$(/usr/bin/python3 "$LATENESS" <"$t/flows" | sed 's/.*max=//')
    echo "$*: $(/usr/bin/python3 "$LATENESS" <"$t/flows")"
    awk -v m="$max" 'BEGIN { exit !(m < 7200) }'
}

@test "CESNET IPFIX file and its wrapped pcap: all 3,979 flows in windows (flows up to 200 s late)" {
    require_shared
    run keeps_every_flow "$SHARED/cesnet-ipfix-file" example_flows.ipfix
    echo "$output"; [ "$status" -eq 0 ]
    [[ "$output" == *"flows=3979 "*"max=200.218"* ]]
    run keeps_every_flow "$SHARED/cesnet-ipfix-file" example_flows.wrapped-udp4739.pcap
    echo "$output"; [ "$status" -eq 0 ]
    # a lateness shorter than the export's loses flows, and the message says what to give
    nf-parse "$SHARED/cesnet-ipfix-file/example_flows.ipfix" >"$BATS_TEST_TMPDIR/c"
    run nf-window --lateness 60 "$BATS_TEST_TMPDIR/c"
    [ "$status" -eq 1 ]
    [[ "$output" == *"late flows"*"--lateness 201 counts them all"* ]]
}

@test "nfdump CSVs (CESNET, CTU, pmacct routers): every flow in a window" {
    require_shared
    for f in cesnet-ipfixcol2-example.nfdump.csv slips-ctu-test1-malicious.nfdump.csv \
             pmacct-swisscom-routers.nfdump.csv; do
        run keeps_every_flow "$SHARED/nfdump-csv" "$f"
        echo "$output"; [ "$status" -eq 0 ]
    done
    # the pmacct CSV joins 16 captures of 2023-2026: time goes back by years
    # 5 times (new runs), and up to 826 s inside a run (two captures interleaved)
    [[ "$output" == *"flows=3039 timeless=0 runs=6 "*"max=826"* ]]
}

@test "pmacct CSV with --tz Europe/Prague: every flow in a window (the issue's 2,930 late flows)" {
    require_shared
    run keeps_every_flow "$SHARED/nfdump-csv" --tz Europe/Prague pmacct-swisscom-routers.nfdump.csv
    echo "$output"; [ "$status" -eq 0 ]
}

@test "CTU Argus day: every one of the 6,751 flows in a window" {
    require_shared
    run keeps_every_flow "$SHARED/slips-ctu-argus-binetflow" test2-malicious.binetflow
    echo "$output"; [ "$status" -eq 0 ]
    [[ "$output" == *"flows=6751 "* ]]
}

@test "pmacct pcaps (Cisco IOS XR, Huawei): every flow of each in a window" {
    require_shared
    n=0
    for f in "$SHARED"/pmacct-nfv9-ipfix/*.pcap; do
        run keeps_every_flow "$SHARED/pmacct-nfv9-ipfix" "$(basename "$f")"
        echo "$output"; [ "$status" -eq 0 ]
        n=$((n + 1))
    done
    [ "$n" -ge 16 ]
}

@test "akvorado pcaps: every flow of each export (templates with their data) in a window" {
    require_shared
    while read -r files; do
        run keeps_every_flow "$SHARED/akvorado-netflow-pcaps" $files
        echo "$output"; [ "$status" -eq 0 ]
    done <<'EXPORTS'
data+templates.pcap
template.pcap data.pcap
datalink-template.pcap datalink-data.pcap
ethernet-over-mpls-with-control-word-template.pcap ethernet-over-mpls-with-control-word-data.pcap
icmp-template.pcap icmp-data.pcap
ipfix-srv6-template.pcap ipfix-srv6-data.pcap
ipfixprobe-templates.pcap ipfixprobe-data.pcap
juniper-cpid-template.pcap juniper-cpid-data.pcap
mpls.pcap
multiplesamplingrates-options-template.pcap multiplesamplingrates-options-data.pcap multiplesamplingrates-template.pcap multiplesamplingrates-data.pcap
nat.pcap
nfv5.pcap
physicalinterfaces.pcap
samplingrate-template.pcap samplingrate-data.pcap
EXPORTS
}

@test "logstash datagrams (about 30 device types): every flow of each export in a window" {
    require_shared
    # the exports with flows, as nf-parse/tests/netflow_shared.bats pins them
    sed -n '/^@test "logstash/,/^TABLE$/p' "$NF_TOP/nf-parse/tests/netflow_shared.bats" |
        grep '|' | awk -F'|' '$2 > 0 { print $1 }' >"$BATS_TEST_TMPDIR/exports"
    [ "$(grep -c '' "$BATS_TEST_TMPDIR/exports")" -ge 40 ]
    while read -r files; do
        run keeps_every_flow "$SHARED/logstash-netflow-payloads" --format datagram $files
        echo "$output"; [ "$status" -eq 0 ]
    done <"$BATS_TEST_TMPDIR/exports"
    # the latest flows of all: a Ubiquiti EdgeRouter exports TCP flows over an hour after they start
    run keeps_every_flow "$SHARED/logstash-netflow-payloads" --format datagram \
        netflow9_test_ubnt_edgerouter_tpl.dat netflow9_test_ubnt_edgerouter_data1024.dat \
        netflow9_test_ubnt_edgerouter_data1025.dat
    [[ "$output" == *"max=4546.07"* ]]
}
