#!/usr/bin/env bats
# SIGTERM and SIGINT (lib/opt.c nf_tool_init, lib/jsonw.c): a stage that is
# stopped finishes the record it is on, writes everything it holds, prints
# its counts and exits 128 + the signal; writes blocked on a full pipe are
# not lost (they used to be, when the interrupted write dropped stdio's buffer).
load helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    F="$NF_TOP/nf-window/tests/fixtures/ctu-flows.ndjson"
    # a bad line, so that there is a count to print at the end
    { head -n 1 "$F"; echo garbage; tail -n +2 "$F"; } >"$TMP/in"
}


# stop_while_full SIGNAL CMD...: runs CMD >fifo with a reader that does not
# read, sends SIGNAL once the pipe is full, then reads everything.
stop_while_full() {
    local sig=$1 pid
    shift
    mkfifo "$TMP/p"
    "$@" >"$TMP/p" 2>"$TMP/err" &
    pid=$!
    exec 5<"$TMP/p"
    sleep 1 # the pipe fills (64 KiB) and the stage blocks in write
    kill -"$sig" "$pid"
    sleep 0.5
    cat <&5 >"$TMP/out"
    exec 5<&-
    wait "$pid" && echo 0 >"$TMP/rc" || echo $? >"$TMP/rc"
}

@test "SIGTERM while the output pipe is full: no record lost, counts printed, exit 143" {
    nf-window --flows --lateness 0 "$TMP/in" >"$TMP/full" 2>/dev/null
    stop_while_full TERM nf-window --flows --lateness 0 "$TMP/in"
    cat "$TMP/err"
    [ "$(cat "$TMP/rc")" -eq 143 ]
    n=$(grep -c '' "$TMP/out")
    echo "$n records written before the stop"
    # more than a pipe's worth came out, and it is exactly the start of the full run's output
    [ "$(wc -c <"$TMP/out")" -gt 65536 ]
    [ "$n" -lt 6751 ]
    head -n "$n" "$TMP/full" | cmp - "$TMP/out"
    grep -q 'nf-window: 1 records skipped' "$TMP/err"
    grep -q 'nf-window: stopped by SIGTERM: the input was not read to the end; every record read was written' "$TMP/err"
}

@test "SIGINT while the output pipe is full: the same, exit 130; nf-features too" {
    # a background job starts with SIGINT ignored (and nf_tool_init keeps it so): undo that here
    stop_while_full INT env --default-signal=INT nf-window --flows --lateness 0 "$TMP/in"
    [ "$(cat "$TMP/rc")" -eq 130 ]
    grep -q 'stopped by SIGINT' "$TMP/err"
    nf-window --flows --lateness 0 "$F" >"$TMP/flows"
    nf-features --per-flow "$TMP/flows" >"$TMP/full" 2>/dev/null
    rm -f "$TMP/p"
    stop_while_full TERM nf-features --per-flow "$TMP/flows"
    [ "$(cat "$TMP/rc")" -eq 143 ]
    # the windows before the last are whole and equal the full run's; the last one,
    # cut by the stop, has its flows with context over the flows read
    last=$(tail -n 1 "$TMP/out" | grep -o '"WINDOW_START":[0-9]*')
    grep -v "^{$last," "$TMP/out" >"$TMP/whole"
    n=$(grep -c '' "$TMP/whole")
    [ "$n" -gt 0 ]
    head -n "$n" "$TMP/full" | cmp - "$TMP/whole"
    [ "$(grep -c "^{$last," "$TMP/out")" -gt 0 ]
}

@test "SIGTERM while a stage waits for input on an idle pipe: it ends at once with what it read" {
    local pid
    { head -n 3 "$F"; sleep 20; } | nf-window --flows --lateness 0 >"$TMP/out" 2>"$TMP/err" &
    pid=$!
    sleep 1
    kill -TERM "$pid"
    sleep 1
    # gone within a second, though its input stays open for 19 more (wait would wait for the sleep)
    run ! kill -0 "$pid"
    wait "$pid" && rc=0 || rc=$?
    [ "$rc" -eq 143 ]
    [ "$(grep -c '' "$TMP/out")" -eq 3 ]
    grep -q 'stopped by SIGTERM' "$TMP/err"
}

@test "a second SIGTERM kills at once (the stage may be blocked for good on a reader that never reads)" {
    mkfifo "$TMP/p"
    nf-window --flows --lateness 0 "$TMP/in" >"$TMP/p" 2>"$TMP/err" &
    pid=$!
    exec 5<"$TMP/p"
    sleep 1
    kill -TERM "$pid"
    sleep 0.3
    kill -TERM "$pid"
    wait "$pid" && rc=0 || rc=$?
    exec 5<&-
    [ "$rc" -eq 143 ]
    ! grep -q 'stopped by' "$TMP/err"
}

@test "nf-parse reading named files stops at SIGTERM too (nfdump CSV, Argus, IPFIX): a prefix of the full output, exit 143" {
    local f
    for f in ctu-test1-malicious.nfdump.csv ctu-argus-24h.binetflow netflow/cesnet-example_flows.ipfix; do
        rm -f "$TMP/p"
        nf-parse "$NF_TOP/data/$f" >"$TMP/full" 2>/dev/null
        stop_while_full TERM nf-parse "$NF_TOP/data/$f"
        cat "$TMP/err"
        [ "$(cat "$TMP/rc")" -eq 143 ]
        n=$(grep -c '' "$TMP/out")
        echo "$f: $n of $(grep -c '' "$TMP/full") records before the stop"
        [ "$n" -gt 0 ]
        [ "$n" -lt "$(grep -c '' "$TMP/full")" ]
        head -n "$n" "$TMP/full" | cmp - "$TMP/out"
        grep -q 'nf-parse: stopped by SIGTERM' "$TMP/err"
    done
}
