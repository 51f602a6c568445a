#!/usr/bin/env bats
# nf-window: windows, subnets, fill and gaps, lateness, --split, --flows,
# --merge (sharded, Hadoop-Streaming-style and GNU parallel runs).

load ../../tests/helpers

load window_helpers

REF="$BATS_TEST_DIRNAME/window_ref.py"

@test "--help and --version print and exit 0; a bad option value exits 2" {
    run nf-window --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--lateness SECONDS"* ]]
    run nf-window --version
    [ "$status" -eq 0 ]
    [[ "$output" == "nf-window (nfshift) "* ]]
    run nf-window --window 5x
    [ "$status" -eq 2 ]
    run nf-window --prefix4 33
    [ "$status" -eq 2 ]
    run nf-window --flows --split
    [ "$status" -eq 2 ]
    run nf-window --merge --split
    [ "$status" -eq 2 ]
    run nf-window --flows --uniflow
    [ "$status" -eq 2 ]
    [[ "$output" == *"--uniflow is about aggregates"* ]]
    run nf-window --merge --uniflow
    [ "$status" -eq 2 ]
}

@test "CTU 24 h: aggregates equal an independent Python computation byte for byte" {
    require_py json
    /usr/bin/python3 "$REF" <"$FLOWS" >"$TMP/ref"
    nf-window "$FLOWS" >"$TMP/got"
    [ "$(wc -l <"$TMP/got")" -gt 1000 ]
    cmp "$TMP/ref" "$TMP/got"
}

@test "CTU 24 h: other window and prefix lengths, --no-fill and --split equal the Python computation" {
    require_py json
    /usr/bin/python3 "$REF" --window 60 --prefix4 16 <"$FLOWS" >"$TMP/ref1"
    nf-window --window 1m --prefix4 16 "$FLOWS" >"$TMP/got1"
    cmp "$TMP/ref1" "$TMP/got1"
    /usr/bin/python3 "$REF" --window 3600 --no-fill <"$FLOWS" >"$TMP/ref2"
    nf-window --window 1h --no-fill "$FLOWS" >"$TMP/got2"
    cmp "$TMP/ref2" "$TMP/got2"
    /usr/bin/python3 "$REF" --split --window 60 <"$FLOWS" >"$TMP/ref3"
    nf-window --split --window 60 "$FLOWS" >"$TMP/got3"
    cmp "$TMP/ref3" "$TMP/got3"
}

@test "--uniflow: a bidirectional flow becomes its two directions, each its own flow" {
    # 10.0.0.1 -> 8.8.8.8: 3 packets / 300 bytes out, 5 / 5000 back; then a one-way probe
    printf '%s\n' \
        '{"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"8.8.8.8","L4_SRC_PORT":40000,"L4_DST_PORT":443,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1000,"LAST_SWITCHED":2000,"IN_PKTS":3,"IN_BYTES":300,"OUT_PKTS":5,"OUT_BYTES":5000,"FLOWS":1}' \
        '{"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"8.8.8.8","L4_SRC_PORT":40001,"L4_DST_PORT":443,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1000,"LAST_SWITCHED":2000,"IN_PKTS":1,"IN_BYTES":40,"OUT_PKTS":0,"OUT_BYTES":0,"FLOWS":1}' >"$TMP/f"
    run nf-window "$TMP/f"
    [ "$status" -eq 0 ]
    [ "$output" = '{"WINDOW_START":0,"WINDOW_END":300000,"SRC_NET":"10.0.0.0/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":6,"FLOWS":2,"PACKETS":9,"BYTES":5340}' ]
    run nf-window --uniflow "$TMP/f"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [ "${lines[0]}" = '{"WINDOW_START":0,"WINDOW_END":300000,"SRC_NET":"8.8.8.0/24","DST_NET":"10.0.0.0/24","PROTOCOL_NUM":6,"FLOWS":1,"PACKETS":5,"BYTES":5000}' ]
    [ "${lines[1]}" = '{"WINDOW_START":0,"WINDOW_END":300000,"SRC_NET":"10.0.0.0/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":6,"FLOWS":2,"PACKETS":4,"BYTES":340}' ]
}

@test "--uniflow (alone and with --split) on CTU 24 h equals the Python computation; unidirectional input is unchanged" {
    require_py json
    /usr/bin/python3 "$REF" --uniflow <"$FLOWS" >"$TMP/ref1"
    nf-window --uniflow "$FLOWS" >"$TMP/got1"
    cmp "$TMP/ref1" "$TMP/got1"
    run cmp -s "$TMP/got1" <(nf-window "$FLOWS")
    [ "$status" -ne 0 ] # the CTU flows are bidirectional: the split changes the records
    /usr/bin/python3 "$REF" --uniflow --split --window 60 <"$FLOWS" >"$TMP/ref2"
    nf-window --uniflow --split --window 60 "$FLOWS" >"$TMP/got2"
    cmp "$TMP/ref2" "$TMP/got2"
    # the same flows with the reverse counters dropped: --uniflow changes nothing
    sed -E 's/"OUT_PKTS":[0-9]+/"OUT_PKTS":0/; s/"OUT_BYTES":[0-9]+/"OUT_BYTES":0/' "$FLOWS" >"$TMP/uni"
    cmp <(nf-window "$TMP/uni") <(nf-window --uniflow "$TMP/uni")
}

@test "nf-parse | nf-window on the real CTU binetflow equals the Python computation" {
    require_py json
    [ -x "$NF_BIN/nf-parse" ] || skip "nf-parse not built"
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$TMP/flows"
    /usr/bin/python3 "$REF" --split <"$TMP/flows" >"$TMP/ref"
    nf-window --split <"$TMP/flows" >"$TMP/got"
    [ -s "$TMP/got" ]
    cmp "$TMP/ref" "$TMP/got"
}

@test "CTU 24 h: totals of FLOWS, PACKETS, BYTES equal the sums over the flows (awk)" {
    nf-window "$FLOWS" >"$TMP/agg"
    want=$(awk '{ match($0, /"IN_PKTS":[0-9]+/); ip = substr($0, RSTART + 10, RLENGTH - 10)
                  match($0, /"OUT_PKTS":[0-9]+/); op = substr($0, RSTART + 11, RLENGTH - 11)
                  match($0, /"IN_BYTES":[0-9]+/); ib = substr($0, RSTART + 11, RLENGTH - 11)
                  match($0, /"OUT_BYTES":[0-9]+/); ob = substr($0, RSTART + 12, RLENGTH - 12)
                  f++; p += ip + op; b += ib + ob } END { printf "%d %d %d", f, p, b }' "$FLOWS")
    got=$(awk -F'"FLOWS":|,"PACKETS":|,"BYTES":|}' '{ f += $2; p += $3; b += $4 } END { printf "%d %d %d", f, p, b }' "$TMP/agg")
    [ "$got" = "$want" ]
    [ "$want" != "0 0 0" ]
}

@test "output: WINDOW_START first, windows in time order, one fill record per empty window" {
    nf-window "$FLOWS" >"$TMP/agg"
    run awk -F'[:,]' '$1 != "{\"WINDOW_START\"" || $2 < prev { bad++ } { prev = $2 } END { exit bad > 0 }' "$TMP/agg"
    [ "$status" -eq 0 ]
    # every window from the first to the last appears, empty ones exactly once as a fill record
    run awk -F'[:,]' '{ w[$2]++; if (/"SRC_NET":null/) fill[$2]++ } END {
            for (k in fill) if (w[k] != 1) exit 1; exit length(fill) == 0 }' "$TMP/agg"
    [ "$status" -eq 0 ]
    first=$(head -n1 "$TMP/agg" | cut -d, -f1 | cut -d: -f2)
    last=$(tail -n1 "$TMP/agg" | cut -d, -f1 | cut -d: -f2)
    nwin=$(cut -d, -f1 "$TMP/agg" | sort -u | wc -l)
    [ "$nwin" -eq $(((last - first) / 300000 + 1)) ]
    grep -q '"SRC_NET":null,"DST_NET":null,"PROTOCOL_NUM":null,"FLOWS":0,"PACKETS":0,"BYTES":0}' "$TMP/agg"
}

@test "window boundary: a flow starting exactly on a boundary is in the window starting there" {
    { flow 10.0.0.1 10.1.0.1 6 $((T0 - 1)) $((T0 - 1)) 1 40
      flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40; } >"$TMP/f"
    run nf-window "$TMP/f"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "{\"WINDOW_START\":$((T0 - 300000)),\"WINDOW_END\":$T0,\"SRC_NET\":\"10.0.0.0/24\",\"DST_NET\":\"10.1.0.0/24\",\"PROTOCOL_NUM\":6,\"FLOWS\":1,\"PACKETS\":2,\"BYTES\":140}" ]
    [ "${lines[1]}" = "{\"WINDOW_START\":$T0,\"WINDOW_END\":$((T0 + 300000)),\"SRC_NET\":\"10.0.0.0/24\",\"DST_NET\":\"10.1.0.0/24\",\"PROTOCOL_NUM\":6,\"FLOWS\":1,\"PACKETS\":2,\"BYTES\":140}" ]
    [ "${#lines[@]}" -eq 2 ]
}

@test "IPv6: /64 aggregation, IPv4 keys before IPv6, canonical order inside a window" {
    { flow 2001:db8:0:1::5 2001:db8:ff::1 17 $((T0 + 1000)) $((T0 + 1000)) 1 80
      flow 2001:db8:0:1:abcd::9 2001:db8:ff::2 17 $((T0 + 2000)) $((T0 + 2000)) 2 160
      flow 2001:db8:0:2::1 2001:db8:ff::1 17 $((T0 + 3000)) $((T0 + 3000)) 1 80
      flow 10.0.0.1 2001:db8:ff::1 6 $((T0 + 4000)) $((T0 + 4000)) 1 40
      flow 9.0.0.1 10.0.0.1 6 $((T0 + 5000)) $((T0 + 5000)) 1 40; } >"$TMP/f"
    run nf-window "$TMP/f"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    [[ "${lines[0]}" == *'"SRC_NET":"9.0.0.0/24","DST_NET":"10.0.0.0/24","PROTOCOL_NUM":6,"FLOWS":1'* ]]
    [[ "${lines[1]}" == *'"SRC_NET":"10.0.0.0/24","DST_NET":"2001:db8:ff::/64","PROTOCOL_NUM":6,"FLOWS":1'* ]]
    [[ "${lines[2]}" == *'"SRC_NET":"2001:db8:0:1::/64","DST_NET":"2001:db8:ff::/64","PROTOCOL_NUM":17,"FLOWS":2,"PACKETS":5,"BYTES":440}' ]]
    [[ "${lines[3]}" == *'"SRC_NET":"2001:db8:0:2::/64","DST_NET":"2001:db8:ff::/64","PROTOCOL_NUM":17,"FLOWS":1'* ]]
    run nf-window --prefix6 48 "$TMP/f"
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[2]}" == *'"SRC_NET":"2001:db8::/48","DST_NET":"2001:db8:ff::/48","PROTOCOL_NUM":17,"FLOWS":3'* ]]
}

@test "--lateness: out-of-order flows within the lateness count as if sorted" {
    # swap neighbouring flows throughout the CTU day (one pair lies across a 9 h pause)
    awk 'NR % 2 == 1 { held = $0; next } { print; print held } END { if (NR % 2) print held }' "$FLOWS" >"$TMP/shuffled"
    nf-window "$FLOWS" >"$TMP/sorted.out"
    run nf-window --lateness 1d "$TMP/shuffled"
    [ "$status" -eq 0 ]
    [[ "$output" != *late* ]]
    printf '%s\n' "$output" | cmp - "$TMP/sorted.out"
    # without lateness the same input loses flows to lateness
    run nf-window --lateness 0 "$TMP/shuffled"
    [[ "$output" == *"late flows"* ]]
}

@test "--lateness: a flow beyond the lateness is late: counted on stderr, kept in --late FILE" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.1 10.1.0.1 6 $((T0 + 900000)) $((T0 + 900000)) 1 40
      flow 10.0.0.9 10.1.0.1 6 $((T0 + 500000)) $((T0 + 500000)) 1 40 '"LABEL":"within"'
      flow 10.0.0.7 10.1.0.1 6 $((T0 + 1000)) $((T0 + 1000)) 1 40 '"LABEL":"beyond"'; } >"$TMP/f"
    nf-window --lateness 10m --late "$TMP/late" "$TMP/f" >"$TMP/out" 2>"$TMP/err"
    grep -q "1 late flows" "$TMP/err"
    grep -q "$TMP/f:4" "$TMP/err"
    [ "$(wc -l <"$TMP/late")" -eq 1 ]
    grep -q '"LABEL":"beyond"' "$TMP/late"
    # the flow 400 s back (within 10 m) was counted in its window
    grep -q "\"WINDOW_START\":$((T0 + 300000)),.*\"FLOWS\":1," "$TMP/out"
    run ! grep -q '"SRC_NET":"10.0.0.0/24".*"FLOWS":2' "$TMP/out"
}

@test "late flows without --late: counted, how far behind, the --lateness that counts them, exit 1" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.1 10.1.0.1 6 $((T0 + 900000)) $((T0 + 900000)) 1 40
      flow 10.0.0.7 10.1.0.1 6 $((T0 + 1000)) $((T0 + 1000)) 1 40
      flow 10.0.0.8 10.1.0.1 6 $((T0 + 60000)) $((T0 + 60000)) 1 40; } >"$TMP/f"
    run nf-window --lateness 10m "$TMP/f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-window: 2 late flows, counted in no window: up to 14m 59s behind the newest flow time, beyond --lateness 10m (first at $TMP/f:3); --lateness 899 counts them all; dropped (give --late FILE to keep them)"* ]]
    # the --lateness named counts them all
    run nf-window --lateness 899 "$TMP/f"
    [ "$status" -eq 0 ]
    [[ "$output" != *late* ]]
    [[ "$output" == *'"SRC_NET":"10.0.0.0/24","DST_NET":"10.1.0.0/24","PROTOCOL_NUM":6,"FLOWS":3,'* ]]
    # kept in --late FILE: nothing lost, exit 0
    run nf-window --lateness 10m --late "$TMP/late" "$TMP/f"
    [ "$status" -eq 0 ]
    [ "$(wc -l <"$TMP/late")" -eq 2 ]
}

@test "--strict: the first late flow ends the run with exit 1, naming the place and --lateness" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.1 10.1.0.1 6 $((T0 + 900000)) $((T0 + 900000)) 1 40
      flow 10.0.0.7 10.1.0.1 6 $((T0 + 1000)) $((T0 + 1000)) 1 40; } >"$TMP/f"
    run nf-window --strict --lateness 10m "$TMP/f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-window: $TMP/f:3: out of time order: FIRST_SWITCHED 2019-04-04 16:00:01 UTC (1554393601000) is 14m 59s earlier than the newest flow time, 2019-04-04 16:15:00 UTC (1554394500000); its window was already written (a longer --lateness keeps windows open) (--lateness 10m, --strict)"* ]]
    run nf-window --strict --lateness 10m --late "$TMP/late" "$TMP/f"
    [ "$status" -eq 1 ]
    flow 10.0.0.3 10.1.0.1 6 null null 1 40 >"$TMP/g"
    run nf-window --strict "$TMP/g"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$TMP/g:1: flow without a time (FIRST_SWITCHED null, no EXPORT_TIME)"* ]]
}

@test "the shuffled Argus reproducer: every late flow counted, exit 1; --strict stops at line 2" {
    require_shared
    f=$SHARED/../reliability/window-shuffled-argus.ndjson
    [ -f "$f" ] || skip "needs ../shared/reliability"
    run nf-window "$f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-window: 5937 late flows, counted in no window: up to 23h 55m 32s behind the newest flow time, beyond --lateness 2h"* ]]
    # windows + late = every flow
    nf-window --late "$TMP/late" "$f" >"$TMP/out" 2>/dev/null
    kept=$(awk -F'"FLOWS":' '{ split($2, a, ","); s += a[1] } END { print s }' "$TMP/out")
    [ $((kept + $(wc -l <"$TMP/late"))) -eq 6751 ]
    run nf-window --strict "$f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"window-shuffled-argus.ndjson:2: out of time order: FIRST_SWITCHED "*" earlier than the newest flow time, "*"(--lateness 2h, --strict)"* ]]
    # with a lateness of a day the shuffle is undone
    run nf-window --lateness 1d "$f"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | awk -F'"FLOWS":' '{ split($2, a, ","); s += a[1] } END { print s }')" -eq 6751 ]
}

@test "time going back more than --max-gap starts a new run: every flow kept, named, exit 1" {
    { flow 10.0.0.1 10.1.0.1 6 $((T0 + 3 * 86400000)) $((T0 + 3 * 86400000)) 1 40
      flow 10.0.0.2 10.1.0.1 6 $((T0 + 3 * 86400000 + 1000)) $((T0 + 3 * 86400000 + 1000)) 1 40
      flow 10.0.0.3 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.4 10.1.0.1 6 $((T0 + 600000)) $((T0 + 600000)) 1 40; } >"$TMP/f"
    run nf-window "$TMP/f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-window: $TMP/f:3: error: out of time order: FIRST_SWITCHED 2019-04-04 16:00:00 UTC (1554393600000) is 3d 1s earlier than the newest flow time, 2019-04-07 16:00:01 UTC (1554652801000); more than --max-gap (1d): the windows so far are written and a new time-ordered run of windows starts here (sort the input by FIRST_SWITCHED for one series)"* ]]
    [[ "${lines[1]}" == *"\"WINDOW_START\":$((T0 + 3 * 86400000)),"*'"FLOWS":2,'* ]]
    [[ "${lines[2]}" == *"\"WINDOW_START\":$T0,"*'"FLOWS":1,'* ]]
    [[ "${lines[4]}" == *"\"WINDOW_START\":$((T0 + 600000)),"*'"FLOWS":1,'* ]]
    # the new run is filled inside itself, not back to the old one
    [ "$(grep -c '"FLOWS":0,' <<<"$output")" -eq 1 ]
    [[ "$output" != *"late flows"* ]]
}

@test "non-empty input that yields no record: exit 1 with the counts" {
    printf 'garbage\n{"x":1}\n' >"$TMP/g"
    run nf-window "$TMP/g"
    [ "$status" -eq 1 ]
    [[ "$output" == *"nf-window: error: no record written: 2 input records, 2 of them skipped as bad, 0 late, 0 without a time"* ]]
    run nf-window --flows "$TMP/g"
    [ "$status" -eq 1 ]
    run nf-window --merge "$TMP/g"
    [ "$status" -eq 1 ]
    # empty input stays exit 0 with no output
    run nf-window </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "--split: the documented example gives 2/5/3 packets and 167/500/334 bytes, flow counted once" {
    # 16:03:20 to 16:13:20, 9 + 1 packets, 901 + 100 bytes
    flow 10.0.0.1 10.1.0.1 6 $((T0 + 200000)) $((T0 + 800000)) 9 901 >"$TMP/f"
    run nf-window --split "$TMP/f"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 3 ]
    [[ "${lines[0]}" == *"\"WINDOW_START\":$T0,"*'"FLOWS":1,"PACKETS":2,"BYTES":167}' ]]
    [[ "${lines[1]}" == *"\"WINDOW_START\":$((T0 + 300000)),"*'"FLOWS":0,"PACKETS":5,"BYTES":500}' ]]
    [[ "${lines[2]}" == *"\"WINDOW_START\":$((T0 + 600000)),"*'"FLOWS":0,"PACKETS":3,"BYTES":334}' ]]
    run nf-window "$TMP/f"
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" == *'"FLOWS":1,"PACKETS":10,"BYTES":1001}' ]]
}

@test "--split on CTU: sums of FLOWS, PACKETS, BYTES are those without --split" {
    sum='{ f += $2; p += $3; b += $4 } END { printf "%d %d %d", f, p, b }'
    a=$(nf-window "$FLOWS" | awk -F'"FLOWS":|,"PACKETS":|,"BYTES":|}' "$sum")
    b=$(nf-window --split "$FLOWS" | awk -F'"FLOWS":|,"PACKETS":|,"BYTES":|}' "$sum")
    [ "$a" = "$b" ]
    # and long flows do reach later windows
    [ "$(nf-window --split "$FLOWS" | grep -c '"FLOWS":0,"PACKETS":[1-9]')" -gt 10 ]
}

@test "timeless flows: EXPORT_TIME stands in; without it counted and kept in --late, never 1970" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.2 10.1.0.1 6 null null 1 40 "\"EXPORT_TIME\":$((T0 + 301000))"
      flow 10.0.0.3 10.1.0.1 6 null null 1 40 '"LABEL":"no time"'; } >"$TMP/f"
    nf-window --late "$TMP/late" "$TMP/f" >"$TMP/out" 2>"$TMP/err"
    [ "$(wc -l <"$TMP/out")" -eq 2 ]
    grep -q "\"WINDOW_START\":$((T0 + 300000)),.*\"FLOWS\":1," "$TMP/out"
    run ! grep -q '"WINDOW_START":0,' "$TMP/out"
    grep -q "1 flows without a time" "$TMP/err"
    grep -q '"LABEL":"no time"' "$TMP/late"
    [ "$(wc -l <"$TMP/late")" -eq 1 ]
}

@test "--max-gap: a longer gap is not filled, named in an error, exit 1, output complete" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.1 10.1.0.1 6 $((T0 + 2 * 86400000)) $((T0 + 2 * 86400000)) 1 40; } >"$TMP/f"
    run nf-window "$TMP/f"
    [ "$status" -eq 1 ]
    [[ "$output" == *"no flows from 2019-04-04 16:05:00 to 2019-04-06 16:00:00 UTC (1d 23h 55m, 575 windows)"* ]]
    nf-window "$TMP/f" 2>/dev/null >"$TMP/out" || true
    [ "$(wc -l <"$TMP/out")" -eq 2 ]
    run nf-window --max-gap 3d "$TMP/f"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -c '"SRC_NET":null')" -eq 575 ]
}

@test "--no-fill writes only non-empty windows and reports no gap" {
    nf-window --no-fill "$FLOWS" >"$TMP/a"
    run ! grep -q '"SRC_NET":null' "$TMP/a"
    nf-window "$FLOWS" | grep -v '"SRC_NET":null' | cmp - "$TMP/a"
    flow 1.1.1.1 2.2.2.2 6 0 0 1 1 >"$TMP/f"
    flow 1.1.1.1 2.2.2.2 6 $T0 $T0 1 1 >>"$TMP/f"
    run nf-window --no-fill "$TMP/f"
    [ "$status" -eq 0 ]
}

@test "empty input: no output, exit 0" {
    run nf-window </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    printf '\n  \n' | nf-window --merge >"$TMP/o"
    [ ! -s "$TMP/o" ]
    run nf-window --flows </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "bad records: file:line and reason, skipped and counted, --rejects keeps them, --strict stops" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      echo 'not json'
      flow 10.0.0.1 10.1.0.1 6 $T0 $T0 -1 40
      echo '{"IP_SRC_ADDR":null,"IP_DST_ADDR":"1.2.3.4","L4_SRC_PORT":1,"L4_DST_PORT":2,"PROTOCOL_NUM":6,"FIRST_SWITCHED":1,"LAST_SWITCHED":1,"IN_PKTS":1,"IN_BYTES":1}'
      flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40; } >"$TMP/f"
    run nf-window --rejects "$TMP/rej" "$TMP/f"
    [ "$status" -eq 0 ]
    [[ "$output" == *"$TMP/f:2: not valid JSON"* ]]
    [[ "$output" == *"$TMP/f:3: IN_PKTS: expected an unsigned integer"* ]]
    [[ "$output" == *"$TMP/f:4: IP_SRC_ADDR: null, cannot aggregate"* ]]
    [[ "$output" == *"3 records skipped"* ]]
    [[ "$output" == *'"FLOWS":2,"PACKETS":4,"BYTES":280}'* ]]
    [ "$(wc -l <"$TMP/rej")" -eq 3 ]
    run nf-window --strict "$TMP/f"
    [ "$status" -eq 1 ]
}

@test "--flows: flows tagged with their window, grouped in time order, input order inside, keys passed through" {
    { flow 10.0.0.1 10.1.0.1 6 $((T0 + 310000)) $((T0 + 310000)) 1 40 '"LABEL":"a"'
      flow 10.0.0.2 10.1.0.1 6 $((T0 + 10000)) $((T0 + 10000)) 1 40 '"LABEL":"b"'
      flow 10.0.0.3 10.1.0.1 6 $((T0 + 320000)) $((T0 + 320000)) 1 40 '"LABEL":"c"'
      flow 10.0.0.4 10.1.0.1 6 $((T0 + 20000)) $((T0 + 20000)) 1 40 '"LABEL":"d"'
      flow 10.0.0.5 10.1.0.1 6 $((T0 + 700000)) $((T0 + 700000)) 1 40 '"LABEL":"e"'; } >"$TMP/f"
    run nf-window --flows --lateness 10m "$TMP/f"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 5 ]
    labels=$(printf '%s\n' "$output" | sed 's/.*"LABEL":"\(.\)".*/\1/' | tr -d '\n')
    [ "$labels" = "bdace" ]
    [[ "${lines[0]}" == "{\"WINDOW_START\":$T0,\"WINDOW_END\":$((T0 + 300000)),\"ID\":"* ]] || \
    [[ "${lines[0]}" == "{\"WINDOW_START\":$T0,\"WINDOW_END\":$((T0 + 300000)),\"IP_SRC_ADDR\":\"10.0.0.2\""* ]]
    [[ "${lines[0]}" == *'"FLOWS":1,"LABEL":"b"}' ]]
}

@test "--flows on CTU: every flow once, windows non-decreasing, same windows as the aggregates" {
    nf-window --flows "$FLOWS" >"$TMP/wf"
    [ "$(wc -l <"$TMP/wf")" -eq 6751 ]
    run awk -F'[:,]' '$2 < prev { bad++ } { prev = $2 } END { exit bad > 0 }' "$TMP/wf"
    [ "$status" -eq 0 ]
    cut -d, -f1 "$TMP/wf" | uniq >"$TMP/w1"
    nf-window --no-fill "$FLOWS" | cut -d, -f1 | uniq | cmp - "$TMP/w1"
    # re-windowing the output replaces WINDOW_START instead of doubling it
    nf-window --flows --window 1h "$TMP/wf" | head -n1 | grep -o WINDOW_START | wc -l | grep -qx 1
}

@test "merge: CTU sharded by line into 2, 3 and 4 parts, windowed apart, cat | --merge equals one run" {
    nf-window "$FLOWS" >"$TMP/single"
    for n in 2 3 4; do
        split -n l/$n "$FLOWS" "$TMP/s$n."
        for s in "$TMP"/s$n.*; do nf-window <"$s"; done | nf-window --merge >"$TMP/merged$n"
        cmp "$TMP/single" "$TMP/merged$n"
    done
    # shards in reverse order and interleaved shards (not in time order)
    for s in $(ls "$TMP"/s3.* | sort -r); do nf-window <"$s"; done | nf-window --merge | cmp - "$TMP/single"
    for k in 0 1 2; do awk -v k=$k 'NR % 3 == k' "$FLOWS" | nf-window >"$TMP/p$k"; done
    cat "$TMP/p2" "$TMP/p0" "$TMP/p1" | nf-window --merge | cmp - "$TMP/single"
}

@test "merge: Hadoop Streaming contract (cat shards | mapper | sort | reducer) is byte-identical" {
    nf-window --split "$FLOWS" >"$TMP/single"
    split -n l/4 "$FLOWS" "$TMP/split."
    for s in "$TMP"/split.*; do sh -c 'nf-window --split' <"$s"; done | LC_ALL=C sort \
        | sh -c 'nf-window --merge' >"$TMP/streamed"
    cmp "$TMP/single" "$TMP/streamed"
    # also with the locale's sort order and with a different window length
    nf-window --window 1m "$FLOWS" >"$TMP/single60"
    for s in "$TMP"/split.*; do nf-window --window 1m <"$s"; done | sort | nf-window --merge >"$TMP/s60"
    cmp "$TMP/single60" "$TMP/s60"
}

@test "merge: GNU parallel over shards is byte-identical" {
    require_cmd parallel
    nf-window "$FLOWS" >"$TMP/single"
    split -n l/4 "$FLOWS" "$TMP/split."
    parallel -j 2 'nf-window < {}' ::: "$TMP"/split.* | nf-window --merge >"$TMP/par"
    cmp "$TMP/single" "$TMP/par"
    parallel -j 2 --pipepart -a "$FLOWS" --block 200k nf-window | nf-window --merge >"$TMP/pp"
    cmp "$TMP/single" "$TMP/pp"
}

@test "merge: gaps are reported once by the merge with the single run's status and bytes" {
    { flow 10.0.0.1 10.1.0.1 6 $T0 $T0 1 40
      flow 10.0.0.2 10.1.0.1 6 $((T0 + 600000)) $((T0 + 600000)) 1 40
      flow 10.0.0.1 10.1.0.1 6 $((T0 + 3 * 86400000)) $((T0 + 3 * 86400000)) 1 40; } >"$TMP/f"
    run nf-window "$TMP/f"
    single_status=$status
    nf-window "$TMP/f" >"$TMP/single" 2>/dev/null || true
    sed -n 1p "$TMP/f" | nf-window >"$TMP/a"
    sed -n '2,3p' "$TMP/f" | nf-window >"$TMP/b" 2>/dev/null || true
    run nf-window --merge "$TMP/b" "$TMP/a"
    [ "$status" -eq "$single_status" ]
    [ "$status" -eq 1 ]
    [[ "$output" == *"gap longer than --max-gap"* ]]
    nf-window --merge "$TMP/b" "$TMP/a" 2>/dev/null | cmp - "$TMP/single"
}

@test "merge: records of another window length or alignment are rejected with file:line" {
    nf-window "$FLOWS" | head -n 20 >"$TMP/a"
    nf-window --window 60 "$FLOWS" | head -n 1 >>"$TMP/a"
    echo '{"WINDOW_START":1554394801000,"WINDOW_END":1554395101000,"SRC_NET":"10.8.0.0/24","DST_NET":"8.8.8.0/24","PROTOCOL_NUM":17,"FLOWS":1,"PACKETS":1,"BYTES":1}' >>"$TMP/a"
    echo '{"WINDOW_START":1554394800000,"WINDOW_END":1554395100000,"SRC_NET":"10.8.0.0/24","DST_NET":null,"PROTOCOL_NUM":17,"FLOWS":1,"PACKETS":1,"BYTES":1}' >>"$TMP/a"
    run nf-window --merge "$TMP/a"
    [ "$status" -eq 0 ]
    [[ "$output" == *"$TMP/a:21: window of 60000 ms, not 300000 ms"* ]]
    [[ "$output" == *"$TMP/a:22: WINDOW_START 1554394801000 is not a multiple"* ]]
    [[ "$output" == *"$TMP/a:23: SRC_NET, DST_NET and PROTOCOL_NUM: null in some"* ]]
    run nf-window --merge "$FLOWS"
    [[ "$output" == *"$FLOWS:1: WINDOW_START: missing (--merge reads nf-window's aggregate records)"* ]]
    run nf-window --merge --window 60 "$TMP/a"
    [[ "$output" == *"$TMP/a:1: window of 300000 ms, not 60000 ms like the --window"* ]]
}

@test "output to a closed pipe ends quietly" {
    run bash -c "set -o pipefail; nf-window --window 10 '$FLOWS' | head -n 1; echo \${PIPESTATUS[0]}"
    [ "${lines[1]}" = "141" ] || [ "${lines[1]}" = "0" ]
    [[ "$output" != *rror* ]]
}

@test "memory does not grow with the number of windows (86,400 one-second windows vs one day-long window)" {
    [ "${NF_SAN:-0}" = 1 ] && skip "sanitizer shadow memory makes RSS meaningless"
    [ -x /usr/bin/time ] || skip "needs GNU time (/usr/bin/time)"
    # (not --split: there the open windows include every window a long flow reaches into)
    /usr/bin/time -f %M -o "$TMP/rss1" nf-window --window 1 "$FLOWS" >"$TMP/o1"
    /usr/bin/time -f %M -o "$TMP/rss2" nf-window --window 1d "$FLOWS" >"$TMP/o2"
    [ "$(cut -d, -f1 "$TMP/o1" | uniq | wc -l)" -gt 80000 ]
    [ "$(cut -d, -f1 "$TMP/o2" | uniq | wc -l)" -le 2 ]
    many=$(tail -n1 "$TMP/rss1") one=$(tail -n1 "$TMP/rss2")
    echo "peak RSS: $many KiB for 86,400 windows, $one KiB for one" >&2
    [ "$many" -le $((one * 3 / 2 + 1024)) ]
    # --flows holds the windows of the lateness as text: none with --lateness 0
    /usr/bin/time -f %M -o "$TMP/rss3" nf-window --flows --lateness 0 --window 1 "$FLOWS" >/dev/null
    [ "$(tail -n1 "$TMP/rss3")" -le $((one * 3 / 2 + 1024)) ]
}

@test "--start-at: a run cut at a window start and continued gives the single run's windows" {
    local cut=$((T0 + 600000))
    {
        flow 10.0.0.1 10.0.1.1 17 $T0 $T0 1 100
        flow 10.0.0.1 10.0.1.1 17 $((T0 + 300000)) $((T0 + 300000)) 2 200
        flow 10.0.0.2 10.0.1.1 6 $((T0 + 310000)) $((T0 + 320000)) 3 300
    } >"$TMP/a.ndjson"
    {
        flow 10.0.0.1 10.0.1.1 17 $((T0 + 1200000)) $((T0 + 1200000)) 4 400
        flow 10.0.0.3 10.0.1.1 17 $((T0 + 1250000)) $((T0 + 1250000)) 5 500
    } >"$TMP/b.ndjson"
    nf-window "$TMP/a.ndjson" >"$TMP/wa"
    [ "$(tail -n 1 "$TMP/wa" | jq .WINDOW_END)" -eq "$cut" ]
    run nf-window --start-at "$cut" "$TMP/b.ndjson"
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" >"$TMP/wb"
    # the empty windows between the two runs are filled, from the cut on
    [ "$(head -n 1 "$TMP/wb" | jq -c '[.WINDOW_START, .FLOWS]')" = "[$cut,0]" ]
    cat "$TMP/a.ndjson" "$TMP/b.ndjson" | nf-window >"$TMP/whole"
    cat "$TMP/wa" "$TMP/wb" | cmp - "$TMP/whole"
    # the same time in ISO form
    run nf-window --start-at 2019-04-04T16:10:00 "$TMP/b.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | head -n 1 | jq .WINDOW_START)" -eq "$cut" ]
}

@test "--start-at: flows of windows the earlier run wrote are counted and kept with --late; --strict stops" {
    local cut=$((T0 + 300000))
    {
        flow 10.0.0.1 10.0.1.1 17 $((T0 + 299000)) $((T0 + 299000)) 1 100
        flow 10.0.0.1 10.0.1.1 17 $((T0 + 301000)) $((T0 + 301000)) 2 200
    } >"$TMP/b.ndjson"
    run --separate-stderr nf-window --start-at "$cut" "$TMP/b.ndjson"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"1 flows before --start-at 2019-04-04 16:05:00 UTC (windows an earlier run wrote), counted in no window: dropped"* ]]
    [ "$(printf '%s\n' "$output" | jq -s 'map(.WINDOW_START) | unique')" = "$(jq -n "[$cut]")" ]
    run nf-window --start-at "$cut" --late "$TMP/late" "$TMP/b.ndjson"
    [ "$status" -eq 0 ]
    [ "$(jq .FIRST_SWITCHED "$TMP/late")" -eq $((T0 + 299000)) ]
    run --separate-stderr nf-window --strict --start-at "$cut" "$TMP/b.ndjson"
    [ "$status" -eq 1 ]
    [[ "$stderr" == *"b.ndjson:1"*"its window is one an earlier run wrote"* ]]
}

@test "--start-at: not a time, not a window start, or with --merge is a usage error" {
    run nf-window --start-at yesterday /dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--start-at: 'yesterday' is not a time"* ]]
    run nf-window --start-at 2019-04-04T16:02:00 /dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"not the start of a window (--window 300s"* ]]
    run nf-window --window 1h --start-at 2019-04-04T16:05:00 /dev/null
    [ "$status" -eq 2 ]
    run nf-window --merge --start-at 2019-04-04T16:05:00 /dev/null
    [ "$status" -eq 2 ]
    [[ "$output" == *"--start-at does not apply"* ]]
}
