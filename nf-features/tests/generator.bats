#!/usr/bin/env bats
# bench/generate-flows: deterministic, nfdump CSV that nf-parse reads, a
# daily cycle, and each injected shift visible where the truth file says.

load ../../tests/helpers

GEN="$NF_TOP/bench/generate-flows"
T0=1554336000000 # 2019-04-04 00:00 UTC, the default --start

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}

@test "same seed, same bytes (with either python3); another seed differs" {
    python3 "$GEN" --days 0.25 --rate 2 --seed 5 --shift +3h:scan:100 >"$TMP/a"
    if [ -x /usr/bin/python3 ]; then
        /usr/bin/python3 "$GEN" --days 0.25 --rate 2 --seed 5 --shift +3h:scan:100 >"$TMP/b"
    else
        python3 "$GEN" --days 0.25 --rate 2 --seed 5 --shift +3h:scan:100 >"$TMP/b"
    fi
    cmp "$TMP/a" "$TMP/b"
    python3 "$GEN" --days 0.25 --rate 2 --seed 6 --shift +3h:scan:100 >"$TMP/c"
    ! cmp -s "$TMP/a" "$TMP/c"
}

@test "output is nfdump CSV with the real 48-column header, in time order" {
    python3 "$GEN" --days 0.1 --rate 2 --seed 1 >"$TMP/f.csv"
    [ "$(head -1 "$TMP/f.csv")" = "$(head -1 "$DATA/ctu-test1-malicious.nfdump.csv")" ]
    [ "$(awk -F, 'NR > 1 && NF != 48' "$TMP/f.csv" | wc -l)" -eq 0 ]
    tail -n +2 "$TMP/f.csv" | cut -d, -f1 | sort -c
}

@test "nf-parse reads every generated flow" {
    [ -x "$NF_BIN/nf-parse" ] || skip "nf-parse not built"
    python3 "$GEN" --days 0.1 --rate 2 --seed 1 >"$TMP/f.csv"
    run nf-parse "$TMP/f.csv"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -c '^{')" -eq $(($(wc -l <"$TMP/f.csv") - 1)) ]
}

@test "daily cycle: the busiest hour has at least twice the flows of the quietest" {
    python3 "$GEN" --days 1 --rate 1 --seed 2 --noise 0 >"$TMP/f.csv"
    tail -n +2 "$TMP/f.csv" | cut -c12-13 | sort | uniq -c | awk '{print $1}' | sort -n >"$TMP/h"
    [ "$(wc -l <"$TMP/h")" -eq 24 ]
    [ "$(tail -1 "$TMP/h")" -ge $((2 * $(head -1 "$TMP/h"))) ]
}

@test "truth file: one line per shift with time, kind, size, window index" {
    python3 "$GEN" --days 1 --rate 0.2 --seed 1 --shift 2019-04-04T12:00:new-udp-service:0.5 \
        --shift +2h30m:scan:50:10 --truth "$TMP/t" >/dev/null
    [ "$(wc -l <"$TMP/t")" -eq 2 ]
    [ "$(sed -n 1p "$TMP/t" | jq -c '[.time_ms, .kind, .size, .window, .end_ms]')" = "[$((T0 + 9000000)),\"scan\",50,30,$((T0 + 9600000))]" ]
    [ "$(sed -n 2p "$TMP/t" | jq -c '[.time_ms, .kind, .window, .end_ms]')" = "[$((T0 + 43200000)),\"new-udp-service\",144,null]" ]
}

@test "shifts appear only from their time: UDP/443 from new sources, SYN scan, egress step" {
    python3 "$GEN" --days 1 --rate 0.5 --seed 4 --noise 0 --shift +12h:new-udp-service:0.5 \
        --shift +6h:scan:200:30 --shift +18h:egress-step:1 >"$TMP/f.csv"
    # new UDP service: UDP to 443 from 100.64.0.0/10 only after 12:00
    awk -F, '$8 == "UDP" && $7 == 443 && $4 ~ /^100\./ { print substr($1, 12, 2) }' "$TMP/f.csv" | sort -u >"$TMP/udp"
    [ "$(head -1 "$TMP/udp")" = 12 ]
    # scan: SYN-only single packets from 203.0.113.x between 06:00 and 06:30, ~200 per 5 min
    awk -F, '$4 ~ /^203\.0\.113\./ && $9 == "......S." && $12 == 1 { print substr($1, 12, 5) }' "$TMP/f.csv" >"$TMP/scan"
    [ "$(wc -l <"$TMP/scan")" -eq 1200 ]
    [ "$(head -1 "$TMP/scan")" \> "05:59" ]
    [ "$(tail -1 "$TMP/scan")" \< "06:30" ]
    # egress step: bytes sent by internal hosts per flow roughly double after 18:00
    awk -F, 'NR > 1 && $4 ~ /^10\.8\./ { h = substr($1, 12, 2) + 0; if (h >= 14 && h < 18) { a += $13; na++ } if (h >= 18 && h < 22) { b += $13; nb++ } }
             END { r = (b / nb) / (a / na); print (r > 1.5 && r < 3) ? "ok" : "ratio " r }' "$TMP/f.csv" >"$TMP/r"
    [ "$(cat "$TMP/r")" = ok ]
}

@test "bad --shift specs are usage errors" {
    run python3 "$GEN" --days 1 --shift +2h:teleport
    [ "$status" -eq 2 ]
    [[ "$output" == *"KIND one of new-udp-service, egress-step, scan"* ]]
    run python3 "$GEN" --days 1 --shift +30h:scan
    [ "$status" -eq 2 ]
    [[ "$output" == *"outside the generated period"* ]]
}

@test "new kinds: ESP only after proto-mix, the silent /24 gone, truth with actor and short" {
    python3 "$GEN" --days 1 --rate 0.5 --seed 4 --cycle office --weekend 0.5 --shift +12h:proto-mix:0.3 \
        --shift +18h:subnet-silent:1 --shift +6h:flow-spike:3:15 --truth "$TMP/t" >"$TMP/f.csv"
    awk -F, '$8 == 50 { print substr($1, 12, 2) }' "$TMP/f.csv" | sort -u | head -1 >"$TMP/esp"
    [ "$(cat "$TMP/esp")" = 12 ]
    net=$(jq -r 'select(.kind == "subnet-silent") | .actor.subnet' "$TMP/t" | sed 's|\.0/24$|.|')
    [ -n "$net" ]
    [ "$(awk -F, -v n="$net" 'NR > 1 && substr($1, 12, 2) >= 18 && (index($4, n) == 1 || index($5, n) == 1)' "$TMP/f.csv" | wc -l)" -eq 0 ]
    [ "$(awk -F, -v n="$net" 'NR > 1 && substr($1, 12, 2) < 18 && (index($4, n) == 1 || index($5, n) == 1)' "$TMP/f.csv" | wc -l)" -gt 0 ]
    [ "$(jq -c 'select(.kind == "flow-spike") | [.short, .end_ms - .time_ms]' "$TMP/t")" = '[true,900000]' ]
    [ "$(jq -r 'select(.kind == "proto-mix") | .actor.protocol' "$TMP/t")" = ESP ]
}
