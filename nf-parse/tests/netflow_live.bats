#!/usr/bin/env bats
# The live collector: nf-parse --listen on loopback receives replayed
# export datagrams and writes the same records as reading the files,
# flushing as it goes; SIGTERM ends it cleanly with its counts.
load ../../tests/helpers
bats_require_minimum_version 1.5.0

NFD=$DATA/netflow

# Starts nf-parse --listen ADDR:PORT in the background on a free port
# (retried), output in $T/live.out, stderr in $T/live.err; sets PID, PORT.
start_listener() {
    T=$BATS_TEST_TMPDIR
    listen_free "$1" "$T/live.out"
}

# Waits until $T/live.out has N lines (at most 20 s).
wait_lines() {
    for _ in $(seq 200); do
        [ "$(grep -c '' "$T/live.out")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

@test "live: IPFIX file replayed to --listen 127.0.0.1 gives the records of reading the file" {
    require_cmd python3
    start_listener 127.0.0.1
    python3 "$BATS_TEST_DIRNAME/netflow_send.py" 127.0.0.1 "$PORT" "$NFD/cesnet-example_flows.ipfix"
    # records are flushed as datagrams arrive: all there before the signal
    wait_lines 3979
    kill -TERM "$PID"
    wait_bounded "$PID" # exit 0 after the signal (a failure fails the test)
    grep -q 'datagrams received (0 queued at the stop), stopped by signal' "$T/live.err"
    nf-parse "$NFD/cesnet-example_flows.ipfix" >"$T/file.out"
    sed 's/,"EXPORTER_IP":"127.0.0.1"//' "$T/live.out" >"$T/live.cmp"
    cmp "$T/file.out" "$T/live.cmp"
}

@test "live: pcaps replayed over IPv6 loopback give the pcap's records (exporter aside)" {
    require_cmd python3
    [ -e /proc/net/udp6 ] || skip "no IPv6"
    start_listener "[::1]"
    python3 "$BATS_TEST_DIRNAME/netflow_send.py" ::1 "$PORT" "$NFD"/multiplesamplingrates-options-template.pcap "$NFD"/multiplesamplingrates-options-data.pcap "$NFD"/multiplesamplingrates-template.pcap "$NFD"/multiplesamplingrates-data.pcap "$NFD/nfv5.pcap"
    wait_lines 41
    kill -INT "$PID"
    wait_bounded "$PID"
    nf-parse "$NFD"/multiplesamplingrates-options-template.pcap "$NFD"/multiplesamplingrates-options-data.pcap "$NFD"/multiplesamplingrates-template.pcap "$NFD"/multiplesamplingrates-data.pcap "$NFD/nfv5.pcap" 2>/dev/null |
        sed 's/,"EXPORTER_IP":"[^"]*"//' >"$T/file.out"
    grep -c '"EXPORTER_IP":"::1"' "$T/live.out"
    [ "$(grep -c '"EXPORTER_IP":"::1"' "$T/live.out")" -eq 41 ]
    sed 's/,"EXPORTER_IP":"[^"]*"//' "$T/live.out" >"$T/live.cmp"
    cmp "$T/file.out" "$T/live.cmp"
}

@test "live: shared pmacct pcap replayed gives the pcap's records" {
    require_shared
    require_cmd python3
    f=$SHARED/pmacct-nfv9-ipfix/101-NFv9-CISCO-cust_primitives__traffic-00.pcap
    start_listener 127.0.0.1
    python3 "$BATS_TEST_DIRNAME/netflow_send.py" 127.0.0.1 "$PORT" "$f"
    wait_lines 51
    kill -TERM "$PID"
    wait_bounded "$PID"
    nf-parse "$f" 2>/dev/null | sed 's/,"EXPORTER_IP":"[^"]*"//' >"$T/file.out"
    sed 's/,"EXPORTER_IP":"[^"]*"//' "$T/live.out" >"$T/live.cmp"
    cmp "$T/file.out" "$T/live.cmp"
}

@test "live: a bad --listen address is a usage error (exit 2)" {
    run --separate-stderr nf-parse --listen 127.0.0.1:99999
    [ "$status" -eq 2 ]
    [[ $stderr == *"not a port number"* ]]
    run --separate-stderr nf-parse --listen ::1:2055
    [ "$status" -eq 2 ]
    [[ $stderr == *"brackets"* ]]
}

@test "live: --listen :PORT takes IPv4 senders on the dual-stack socket, exporter as plain IPv4" {
    require_cmd python3
    start_listener ""
    python3 "$BATS_TEST_DIRNAME/netflow_send.py" 127.0.0.1 "$PORT" "$NFD/nfv5.pcap"
    wait_lines 29
    kill -TERM "$PID"
    wait_bounded "$PID"
    [ "$(grep -c '"EXPORTER_IP":"127.0.0.1"' "$T/live.out")" -eq 29 ]
}
