#!/usr/bin/env bats
# nf-decompose command line: options, output keys, pass-through and the
# documented rules for short series, missing values, disorder and spacing.

load ../../tests/helpers

setup() {
    W=$BATS_TEST_TMPDIR
}

# series N PERIOD: 5-minute rows with a trend, a daily-style bump, a label and a second column.
series() {
    awk -v n="$1" -v p="$2" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"WINDOW_START\":%.0f,\"LABEL\":\"l%d\",\"bytes\":%.6g,\"flows\":%d}\n",
            1700000000000 + i * 300000, i % 3, 1000 + 3 * i + (i % p == 2 ? 400 : 0) + (i * 7919) % 13,
            20 + (i % p) + (i * 31) % 5 }'
}

@test "--help and --version exit 0" {
    run nf-decompose --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--s-window"* ]]
    run nf-decompose --version
    [ "$status" -eq 0 ]
    [[ "$output" == "nf-decompose (nfshift) "* ]]
}

@test "--period is required (exit 2)" {
    series 50 12 >"$W/s"
    run nf-decompose "$W/s"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--period is required"* ]]
}

@test "bad option values are usage errors (exit 2)" {
    series 50 12 >"$W/s"
    for bad in "--period 1" "--period x" "--s-window 0" "--s-window 2" "--s-window periodical" "--s-degree 2" \
        "--t-degree -1" "--keep trend,season" "--na zero" "--median mean" "--inner 0"; do
        run nf-decompose --period 12 $bad "$W/s"
        echo "$bad -> $status $output"
        [ "$status" -eq 2 ]
    done
}

@test "output: pass-through members first, then trend, seasonal, remainder per column" {
    series 50 12 >"$W/s"
    run nf-decompose --period 12 --s-window 7 "$W/s"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 50 ]
    first=$(printf '%s\n' "$output" | head -1)
    keys=$(printf '%s' "$first" | sed 's/"\([A-Za-z_]*\)":[^,}]*/\1/g')
    [ "$keys" = "{WINDOW_START,LABEL,bytes_trend,bytes_seasonal,bytes_remainder,flows_trend,flows_seasonal,flows_remainder}" ]
    [[ "$first" == '{"WINDOW_START":1700000000000,"LABEL":"l0",'* ]]
}

@test "components add up to the input value" {
    series 60 12 >"$W/s"
    nf-decompose --period 12 --s-window 7 --columns bytes "$W/s" >"$W/o"
    paste -d' ' <(sed 's/.*"bytes":\([^,]*\),.*/\1/' "$W/s") \
        <(sed 's/.*_trend":\([^,]*\),.*_seasonal":\([^,]*\),.*_remainder":\([^,}]*\)}/\1 \2 \3/' "$W/o") |
        awk '{ d = $1 - $2 - $3 - $4; if (d < 0) d = -d; if (d > 1e-9) bad++ } END { exit bad > 0 }'
}

@test "--keep trend writes only the trend keys" {
    series 50 12 >"$W/s"
    run nf-decompose --period 12 --keep trend "$W/s"
    [ "$status" -eq 0 ]
    [[ "$output" == *bytes_trend* ]]
    [[ "$output" != *_seasonal* ]]
    [[ "$output" != *_remainder* ]]
    run nf-decompose --period 12 --keep remainder,seasonal --columns flows "$W/s"
    first=$(printf '%s\n' "$output" | head -1)
    [[ "$first" == *'"flows_seasonal":'*'"flows_remainder":'* ]]
    [[ "$first" != *_trend* ]]
}

@test "--columns / --exclude choose the columns; the others pass through unchanged" {
    series 50 12 >"$W/s"
    run nf-decompose --period 12 --exclude bytes "$W/s"
    [ "$status" -eq 0 ]
    first=$(printf '%s\n' "$output" | head -1)
    [[ "$first" == *'"LABEL":"l0","bytes":1000,"flows_trend":'* ]]
    [[ "$first" == *flows_trend* ]]
    [[ "$first" != *bytes_trend* ]]
}

@test "each column is decomposed on its own: two columns equal each alone" {
    series 80 12 >"$W/s"
    nf-decompose --period 12 --s-window 9 --robust --keep trend "$W/s" >"$W/both"
    nf-decompose --period 12 --s-window 9 --robust --keep trend --columns flows "$W/s" >"$W/one"
    diff <(grep -o '"flows_trend":[^,}]*' "$W/both") <(grep -o '"flows_trend":[^,}]*' "$W/one")
}

@test "a series of two periods or less is an error naming column, length and period (exit 1)" {
    series 24 12 >"$W/s"
    run nf-decompose --period 12 --columns bytes "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"column 'bytes': 24 points is not more than two periods of 12"* ]]
    series 25 12 >"$W/s"
    run nf-decompose --period 12 --columns bytes "$W/s"
    [ "$status" -eq 0 ]
}

@test "--period none: trend-only loess, no seasonal key; a line stays a line" {
    awk 'BEGIN { for (i = 0; i < 10; i++) printf "{\"WINDOW_START\":%d,\"v\":%d}\n", i, 5 + 2 * i }' >"$W/s"
    run nf-decompose --period none "$W/s"
    [ "$status" -eq 0 ]
    [[ "$output" != *_seasonal* ]]
    printf '%s\n' "$output" | sed 's/.*"v_trend":\([^,]*\),"v_remainder":\([^}]*\)}/\1 \2/' |
        awk '{ d = $1 - (5 + 2 * (NR - 1)); if (d < 0) d = -d; if (d > 1e-9 || ($2 > 1e-9 || $2 < -1e-9)) bad++ } END { exit bad > 0 }'
    run nf-decompose --period none --keep seasonal "$W/s"
    [ "$status" -eq 2 ]
}

@test "--period none smooths with the given window (a spike is spread, not kept)" {
    awk 'BEGIN { for (i = 0; i < 21; i++) printf "{\"v\":%d}\n", i == 10 ? 100 : 0 }' >"$W/s"
    run nf-decompose --period none --t-window 7 --t-degree 0 "$W/s"
    [ "$status" -eq 0 ]
    mid=$(printf '%s\n' "$output" | sed -n 11p | sed 's/.*"v_trend":\([^,]*\),.*/\1/')
    far=$(printf '%s\n' "$output" | sed -n 1p | sed 's/.*"v_trend":\([^,]*\),.*/\1/')
    awk -v m="$mid" -v f="$far" 'BEGIN { exit !(m > 10 && m < 100 && f == 0) }'
}

@test "a missing value is an error naming file:line and column (R's na.fail)" {
    series 40 12 >"$W/s"
    sed -i '7s/"bytes":[0-9.e+]*,//' "$W/s"
    run nf-decompose --period 12 "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$W/s:7: column 'bytes' is missing or not a number"* ]]
    sed -i '9s/"flows":[0-9]*/"flows":null/' "$W/s"
    run nf-decompose --period 12 --columns flows "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$W/s:9: column 'flows'"* ]]
}

@test "--na interpolate fills a gap linearly before decomposing" {
    series 40 12 >"$W/s"
    sed '7s/"bytes":[0-9.e+]*,//' "$W/s" >"$W/gap"
    awk -F'"bytes":' 'NR == 6 { split($2, a, ","); p = a[1] } NR == 8 { split($2, a, ","); q = a[1] }
        END { printf "%.10g\n", (p + q) / 2 }' "$W/s" >"$W/fill"
    sed "7s/\"LABEL\":\"l0\",/\"LABEL\":\"l0\",\"bytes\":$(cat "$W/fill"),/" "$W/gap" >"$W/filled"
    nf-decompose --period 12 --na interpolate --columns bytes --keep trend "$W/gap" >"$W/a"
    nf-decompose --period 12 --columns bytes --keep trend "$W/filled" >"$W/b"
    diff <(grep -o '"bytes_trend":[^}]*' "$W/a") <(grep -o '"bytes_trend":[^}]*' "$W/b")
}

@test "rows out of time order: error naming the row (exit 1)" {
    series 40 12 >"$W/s"
    { sed -n 1,9p "$W/s"; sed -n 11p "$W/s"; sed -n 10p "$W/s"; sed -n '12,$p' "$W/s"; } >"$W/u"
    run nf-decompose --period 12 "$W/u"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$W/u:11: out of time order: WINDOW_START "*" UTC ("*") is 5m earlier than the row before, "*" UTC ("*"); sort the input by time"* ]]
}

@test "--period 1h on 5-minute rows is period 12; same bytes as --period 12" {
    series 60 12 >"$W/s"
    nf-decompose --period 1h --s-window 7 "$W/s" >"$W/a"
    nf-decompose --period 12 --s-window 7 "$W/s" >"$W/b"
    cmp "$W/a" "$W/b"
}

@test "--period as a duration: irregular spacing and a non-multiple are errors" {
    series 60 12 >"$W/s"
    sed -i '5s/"WINDOW_START":[0-9]*/"WINDOW_START":1700001230000/' "$W/s"
    run nf-decompose --period 1h "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$W/s:5: irregular time spacing"* ]]
    series 60 12 >"$W/s"
    run nf-decompose --period 7m "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"not a whole number of 300000 ms steps"* ]]
}

@test "--time-key names another time key" {
    series 60 12 | sed 's/WINDOW_START/ts/' >"$W/s"
    run nf-decompose --period 1h --time-key ts --keep trend --columns bytes "$W/s"
    [ "$status" -eq 0 ]
    [[ "$(printf '%s\n' "$output" | head -1)" == '{"ts":1700000000000,"LABEL":"l0","flows":20,"bytes_trend":'* ]]
}

@test "a constant column decomposes trivially: trend = value, seasonal = remainder = 0 (to rounding)" {
    awk 'BEGIN { for (i = 0; i < 40; i++) printf "{\"WINDOW_START\":%d,\"c\":7.25}\n", i }' >"$W/s"
    run nf-decompose --period 12 --s-window 7 --robust "$W/s"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 40 ]
    printf '%s\n' "$output" | sed 's/.*"c_trend":\([^,]*\),"c_seasonal":\([^,]*\),"c_remainder":\([^}]*\)}/\1 \2 \3/' |
        awk 'function a(x) { return x < 0 ? -x : x }
             { if (a($1 - 7.25) > 1e-12 || a($2) > 1e-12 || a($3) > 1e-12) bad++ } END { exit bad > 0 }' 
}

@test "deterministic: two runs give the same bytes; stdin equals a file" {
    series 100 12 >"$W/s"
    nf-decompose --period 12 --robust "$W/s" >"$W/a"
    nf-decompose --period 12 --robust <"$W/s" >"$W/b"
    cmp "$W/a" "$W/b"
}

@test "unreadable lines are rejected with file:line; --strict stops; --rejects keeps them" {
    series 40 12 >"$W/s"
    sed -i '3s/.*/not json/' "$W/s"
    run nf-decompose --period 12 --rejects "$W/rej" "$W/s"
    [ "$status" -eq 0 ]
    [[ "$output" == *"$W/s:3:"* ]]
    [ "$(cat "$W/rej")" = "not json" ]
    run nf-decompose --period 12 --strict "$W/s"
    [ "$status" -eq 1 ]
}

@test "empty input gives empty output; no numeric column is an error" {
    run nf-decompose --period 12 </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    printf '{"WINDOW_START":1,"a":"x"}\n' >"$W/s"
    run nf-decompose --period 12 "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"no numeric column"* ]]
}

@test "| head ends quietly" {
    series 2000 12 >"$W/s"
    run bash -c "nf-decompose --period 12 '$W/s' | head -1"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
}

@test "values near the double range: overflow is an error, not null output or a crash" {
    awk 'BEGIN { srand(3); for (i = 0; i < 100; i++) printf "{\"v\":%.17g}\n", (rand() - 0.5) * 1.7e308 * 2 }' >"$W/s"
    run nf-decompose --period 12 --s-window 7 --robust "$W/s"
    [ "$status" -eq 1 ]
    [[ "$output" == *"column 'v': the decomposition overflowed"* ]]
}

@test "pipeline use: --period 1d --columns 'pc*' --keep trend on nf-pca-like rows" {
    awk 'BEGIN { for (i = 0; i < 900; i++)
        printf "{\"WINDOW_START\":%.0f,\"WINDOW_END\":%.0f,\"pc1\":%.6f,\"pc2\":%.6f,\"spe\":%.3f,\"spe_limit\":false}\n",
            1.7e12 + i * 300000, 1.7e12 + (i + 1) * 300000, sin(i / 45.8), (i > 600) + cos(i / 7), i % 5 }' >"$W/s"
    run nf-decompose --period 1d --columns 'pc*' --keep trend "$W/s"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 900 ]
    first=$(printf '%s\n' "$output" | head -1)
    [[ "$first" == '{"WINDOW_START":1700000000000,"WINDOW_END":1700000300000,"spe":0,"spe_limit":false,"pc1_trend":'*',"pc2_trend":'*'}' ]]
}

@test "--keep adjusted: the seasonally adjusted series, trend + remainder = value - seasonal" {
    series 120 12 >"$W/s"
    nf-decompose --period 12 --columns bytes --keep trend,seasonal,remainder,adjusted "$W/s" >"$W/out"
    python3 - "$W/s" "$W/out" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1])]
out = [json.loads(l) for l in open(sys.argv[2])]
assert list(out[0])[-4:] == ["bytes_trend", "bytes_seasonal", "bytes_remainder", "bytes_adjusted"], list(out[0])
for a, b in zip(src, out):
    assert abs(b["bytes_adjusted"] - (b["bytes_trend"] + b["bytes_remainder"])) < 1e-9
    assert abs(b["bytes_adjusted"] - (a["bytes"] - b["bytes_seasonal"])) < 1e-9 * abs(a["bytes"])
PY
    run nf-decompose --period 12 --keep adjusted,bogus "$W/s"
    [ "$status" -eq 2 ]
    [[ "$output" == *"unknown component 'bogus'"* ]]
}
