#!/usr/bin/env bats
# nf-decompose against statsmodels STL (given R's stl() settings) on
# the three NAB series of data/nab, period 288 (5-minute points, one day).
# What is compared: for each of trend, seasonal and remainder, the largest
# |nf-decompose - reference| over all rows divided by the range (max - min)
# of the input series; every one must be below 1e-6 (maxdiff.sh).

load ../../tests/helpers

T=$BATS_TEST_DIRNAME

setup() {
    W=$BATS_TEST_TMPDIR
}

# within_1e6 "a b c": every relative difference below 1e-6
within_1e6() {
    echo "$1" | awk '{ exit !($1 < 1e-6 && $2 < 1e-6 && $3 < 1e-6) }'
}

compare_statsmodels() {
    local sw=$1 robust=$2 ours=$3 theirs=$4 f name d
    for f in "$DATA"/nab/*.csv; do
        name=$(basename "$f" .csv)
        "$T/nab-ndjson.sh" "$f" >"$W/$name.ndjson"
        nf-decompose --period 288 --s-window "$sw" $ours "$W/$name.ndjson" >"$W/$name.out"
        /usr/bin/python3 "$T/stl_statsmodels.py" "$f" 288 "$sw" "$robust" $theirs >"$W/$name.ref"
        d=$("$T/maxdiff.sh" "$W/$name.out" "$W/$name.ref" "$f")
        echo "$name s.window=$sw robust=$robust $ours: $d"
        within_1e6 "$d" || return 1
    done
}

@test "statsmodels STL with R's settings: s.window 7, not robust, within 1e-6" {
    require_py statsmodels
    compare_statsmodels 7 0 "" ""
}

@test "statsmodels STL with R's settings: periodic, not robust, within 1e-6" {
    require_py statsmodels
    compare_statsmodels periodic 0 "" ""
}

@test "statsmodels STL: robust with --median exact (statsmodels' true median), within 1e-6" {
    require_py statsmodels
    compare_statsmodels 7 1 "--robust --median exact" ""
    compare_statsmodels periodic 1 "--robust --median exact" ""
}

@test "statsmodels STL: hand-set windows, jumps and 2 robustness passes (exact median), within 1e-6" {
    require_py statsmodels
    compare_statsmodels 13 0 "--t-window 301 --t-jump 7 --l-window 301 --l-jump 3 --s-jump 2 --s-degree 1 --t-degree 0 --inner 3 --outer 2 --median exact" \
        "t.window=301 t.jump=7 l.window=301 l.jump=3 s.jump=2 s.degree=1 t.degree=0 inner=3 outer=2"
}
