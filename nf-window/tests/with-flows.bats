#!/usr/bin/env bats
# nf-window --with-flows: per window its flows (as --flows writes them), then
# its aggregates (as plain nf-window writes them), in one stream.

load ../../tests/helpers

load window_helpers

# non_decreasing FILE [RUNS]: every record starts with WINDOW_START, and it
# goes down along the file only where a new run starts (RUNS - 1 times; 1 run
# unless time went back more than --max-gap).
non_decreasing() {
    awk -F'[:,]' -v runs="${2:-1}" '$1 != "{\"WINDOW_START\"" { bad++ } NR > 1 && $2 < prev { down++ }
        { prev = $2 } END { exit bad > 0 || down != runs - 1 }' "$1"
}

# Inside every window the flows (IP_SRC_ADDR) come before the aggregates.
flows_first() {
    awk -F'[:,]' '$2 != cur { cur = $2; agg = 0 } /"SRC_NET":/ { agg = 1; next } agg { bad++ } END { exit bad > 0 }' "$1"
}

# both_parts INPUT "AGG_OPTS" "FLOW_OPTS" [RUNS]: the aggregate records (SRC_NET)
# of nf-window --with-flows AGG_OPTS equal nf-window AGG_OPTS, its flow records
# (IP_SRC_ADDR) nf-window --flows FLOW_OPTS; nothing else is written, stderr
# and exit status are plain nf-window's, the windows are grouped (in RUNS runs).
both_parts() {
    local in=$1 with_status agg_status
    # shellcheck disable=SC2086 # the options are words
    nf-window --with-flows $2 "$in" >"$TMP/with" 2>"$TMP/with.err" && with_status=0 || with_status=$?
    # shellcheck disable=SC2086
    nf-window $2 "$in" >"$TMP/agg" 2>"$TMP/agg.err" && agg_status=0 || agg_status=$?
    # shellcheck disable=SC2086
    nf-window --flows $3 "$in" >"$TMP/flows" 2>/dev/null || true
    [ -s "$TMP/agg" ] && [ -s "$TMP/flows" ]
    grep '"SRC_NET":' "$TMP/with" | diff - "$TMP/agg"
    grep '"IP_SRC_ADDR":' "$TMP/with" | diff - "$TMP/flows"
    [ "$(wc -l <"$TMP/with")" -eq $(($(wc -l <"$TMP/agg") + $(wc -l <"$TMP/flows"))) ]
    diff "$TMP/with.err" "$TMP/agg.err"
    [ "$with_status" -eq "$agg_status" ]
    non_decreasing "$TMP/with" "${4:-1}"
    flows_first "$TMP/with"
}

@test "--with-flows on CTU 24 h: aggregates equal plain nf-window, flows equal --flows, fill records included" {
    both_parts "$FLOWS" "" ""
    [ "$(grep -c '"SRC_NET":null' "$TMP/with")" -gt 10 ] # empty windows, one fill record each
    [ "$(grep -c '"IP_SRC_ADDR":' "$TMP/with")" -eq 6751 ]
    both_parts "$FLOWS" "--window 1m --prefix4 16" "--window 1m"
    both_parts "$FLOWS" "--window 1h --no-fill" "--window 1h"
    run ! grep -q '"SRC_NET":null' "$TMP/with"
}

@test "--with-flows with --split and --uniflow: the aggregates change as usual, the flows are written as they are" {
    both_parts "$FLOWS" "--split" ""
    both_parts "$FLOWS" "--uniflow" ""
    both_parts "$FLOWS" "--split --uniflow --window 60" "--window 60"
    # a flow over three windows: in the window of its start only, its bytes in all three
    flow 10.0.0.1 10.1.0.1 6 $((T0 + 200000)) $((T0 + 700000)) 5 500 >"$TMP/f"
    run nf-window --with-flows --split "$TMP/f"
    [ "$status" -eq 0 ]
    [ "$(grep -c '"IP_SRC_ADDR":' <<<"$output")" -eq 1 ]
    [[ "${lines[0]}" == "{\"WINDOW_START\":$T0,"*'"IP_SRC_ADDR":"10.0.0.1"'* ]]
    [ "$(grep -c '"SRC_NET":"10.0.0.0/24"' <<<"$output")" -eq 3 ]
}

@test "--with-flows: out-of-order flows within the lateness, late flows and restarts as without the option" {
    # swap neighbouring flows throughout the CTU day
    awk 'NR % 2 == 1 { held = $0; next } { print; print held } END { if (NR % 2) print held }' "$FLOWS" >"$TMP/shuffled"
    both_parts "$TMP/shuffled" "--lateness 1d" "--lateness 1d"
    both_parts "$TMP/shuffled" "--lateness 10m --window 60" "--lateness 10m --window 60"
    # --lateness 0: some flows are late (exit 1), the same ones in the same --late file
    both_parts "$TMP/shuffled" "--lateness 0 --window 60" "--lateness 0 --window 60"
    grep -q "late flows" "$TMP/with.err"
    nf-window --with-flows --lateness 0 --window 60 --late "$TMP/late.with" "$TMP/shuffled" >/dev/null
    nf-window --lateness 0 --window 60 --late "$TMP/late.agg" "$TMP/shuffled" >/dev/null
    [ -s "$TMP/late.agg" ]
    cmp "$TMP/late.with" "$TMP/late.agg"
    # the day twice: time goes back more than --max-gap, a new run starts (exit 1)
    cat "$FLOWS" "$FLOWS" >"$TMP/twice"
    both_parts "$TMP/twice" "--max-gap 1h" "--max-gap 1h" 2
    grep -q "error: out of time order" "$TMP/with.err"
    grep -q "gap longer than --max-gap" "$TMP/with.err"
    both_parts "$TMP/twice" "--max-gap 1h --lateness 0 --window 60" "--max-gap 1h --lateness 0 --window 60" 2
}

@test "--with-flows: a window's flows, then its aggregates; fill records before a streaming window's flows" {
    # c is out of order within the lateness; window 0 streams when b arrives,
    # window 4 when f arrives (after the fill records of windows 2 and 3), g
    # goes straight into it; h is late
    { flow 10.0.0.1 10.1.0.1 6 $((T0 + 10000)) $((T0 + 10000)) 1 40 '"LABEL":"a"'
      flow 10.0.0.2 10.1.0.1 6 $((T0 + 400000)) $((T0 + 400000)) 1 40 '"LABEL":"b"'
      flow 10.0.0.3 10.1.0.1 6 $((T0 + 20000)) $((T0 + 20000)) 1 40 '"LABEL":"c"'
      flow 10.0.0.4 10.1.0.1 6 $((T0 + 1300000)) $((T0 + 1300000)) 1 40 '"LABEL":"d"'
      flow 10.0.0.5 10.1.0.1 6 $((T0 + 1310000)) $((T0 + 1310000)) 1 40 '"LABEL":"e"'
      flow 10.0.0.6 10.1.0.1 6 $((T0 + 1600000)) $((T0 + 1600000)) 1 40 '"LABEL":"f"'
      flow 10.0.0.7 10.1.0.1 6 $((T0 + 1320000)) $((T0 + 1320000)) 1 40 '"LABEL":"g"'
      flow 10.0.0.8 10.1.0.1 6 $((T0 + 100000)) $((T0 + 100000)) 1 40 '"LABEL":"h"'; } >"$TMP/f"
    nf-window --with-flows --lateness 5m --late "$TMP/late" "$TMP/f" >"$TMP/with" 2>"$TMP/err"
    # window number (from T0) and what each record is: a flow's label, agg or fill
    run awk -v t0=$T0 -F'[:,]' '{
            k = "agg"
            if (match($0, /"LABEL":"[a-z]"/)) k = substr($0, RSTART + 9, 1)
            else if (/"SRC_NET":null/) k = "fill"
            printf "%s%d:%s", (NR > 1 ? " " : ""), ($2 - t0) / 300000, k
        } END { print "" }' "$TMP/with"
    [ "$output" = "0:a 0:c 0:agg 1:b 1:agg 2:fill 3:fill 4:d 4:e 4:g 4:agg 5:f 5:agg" ]
    grep -q '"LABEL":"h"' "$TMP/late"
    grep -q "1 late flows" "$TMP/err"
    grep -q "\"WINDOW_START\":$T0,.*\"SRC_NET\":\"10.0.0.0/24\",.*\"FLOWS\":2," "$TMP/with"
    # the same records as the two runs apart
    grep '"SRC_NET":' "$TMP/with" | diff - <(nf-window --lateness 5m --late /dev/null "$TMP/f")
    grep '"IP_SRC_ADDR":' "$TMP/with" | diff - <(nf-window --flows --lateness 5m --late /dev/null "$TMP/f")
}

@test "--with-flows: a flow that cannot be aggregated (null address, FLOWS 0) is rejected, counted, not written" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      echo '{"IP_SRC_ADDR":null,"IP_DST_ADDR":"1.2.3.4","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1,"LAST_SWITCHED":1,"IN_PKTS":1,"IN_BYTES":1}'
      flow 10.0.0.2 10.1.0.1 6 $T0 $T0 1 40 | sed 's/"FLOWS":1/"FLOWS":0/'
      flow 10.0.0.3 10.1.0.1 6 $T0 $T0 1 40; } >"$TMP/f"
    run nf-window --with-flows --rejects "$TMP/rej" "$TMP/f"
    [ "$status" -eq 0 ]
    [[ "$output" == *"$TMP/f:2: IP_SRC_ADDR: null, cannot aggregate"* ]]
    [[ "$output" == *"$TMP/f:3: FLOWS: 0, --with-flows needs every flow counted in its window"* ]]
    [[ "$output" == *"2 records skipped"* ]]
    [ "$(grep -c '"IP_SRC_ADDR":' <<<"$output")" -eq 2 ]
    [[ "$output" == *'"SRC_NET":"10.0.0.0/24","DST_NET":"10.1.0.0/24","PROTOCOL_NUM":6,"FLOWS":2,"PACKETS":4,"BYTES":280}'* ]]
    [ "$(wc -l <"$TMP/rej")" -eq 2 ]
    run nf-window --with-flows --strict "$TMP/f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$TMP/f:2: IP_SRC_ADDR: null, cannot aggregate"* ]]
    # input with only such flows writes nothing: exit 1 with the counts
    sed -n 2,3p "$TMP/f" >"$TMP/bad"
    run nf-window --with-flows "$TMP/bad"
    [ "$status" -eq 1 ]
    [[ "$output" == *"no record written: 2 input records, 2 of them skipped as bad"* ]]
}

@test "--with-flows with --flows or --merge is a usage error (exit 2)" {
    run nf-window --with-flows --flows </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--with-flows writes the aggregates and the flows of one run: --flows does not apply"* ]]
    run nf-window --merge --with-flows </dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--with-flows writes the aggregates and the flows of one run: --merge does not apply"* ]]
    run nf-window --with-flows --split --uniflow </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "--with-flows: output to a closed pipe ends quietly" {
    run bash -c "set -o pipefail; nf-window --with-flows --window 10 '$FLOWS' | head -n 1; echo \${PIPESTATUS[0]}"
    [ "${lines[1]}" = "141" ] || [ "${lines[1]}" = "0" ]
    [[ "$output" != *rror* ]]
    [[ "${lines[0]}" == '{"WINDOW_START":'*'"IP_SRC_ADDR":'* ]]
}
