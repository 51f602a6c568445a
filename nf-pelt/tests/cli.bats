#!/usr/bin/env bats
# nf-pelt command line: record format, modes, and the documented rules for
# bad input.
load ../../tests/helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    # 30 rows: x steps from 0 to 10 at row 10 and back to 0 at row 20; y steps at row 15.
    for i in $(seq 0 29); do
        x=0; [ $i -ge 10 ] && [ $i -lt 20 ] && x=10
        y=1; [ $i -ge 15 ] && y=-4
        n=$(( (i * 7) % 5 ))
        printf '{"WINDOW_START":%d,"host":"a","x":%s.%d,"y":%s.%d}\n' $((1000 + i * 60000)) $x $n $y $n
    done >"$TMP/steps.ndjson"
}

@test "per column: one record per change point with the documented keys in order" {
    run nf-pelt --sigma 1 "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3 ]
    first=$(printf '%s\n' "$output" | head -1)
    [ "$first" = '{"WINDOW_START":601000,"index":10,"columns":["x"],"mean_before":[0.2],"mean_after":[10.2],"cost_reduction":498.3905620875659,"before_start":1000,"after_end":1141000,"penalty":10.203592144986466}' ] || {
        echo "$first"; false; }
    printf '%s\n' "$output" | sed -n 2p | grep -q '"index":20,"columns":\["x"\]'
    printf '%s\n' "$output" | sed -n 3p | grep -q '"index":15,"columns":\["y"\],"mean_before":\[1.2\],"mean_after":\[-4.2\]'
}

@test "cost_reduction is cost(before+after) - cost(before) - cost(after) with the MBIC term" {
    run nf-pelt --sigma 1 --columns y "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    # y: 15 rows at 1.x then 15 at -4.x; the fractional parts repeat (0,2,4,1,3).
    want=$(/usr/bin/awk 'BEGIN {
        for (i = 0; i < 30; i++) { f = ((i * 7) % 5) / 10; y[i] = (i < 15 ? 1 + f : -4 - f) }
        printf "%.6f", cost(0, 30) - cost(0, 15) - cost(15, 30) }
        function cost(a, b,   i, m, s) { m = 0; for (i = a; i < b; i++) m += y[i]; m /= b - a
            s = 0; for (i = a; i < b; i++) s += (y[i] - m) ^ 2; return s + log(b - a) }')
    got=$(printf '%s\n' "$output" | sed 's/.*"cost_reduction":\([^,]*\),.*/\1/')
    /usr/bin/awk -v g="$got" -v w="$want" 'BEGIN { exit !(g - w < 1e-6 && w - g < 1e-6) }'
}

@test "--joint: one segmentation for all columns, change points of both, means per column" {
    run nf-pelt --sigma 1 --joint "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3 ]
    printf '%s\n' "$output" | sed -n 2p | grep -q '"index":15,"columns":\["x","y"\],"mean_before":\[10.2,1.2\],"mean_after":\[10.2,-4.2\]'
    # MBIC with 2 changing means per change point: (2 + 2) log 30.
    printf '%s\n' "$output" | head -1 | grep -q '"penalty":13.6047895'
}

@test "--annotate: every row passes through with its segment number per column" {
    run nf-pelt --sigma 1 --annotate "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 30 ]
    [ "$(printf '%s\n' "$output" | sed -n 1p)" = '{"WINDOW_START":1000,"host":"a","x":0,"y":1,"x_segment":0,"y_segment":0}' ]
    printf '%s\n' "$output" | sed -n 11p | grep -q '"x_segment":1,"y_segment":0}$'
    printf '%s\n' "$output" | sed -n 30p | grep -q '"x_segment":2,"y_segment":1}$'
}

@test "--annotate --joint: one segment key" {
    run nf-pelt --sigma 1 --annotate --joint "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | sed -n 16p | grep -q '"segment":2}$'
}

@test "--method op gives the same records as PELT" {
    a=$(nf-pelt --sigma 1 -p AIC "$TMP/steps.ndjson")
    b=$(nf-pelt --sigma 1 -p AIC --method op "$TMP/steps.ndjson")
    [ -n "$a" ]
    [ "$a" = "$b" ]
}

@test "--crops: one record per segmentation with its penalty interval, covering the range" {
    run nf-pelt --sigma 1 --columns x --crops 1,1000 "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | head -1 | grep -q '^{"columns":\["x"\],"penalty_min":1,'
    printf '%s\n' "$output" | tail -1 | grep -q '"penalty_max":1000,"ncpts":0,'
    printf '%s\n' "$output" | grep -q '"ncpts":2,"cost":[0-9.]*,"index":\[10,20\],"WINDOW_START":\[601000,1201000\]}'
}

@test "a constant column has no change point" {
    for i in $(seq 1 50); do printf '{"WINDOW_START":%d,"c":5}\n' $i; done >"$TMP/c.ndjson"
    run nf-pelt "$TMP/c.ndjson"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "a series shorter than twice --min-seg-len has no change point" {
    run nf-pelt --sigma 1 -p 0.01 -m 16 --columns x "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    run nf-pelt --sigma 1 -p 0.01 -m 15 --columns y "$TMP/steps.ndjson"
    [ "$(line_count)" -eq 1 ]
}

@test "a missing value is an error naming file, line and column" {
    head -5 "$TMP/steps.ndjson" >"$TMP/gap.ndjson"
    printf '{"WINDOW_START":9999999,"x":null,"y":1}\n' >>"$TMP/gap.ndjson"
    run nf-pelt "$TMP/gap.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"gap.ndjson:6: column 'x' has no number"* ]]
}

@test "rows out of time order are an error naming the row" {
    { sed -n '1,3p' "$TMP/steps.ndjson"; sed -n 5p "$TMP/steps.ndjson"; sed -n 4p "$TMP/steps.ndjson"; } >"$TMP/order.ndjson"
    run nf-pelt "$TMP/order.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"order.ndjson:5: out of time order: WINDOW_START "*" is "*" earlier than the row before, "*"; sort the input by time"* ]]
}

@test "a time beyond 2^53 ms (1e308) is rejected as not a time, naming the line" {
    { printf '{"WINDOW_START":1e308,"x":1}\n'; cat "$TMP/steps.ndjson"; } >"$TMP/huge.ndjson"
    run nf-pelt "$TMP/huge.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"huge.ndjson:1: WINDOW_START: not a time (epoch ms or text)"* ]]
    [[ "$output" == *"1 records skipped"* ]]
}

@test "poisson: negative data is an error, counts are segmented" {
    run nf-pelt --cost poisson "$TMP/steps.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"column 'y' is negative"* ]]
    for i in $(seq 0 59); do c=2; [ $i -ge 30 ] && c=20; printf '{"WINDOW_START":%d,"n":%d}\n' $i $((c + i % 3)); done >"$TMP/counts.ndjson"
    run nf-pelt --cost poisson "$TMP/counts.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    [[ "$output" == *'"index":30,'* ]]
}

@test "meanvar: a change of variance alone is found" {
    /usr/bin/awk 'BEGIN { srand(3); for (i = 0; i < 400; i++) {
        u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
        printf "{\"WINDOW_START\":%d,\"v\":%.6f}\n", i, (i < 200 ? 1 : 8) * z } }' >"$TMP/var.ndjson"
    run nf-pelt --cost meanvar "$TMP/var.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    idx=$(printf '%s\n' "$output" | sed 's/.*"index":\([0-9]*\).*/\1/')
    [ "$idx" -ge 190 ] && [ "$idx" -le 210 ]
    run nf-pelt --cost mean --sigma 1 -p 1e6 "$TMP/var.ndjson"
    [ -z "$output" ]
}

@test "no time key: times are null, indices still given" {
    printf '{"x":0}\n{"x":0}\n{"x":9}\n{"x":9}\n' >"$TMP/nt.ndjson"
    run nf-pelt --sigma 1 -p 1 "$TMP/nt.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == '{"WINDOW_START":null,"index":2,'* ]]
}

@test "--time-key picks another time key; ISO times are read" {
    printf '{"ts":"2024-01-01T00:00:00Z","x":0}\n{"ts":"2024-01-01T00:05:00Z","x":0}\n{"ts":"2024-01-01T00:10:00Z","x":9}\n{"ts":"2024-01-01T00:15:00Z","x":9}\n' >"$TMP/ts.ndjson"
    run nf-pelt --sigma 1 -p 1 --time-key ts "$TMP/ts.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == '{"ts":1704067800000,"index":2,'* ]]
}

@test "usage errors exit 2; --help and --version exit 0" {
    run nf-pelt --penalty nonsense
    [ "$status" -eq 2 ]
    run nf-pelt --cost median
    [ "$status" -eq 2 ]
    run nf-pelt --crops 10,5
    [ "$status" -eq 2 ]
    run nf-pelt --min-seg-len 0
    [ "$status" -eq 2 ]
    run nf-pelt --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"--min-seg-len"* ]]
    run nf-pelt --version
    [ "$status" -eq 0 ]
    [[ "$output" == "nf-pelt (nfshift) "* ]]
}

@test "--verbose reports sigma, penalty and change points on stderr" {
    run nf-pelt --verbose --sigma 2 --columns x "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"x: 30 rows, sigma 2, penalty MBIC 10.2036, 2 change points"* ]]
}

@test "--sigma scales the mean cost: a 10-unit step is no change at sigma 100" {
    run nf-pelt --sigma 100 --columns x "$TMP/steps.ndjson"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "--sigma auto and diff estimate the noise from the data (block means / first differences)" {
    /usr/bin/awk 'BEGIN { srand(5); for (i = 0; i < 4000; i++) {
        u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
        printf "{\"WINDOW_START\":%d,\"v\":%.6f}\n", i, 3 * z + (i >= 2000 ? 6 : 0) } }' >"$TMP/n.ndjson"
    for s in auto diff; do
        run nf-pelt --verbose --sigma $s "$TMP/n.ndjson"
        [ "$status" -eq 0 ]
        sigma=$(printf '%s\n' "$output" | sed -n 's/.*sigma \([0-9.]*\),.*/\1/p')
        # diff: MAD of 3999 differences (tight); auto: of 62 block-mean differences (looser).
        /usr/bin/awk -v s="$sigma" -v m=$s 'BEGIN { w = m == "diff" ? 0.3 : 1.2; exit !(s > 3 - w && s < 3 + w) }'
        printf '%s\n' "$output" | grep -q '"index":20[0-9][0-9],'
    done
}

@test "output to a closed pipe ends quietly" {
    for i in $(seq 0 3999); do printf '{"WINDOW_START":%d,"x":%d}\n' $i $(( (i / 40) % 2 * 5 )); done >"$TMP/many.ndjson"
    run bash -c "nf-pelt --sigma 1 '$TMP/many.ndjson' | head -1"
    [ "$status" -eq 0 ]
    [ -z "$(printf '%s' "$output" | grep 'nf-pelt:')" ]
}
