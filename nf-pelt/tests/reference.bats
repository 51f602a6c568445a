#!/usr/bin/env bats
# nf-pelt against R changepoint's outputs (../shared/reference/changepoint)
# and against brute-force Optimal Partitioning on the same series.
load ../../tests/helpers

CP=${REFERENCE}/changepoint

setup() {
    [ -d "$CP" ] || skip "needs ../shared/reference/changepoint"
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
}

# The reference CSV (header x) as NDJSON with 5-minute times.
to_ndjson() {
    awk 'NR > 1 { printf "{\"WINDOW_START\":%d,\"x\":%s}\n", (NR - 2) * 300000, $1 }' "$1"
}

indices() {
    sed 's/.*"index":\([0-9]*\).*/\1/' | paste -sd';'
}

@test "reference: --pruning r reproduces every R cpt.mean PELT result exactly (MBIC and manual, minseglen 1 and 2)" {
    require_shared
    for n in 1000 10000 100000; do to_ndjson "$CP/synth_n$n.csv" >"$TMP/s$n.ndjson"; done
    fails=0 rows=0
    while IFS=, read -r series n pen value minseg ncpts cpts; do
        p=$value; [ "$pen" = MBIC ] && p=MBIC
        got=$(nf-pelt --sigma 1 --pruning r -p "$p" -m "$minseg" "$TMP/s$n.ndjson" | indices)
        rows=$((rows + 1))
        if [ "$got" != "$cpts" ]; then
            echo "differs: $series $pen $value minseglen $minseg"
            fails=$((fails + 1))
        fi
    done < <(tail -n +2 "$CP/pelt_synth_r.csv")
    [ "$rows" -eq 15 ]
    [ "$fails" -eq 0 ]
}

@test "reference: exact pruning gives R's answer for every manual penalty" {
    require_shared
    for n in 1000 10000 100000; do to_ndjson "$CP/synth_n$n.csv" >"$TMP/s$n.ndjson"; done
    while IFS=, read -r series n pen value minseg ncpts cpts; do
        [ "$pen" = Manual ] || continue
        got=$(nf-pelt --sigma 1 -p "$value" -m "$minseg" "$TMP/s$n.ndjson" | indices)
        [ "$got" = "$cpts" ] || { echo "differs: $series $value $minseg"; return 1; }
    done < <(tail -n +2 "$CP/pelt_synth_r.csv")
}

@test "reference: with MBIC R's pruning misses the optimum on n=10000; nf-pelt's answer equals brute-force OP and costs less" {
    require_shared
    to_ndjson "$CP/synth_n10000.csv" >"$TMP/s.ndjson"
    for m in 1 2; do
        exact=$(nf-pelt --sigma 1 -m $m "$TMP/s.ndjson" | indices)
        op=$(nf-pelt --sigma 1 -m $m --method op "$TMP/s.ndjson" | indices)
        r=$(grep "^synth_n10000,10000,MBIC,.*,$m," "$CP/pelt_synth_r.csv" | cut -d, -f7)
        [ "$exact" = "$op" ]
        [ "$exact" != "$r" ]
        # MBIC objective: RSS + log(length) per segment + 3 log(n) per change point.
        costs=$(/usr/bin/awk -v a="$exact" -v b="$r" '
            NR > 1 { x[NR - 2] = $1; n++ }
            function total(cps,   k, c, i, s, e, j, m, rss, t) {
                k = split(cps, c, ";"); t = 0; s = 0
                for (i = 1; i <= k + 1; i++) {
                    e = i <= k ? c[i] : n; m = 0
                    for (j = s; j < e; j++) m += x[j]
                    m /= (e - s); rss = 0
                    for (j = s; j < e; j++) rss += (x[j] - m) ^ 2
                    t += rss + log(e - s); s = e
                }
                return t + k * 3 * log(n)
            }
            END { printf "%.6f %.6f\n", total(a), total(b) }' "$CP/synth_n10000.csv")
        echo "minseglen $m: exact and R's MBIC objective: $costs"
        exact_cost=${costs% *} r_cost=${costs#* }
        /usr/bin/awk -v e="$exact_cost" -v r="$r_cost" 'BEGIN { exit !(e < r) }'
    done
}

@test "reference: exact PELT equals brute-force OP on the n=1000 series for MBIC, BIC, AIC, HQ and min-seg-len 1, 2, 5" {
    require_shared
    to_ndjson "$CP/synth_n1000.csv" >"$TMP/s.ndjson"
    for p in MBIC BIC AIC HQ 5; do
        for m in 1 2 5; do
            a=$(nf-pelt --sigma 1 -p $p -m $m "$TMP/s.ndjson")
            b=$(nf-pelt --sigma 1 -p $p -m $m --method op "$TMP/s.ndjson")
            [ "$a" = "$b" ] || { echo "differs: $p $m"; return 1; }
        done
    done
}

@test "reference: the default --sigma auto finds the 5 true changes of the n=1000 series" {
    require_shared
    to_ndjson "$CP/synth_n1000.csv" >"$TMP/s.ndjson"
    run nf-pelt "$TMP/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | indices)" = "$(tail -n +2 "$CP/synth_n1000_truth.csv" | paste -sd';')" ]
}
