#!/usr/bin/env bats
# nf-replay --to on loopback: nf-parse --listen receives the same flows
# with no loss (its --stats counters), for IPFIX and v9, over IPv4 and
# IPv6; --speed and --rate pace the sending; SIGTERM stops it cleanly.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NORM='del(.ID, .EXPORTER_IP, .OBSERVATION_DOMAIN_ID, .EXPORT_TIME, .ARGUS_DIR, .ARGUS_STATE)'

# Starts nf-parse --listen --stats HOST:PORT in the background on a free
# port (retried); output in $T/live.out, stderr in $T/live.err; sets PID, PORT.
start_listener() {
    T=$BATS_TEST_TMPDIR
    listen_free "$1" "$T/live.out" --stats
}

# Waits until $T/live.out has N lines (at most 30 s), then stops the listener.
stop_listener_at() {
    for _ in $(seq 300); do
        [ "$(grep -c '' "$T/live.out")" -ge "$1" ] && break
        sleep 0.1
    done
    kill -TERM "$PID"
    wait_bounded "$PID"
}

# Replays SOURCE's flows with nf-replay ARGS... to the listener and checks
# that the listener wrote the same flows and counted no loss.
loopback() {
    local src=$1 host=$2
    shift 2
    start_listener "$host"
    nf-parse "$src" >"$T/a.ndjson" 2>/dev/null
    n=$(grep -c '' "$T/a.ndjson")
    nf-replay --stats --to "$host:$PORT" "$@" "$T/a.ndjson" 2>"$T/replay.err"
    stop_listener_at "$n"
    jq -c "$NORM" "$T/a.ndjson" >"$T/a.cmp"
    jq -c "$NORM" "$T/live.out" >"$T/b.cmp"
    cmp "$T/a.cmp" "$T/b.cmp"
    grep -q '"lost_packets":0,"lost_records":0,"sequence_resets":0' "$T/live.err"
    grep -q '"send_errors":0' "$T/replay.err"
}

@test "loopback: Argus flows as IPFIX at 20,000 flows/s: all received, no loss" {
    loopback "$DATA/ctu-argus-24h.binetflow" 127.0.0.1 --speed 0 --rate 20000
    grep -q '"flows":6751,' "$T/live.err"
}

@test "loopback: nfdump flows as v9 at 20,000 flows/s: all received, no loss" {
    loopback "$DATA/ctu-test1-malicious.nfdump.csv" 127.0.0.1 --protocol v9 --speed 0 --rate 20000 \
        || { cat "$T/live.err" >&2; false; }
    grep -q '"v9_packets":[1-9]' "$T/live.err"
}

@test "loopback: CESNET flows (IPv6 among them) over IPv6 loopback, both protocols" {
    [ -e /proc/net/udp6 ] || skip "no IPv6"
    loopback "$DATA/netflow/cesnet-example_flows.ipfix" "[::1]" --speed 0 --rate 20000
    [ "$(grep -c '"EXPORTER_IP":"::1"' "$T/live.out")" -eq 3979 ]
    loopback "$DATA/netflow/cesnet-example_flows.ipfix" "[::1]" -p v9 --speed 0 --rate 20000
}

@test "--speed: 10 s of records at --speed 10 take about a second" {
    T=$BATS_TEST_TMPDIR
    for s in 0 2 4 6 8 10; do
        t=$((1700000000000 + s * 1000))
        printf '{"ID":1,"IP_SRC_ADDR":"192.0.2.1","IP_DST_ADDR":"192.0.2.2","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"TCP_FLAGS":2,"FIRST_SWITCHED":%s,"LAST_SWITCHED":%s,"FLOW_DURATION_MILLISECONDS":0,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}\n' $t $t
    done >"$T/a.ndjson"
    start_listener 127.0.0.1
    t0=$(date +%s%N)
    nf-replay --to "127.0.0.1:$PORT" --speed 10 "$T/a.ndjson"
    ms=$((($(date +%s%N) - t0) / 1000000))
    stop_listener_at 6
    [ "$ms" -ge 990 ]
    [ "$ms" -lt 3000 ]
    # six flows 2 s apart, 200 ms apart at this speed: six datagrams of data
    grep -q '"ipfix_messages":7,' "$T/live.err"
    # --speed 0: at once
    t0=$(date +%s%N)
    nf-replay --to "127.0.0.1:$PORT" --speed 0 "$T/a.ndjson"
    [ $((($(date +%s%N) - t0) / 1000000)) -lt 500 ]
}

@test "--rate: 2,000 flows at --rate 4000 take half a second" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" | head -n 2000 >"$T/a.ndjson"
    t0=$(date +%s%N)
    nf-replay --to 127.0.0.1:9 --speed 0 --rate 4000 "$T/a.ndjson" 2>/dev/null
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ "$ms" -ge 480 ]
    [ "$ms" -lt 2500 ]
}

@test "no collector: refused sends are counted and reported, exit 0" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" | head -n 2000 >"$T/a.ndjson"
    # port 9 (discard) has no listener: ICMP port unreachable makes later sends fail
    run --separate-stderr nf-replay --to 127.0.0.1:9 --speed 0 --rate 20000 --stats "$T/a.ndjson"
    [ "$status" -eq 0 ]
    [[ $stderr == *"datagrams not sent (first error: Connection refused)"* ]]
    [[ $stderr == *'"flows":2000,'* ]]
}

@test "SIGTERM stops a slow replay at once: what was read goes out, counts printed, exit 0" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$T/a.ndjson"
    start_listener 127.0.0.1
    # real time: the 24 h of records would take 24 h
    nf-replay --to "127.0.0.1:$PORT" --speed 1 --stats "$T/a.ndjson" 2>"$T/replay.err" &
    rp=$!
    sleep 1
    kill -TERM "$rp"
    wait "$rp"
    grep -q 'stopped by signal after [0-9]* flows' "$T/replay.err"
    n=$(sed -n 's/.*"flows":\([0-9]*\),.*/\1/p' "$T/replay.err")
    [ "$n" -gt 0 ]
    [ "$n" -lt 6751 ]
    stop_listener_at "$n"
    [ "$(grep -c '' "$T/live.out")" -eq "$n" ]
}

@test "SIGTERM while reading a quiet pipe: the replay ends with the pipe, exit 0; a second SIGTERM at once" {
    T=$BATS_TEST_TMPDIR
    nf-parse "$DATA/ctu-argus-24h.binetflow" | head -n 3 >"$T/a.ndjson"
    # $! of a background pipeline is its last process: nf-replay
    { cat "$T/a.ndjson"; sleep 2; } | nf-replay --write "$T/d.pcap" 2>"$T/err" &
    rp=$!
    sleep 0.5
    kill -TERM "$rp"
    wait "$rp"
    grep -q 'stopped by signal after 3 flows' "$T/err"
    [ "$(nf-parse "$T/d.pcap" | grep -c '')" -eq 3 ]
    { cat "$T/a.ndjson"; sleep 5; } | nf-replay --write "$T/d.pcap" 2>"$T/err" &
    rp=$!
    sleep 0.5
    kill -TERM "$rp"
    sleep 0.2
    kill -TERM "$rp"
    sleep 0.3
    # gone while the pipe is still open (wait also waits for the sleep)
    run kill -0 "$rp"
    [ "$status" -ne 0 ]
    rc=0
    wait "$rp" || rc=$?
    [ "$rc" -eq 143 ]
}
