#!/usr/bin/env bats
# An independent collector: nfdump's nfcapd receives nf-replay's IPFIX and
# v9 on loopback with no sequence errors, and nfdump prints the same flows
# (addresses, ports, protocol, flags, start to the second as nfdump's CSV
# prints it, duration to the ms, packets, bytes).
load ../../tests/helpers
bats_require_minimum_version 1.5.0

# What nfdump's CSV keeps of a flow, as nf-parse reads it back.
PROJ='[.IP_SRC_ADDR, .IP_DST_ADDR, .L4_SRC_PORT, .L4_DST_PORT, .PROTOCOL_NUM, .TCP_FLAGS,
       ((.FIRST_SWITCHED / 1000) | floor), .FLOW_DURATION_MILLISECONDS, .IN_PKTS, .IN_BYTES] | @csv'

# nfdump CSV keeps its own td as the duration; a datagram carries first and last.
NFDUMP_DURATION='.FLOW_DURATION_MILLISECONDS = ([.LAST_SWITCHED - .FIRST_SWITCHED, 0] | max)'

# through_nfcapd SOURCE HOST JQ ARGS...: nf-parse SOURCE | nf-replay ARGS --to nfcapd,
# compared with SOURCE's flows (JQ applied to them first).
through_nfcapd() {
    local src=$1 host=$2 fix=$3 try
    shift 3
    T=$BATS_TEST_TMPDIR
    rm -rf "$T/cap"
    mkdir -p "$T/cap"
    for try in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 30000))
        nfcapd -b "${host//[\[\]]/}" -p "$PORT" -w "$T/cap" >"$T/nfcapd.log" 2>&1 &
        PID=$!
        for _ in $(seq 50); do
            grep -qi ":$(printf '%04X' "$PORT") " /proc/net/udp /proc/net/udp6 2>/dev/null && break 2
            sleep 0.1
        done
        kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true
    done
    nf-parse "$src" >"$T/a.ndjson" 2>/dev/null
    nf-replay --to "$host:$PORT" --speed 0 --rate 20000 "$@" "$T/a.ndjson"
    sleep 1
    kill -TERM "$PID"
    wait "$PID" || true
    grep -q "Flows: $(grep -c '' "$T/a.ndjson"), .*Sequence Errors: 0, Bad Packets: 0" "$T/nfcapd.log"
    nfdump -R "$T/cap" -o csv | nf-parse | jq -r "$PROJ" >"$T/b.csv"
    jq -r "$fix | $PROJ" "$T/a.ndjson" >"$T/a.csv"
    cmp "$T/a.csv" "$T/b.csv"
}

@test "nfcapd: Argus flows as IPFIX arrive whole, no sequence errors, same flows in nfdump" {
    require_cmd nfcapd
    through_nfcapd "$DATA/ctu-argus-24h.binetflow" 127.0.0.1 .
}

@test "nfcapd: nfdump flows as NetFlow v9 arrive whole, no sequence errors, same flows in nfdump" {
    require_cmd nfcapd
    through_nfcapd "$DATA/ctu-test1-malicious.nfdump.csv" 127.0.0.1 "$NFDUMP_DURATION" --protocol v9 --records 7
}

@test "nfcapd: CESNET flows (IPv6, ICMP type/code) in IPFIX and v9, template refresh every datagram" {
    require_cmd nfcapd
    through_nfcapd "$DATA/netflow/cesnet-example_flows.ipfix" 127.0.0.1 . --template-refresh 1
    [ "$(grep -c '^"[0-9a-f]*:' "$T/b.csv")" -eq 20 ]
    through_nfcapd "$DATA/netflow/cesnet-example_flows.ipfix" 127.0.0.1 . --protocol v9 --domain 3
}
