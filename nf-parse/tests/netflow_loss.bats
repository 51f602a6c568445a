#!/usr/bin/env bats
# Loss accounting of the live collector and of files: a numbered stream
# (seq_send.py) is sent with losses, swaps, duplicates and garbage on
# purpose, and what nf-parse reports adds up exactly:
#   records sent = distinct records received + records reported lost
# (v9 in export packets: datagrams sent = distinct received + lost_packets).
load ../../tests/helpers
bats_require_minimum_version 1.5.0

SEND=$BATS_TEST_DIRNAME/seq_send.py

setup() { T=$BATS_TEST_TMPDIR; }

# A failed check must not leave a stopped reader or a collector behind.
teardown() {
    [ -n "${CAT:-}" ] && kill -CONT "$CAT" 2>/dev/null
    kill ${PID:-} ${CAT:-} 2>/dev/null || true
}

# start_listener [OUT [OPTION...]]: nf-parse --stats --listen on a free port,
# records to OUT (default $T/live.out), counters to $T/live.err.
start_listener() {
    local out=${1:-$T/live.out}
    [ $# -gt 0 ] && shift
    listen_free 127.0.0.1 "$out" --stats "$@"
}

# Sends the stream (arguments of seq_send.py after HOST PORT) and stops
# the collector once its output has settled; $T/sent holds the plan.
send_and_stop() {
    python3 "$SEND" 127.0.0.1 "$PORT" --pid "$PID" "$@" >"$T/sent"
    local last=-1 now
    for _ in $(seq 100); do
        now=$(wc -l <"$T/live.out")
        [ "$now" -eq "$last" ] && break
        last=$now
        sleep 0.2
    done
    # SIGCONT only to a collector the plan left stopped (its TERM is then
    # handled first, so the queue is drained, not read): sent to a running
    # one it could land in LeakSanitizer's stop-the-world at exit, where a
    # SAN build once spun for good (CI, 2026-12-02).
    local stopped=0
    grep -q '^State:.*stopped' "/proc/$PID/status" 2>/dev/null && stopped=1
    kill -TERM "$PID"
    [ "$stopped" = 0 ] || kill -CONT "$PID" 2>/dev/null || true
    wait_bounded "$PID"
}

stat_of() { grep -o "\"$1\":[0-9]*" "$T/live.err" | cut -d: -f2; }
plan_of() { grep -o "\"$1\": [0-9]*" "$T/sent" | cut -d' ' -f2; }
distinct() { grep -o '"IN_BYTES":[0-9]*' "$T/live.out" | sort -u | grep -c ''; }

# sent = distinct received + reported lost, and the faults as counted
check_ipfix() {
    [ "$(plan_of records_sent)" -eq $(($(distinct) + $(stat_of lost_records))) ]
    [ "$(stat_of lost_records)" -eq "$(plan_of records_lost)" ]
    [ "$(stat_of flows)" -eq $(($(distinct) + $(plan_of records_duplicated))) ]
}

@test "loss, live IPFIX: 3 datagrams lost of 200 are 30 records lost, exactly" {
    require_cmd python3
    start_listener
    send_and_stop 10 200 10 lose:3 lose:17 lose:18
    check_ipfix
    [ "$(stat_of lost_records)" -eq 30 ]
    grep -q '30 flow records lost' "$T/live.err"
}

@test "loss, live v9: export packets sent = distinct received + lost_packets" {
    require_cmd python3
    start_listener
    send_and_stop 9 200 10 lose:50 lose:51 lose:52 lose:120
    [ "$(stat_of lost_packets)" -eq 4 ]
    # 200 data packets; each distinct packet carried 10 records
    [ $((200 - $(distinct) / 10)) -eq 4 ]
}

@test "loss, live: swapped datagrams are late, not lost" {
    require_cmd python3
    start_listener
    send_and_stop 10 200 10 swap:5 swap:40 swap:150
    check_ipfix
    [ "$(stat_of lost_records)" -eq 0 ]
    [ "$(stat_of late_datagrams)" -eq 3 ]
    run ! grep -q 'records lost' "$T/live.err"
}

@test "loss, live v9: swapped packets are late, not lost" {
    require_cmd python3
    start_listener
    send_and_stop 9 100 10 swap:5 swap:60
    [ "$(stat_of lost_packets)" -eq 0 ]
    [ "$(stat_of late_datagrams)" -eq 2 ]
}

@test "loss, live: a duplicated datagram is counted as a duplicate, its records emitted twice" {
    require_cmd python3
    start_listener
    send_and_stop 10 100 10 dup:7 dup:70
    check_ipfix
    [ "$(stat_of duplicate_datagrams)" -eq 2 ]
    [ "$(stat_of flows)" -eq 1020 ]
}

@test "loss, live: garbage (a message with a random sequence number, 16 random bytes) loses nothing" {
    require_cmd python3
    start_listener
    send_and_stop 10 100 10 garbage:10 garbage:50 junk:30 lose:80
    check_ipfix
    [ "$(stat_of lost_records)" -eq 10 ]
    [ "$(stat_of sequence_outliers)" -eq 2 ]
}

@test "loss, live: everything of all faults at once adds up" {
    require_cmd python3
    start_listener
    send_and_stop 10 300 7 lose:2 swap:20 dup:33 garbage:40 lose:41 swap:100 junk:101 dup:200 lose:250 lose:251
    check_ipfix
    [ "$(stat_of lost_records)" -eq 28 ]
}

@test "loss, live end of stream: datagrams queued when the signal comes are decoded, not dropped" {
    require_cmd python3
    start_listener
    # the collector is stopped before the first data datagram and gets
    # SIGTERM before it runs again: all 100 wait in its socket buffer
    send_and_stop 10 100 10 stop:1
    [ "$(distinct)" -eq 1000 ]
    [ "$(stat_of lost_records)" -eq 0 ]
    grep -q '(100 queued at the stop)' "$T/live.err"
}

@test "loss, live: kernel socket drops are read and match the records lost" {
    require_cmd python3
    start_listener
    # 4,000 datagrams of 1.2 kB while the collector is stopped overflow its
    # buffer; the last datagram, sent after it ran again, reveals the gaps
    send_and_stop 10 4001 50 stop:1 cont:4001
    drops=$(stat_of kernel_drops)
    [ "$drops" -gt 0 ]
    [ "$(stat_of lost_records)" -eq $((drops * 50)) ]
    [ "$(plan_of records_sent)" -eq $(($(distinct) + $(stat_of lost_records))) ]
    grep -q "$drops datagrams dropped by the kernel" "$T/live.err"
}

@test "loss, file: the same faults in an IPFIX file add up (tail losses aside)" {
    require_cmd python3
    python3 "$SEND" --file "$T/s.ipfix" 10 100 10 lose:5 swap:10 dup:20 garbage:30 junk:40 lose:60 >"$T/sent"
    run --separate-stderr nf-parse --stats "$T/s.ipfix"
    # junk ends an IPFIX file (no message header), so stop there
    [[ $stderr == *'"lost_records":10,'* ]]
    [[ $stderr == *'"late_datagrams":1,'* ]]
    [[ $stderr == *'"duplicate_datagrams":1,'* ]]
    [[ $stderr == *'"sequence_outliers":1,'* ]]
}

@test "loss: shared reproducers, swapped datagrams and a bogus one lose nothing" {
    R=$SHARED/../reliability
    [ -d "$R" ] || skip "no ../shared/reliability"
    run --separate-stderr nf-parse --stats --format datagram "$R/reorder-0.dat" "$R/reorder-2.dat" "$R/reorder-1.dat" "$R/reorder-3.dat"
    [ "$status" -eq 0 ]
    [[ $stderr == *'"lost_records":0,'* ]]
    run --separate-stderr nf-parse --stats --format datagram "$R/seq-a.dat" "$R/seq-bogus.dat" "$R/seq-b.dat"
    [ "$status" -eq 0 ]
    [[ $stderr == *'"lost_records":0,'* ]]
    [[ $stderr != *'lost'*'sequence numbers'* ]]
}

@test "loss: 92 unrelated datagram files are separate streams, no loss invented" {
    require_shared
    run --separate-stderr nf-parse --stats --format datagram "$SHARED"/logstash-netflow-payloads/*.dat
    [[ $stderr == *'"lost_packets":0,'* ]] # was 2353340203 export packets lost
}

@test "restart, live IPFIX: sequence reset and templates re-sent lose nothing, a later loss still counts" {
    require_cmd python3
    start_listener
    send_and_stop 10 200 10 restart:120 lose:150
    check_ipfix
    [ "$(stat_of sequence_resets)" -eq 1 ]
    [ "$(stat_of lost_records)" -eq 10 ]
    [ "$(stat_of duplicate_datagrams)" -eq 0 ]
    [ "$(stat_of sequence_outliers)" -eq 0 ]
    [ "$(stat_of templates)" -eq 2 ]
}

@test "restart, live v9: packets counted afresh after the restart, one loss after it" {
    require_cmd python3
    start_listener
    send_and_stop 9 200 10 lose:30 restart:100 lose:160
    [ "$(stat_of sequence_resets)" -eq 1 ]
    [ "$(stat_of lost_packets)" -eq 2 ]
    [ "$(distinct)" -eq 1980 ]
}

@test "template change, live IPFIX: same id, new layout; records after it decode by the new one" {
    require_cmd python3
    start_listener
    send_and_stop 10 200 10 retemplate:101 lose:150
    check_ipfix
    [ "$(stat_of template_changes)" -eq 1 ]
    [ "$(stat_of lost_records)" -eq 10 ]
    # datagrams 101..200 (less the lost one) carry the port of the new layout
    [ "$(grep -c '"L4_DST_PORT":2055' "$T/live.out")" -eq 990 ]
    # and their octets are where the new layout puts them: k + 1 for record k
    grep -q '"IP_SRC_ADDR":"10.0.3.232","IP_DST_ADDR":"192.0.2.1",.*"PROTOCOL_NUM":17,.*"IN_PKTS":1,"IN_BYTES":1001,' "$T/live.out"
}

@test "template change, live v9: the template packet counts in the sequence, nothing lost; a resend is no change" {
    require_cmd python3
    start_listener
    # the second template packet sends the new layout again
    send_and_stop 9 100 10 retemplate:40 retemplate:80
    [ "$(stat_of template_changes)" -eq 1 ]
    [ "$(stat_of templates)" -eq 3 ]
    [ "$(stat_of lost_packets)" -eq 0 ]
    [ "$(distinct)" -eq 1000 ]
    [ "$(grep -c '"L4_DST_PORT":2055' "$T/live.out")" -eq 610 ]
}

@test "burst faster than the next stage: the kernel's drops are counted, match the records lost, counter lines on the way" {
    require_cmd python3
    T=$BATS_TEST_TMPDIR
    # nf-parse writes into a pipe whose reader is stopped: it blocks, its
    # socket buffer fills and the kernel drops the rest of the burst
    mkfifo "$T/pipe"
    cat "$T/pipe" >"$T/live.out" &
    CAT=$!
    start_listener "$T/pipe" --stats-interval 1
    kill -STOP "$CAT" # once nf-parse runs, the FIFO is open at both ends
    # 4,000 datagrams of 50 records at once; the stopped reader goes on
    # (cont: to its pid, not the collector's) a second before the last one
    timeout 60 python3 "$SEND" 127.0.0.1 "$PORT" --pid "$CAT" 10 4001 50 junk:3 cont:4001 >"$T/sent"
    sleep 1.5
    kill -TERM "$PID"
    wait_bounded "$PID"
    wait_bounded "$CAT"
    tail -3 "$T/live.err"; cat "$T/sent" # shown when a check fails
    drops=$(stat_of kernel_drops | tail -1)
    [ "$drops" -gt 0 ]
    [ "$(stat_of lost_records | tail -1)" -eq $((drops * 50)) ]
    [ "$(plan_of records_sent)" -eq $(($(distinct) + drops * 50)) ]
    grep -q "$drops datagrams dropped by the kernel" "$T/live.err"
    [ "$(grep -o '"udp_not_export":[0-9]*' "$T/live.err" | tail -1)" = '"udp_not_export":1' ]
    # counter lines every second while it ran, the drops showing in them
    [ "$(grep -c '^{"stats":"netflow-interval","elapsed_s":' "$T/live.err")" -ge 2 ]
    grep '"stats":"netflow-interval"' "$T/live.err" | grep -qv '"kernel_drops":0,\?}'
}

@test "--stats-interval: a counter line each second of a live run, the last one at the end; not for files" {
    require_cmd python3
    T=$BATS_TEST_TMPDIR
    start_listener "$T/live.out" --stats-interval 1
    timeout 30 python3 "$SEND" 127.0.0.1 "$PORT" 10 100 10 >"$T/sent"
    sleep 2.6
    kill -TERM "$PID"
    wait_bounded "$PID"
    grep '"stats":"netflow-interval"' "$T/live.err" >"$T/lines"
    [ "$(grep -c '' "$T/lines")" -ge 2 ]
    # the last interval line has all 1,000 flows, as the line at the end
    [[ $(tail -1 "$T/lines") == *'"flows":1000,'* ]]
    [ "$(grep -c '^{"stats":"netflow",' "$T/live.err")" -eq 1 ]
    run --separate-stderr nf-parse --stats-interval 1 "$DATA/netflow/nfv5.pcap"
    [ "$status" -eq 2 ]
    [[ $stderr == *'--listen'* ]]
}
