#!/usr/bin/env bats
# nf-decompose against R stats::stl on
# the three NAB series of data/nab, period 288 (what is compared: reference.bash).

load ../../tests/helpers
load reference

# compare_r SWINDOW ROBUST "nf-decompose options" "reference name=value ..."
compare_r() {
    compare_stl "$@" Rscript "$T/stl_r.R"
}

@test "R stl: s.window 7, not robust, all components within 1e-6 of the range" {
    require_cmd Rscript
    compare_r 7 0 "" ""
}

@test "R stl: s.window periodic, not robust (cycle means), within 1e-6" {
    require_cmd Rscript
    compare_r periodic 0 "" ""
}

@test "R stl: s.window 7, robust (15 outer, R's psort median on even n), within 1e-6" {
    require_cmd Rscript
    compare_r 7 1 "--robust" ""
}

@test "R stl: s.window periodic, robust, within 1e-6" {
    require_cmd Rscript
    compare_r periodic 1 "--robust" ""
}

@test "R stl: every window, degree, jump and iteration count set by hand, within 1e-6" {
    require_cmd Rscript
    compare_r 13 0 "--t-window 301 --t-jump 7 --l-window 301 --l-jump 3 --s-jump 2 --s-degree 1 --t-degree 0 --l-degree 1 --inner 3 --outer 2" \
        "t.window=301 t.jump=7 l.window=301 l.jump=3 s.jump=2 s.degree=1 t.degree=0 l.degree=1 inner=3 outer=2"
}

@test "R stl: even windows are made odd as stl.f does (t.window 200, l.window 100)" {
    require_cmd Rscript
    compare_r 9 0 "--t-window 200 --l-window 100" "t.window=200 l.window=100"
}

@test "R's robust median differs from the true median on an even-length series (why --median exists)" {
    require_cmd Rscript
    f=$DATA/nab/ec2_network_in_5abac7.csv
    "$T/nab-ndjson.sh" "$f" >"$W/s.ndjson"
    nf-decompose --period 288 --s-window 7 --robust --median exact "$W/s.ndjson" >"$W/exact.out"
    Rscript "$T/stl_r.R" "$f" 288 7 1 >"$W/r.ref"
    d=$("$T/maxdiff.sh" "$W/exact.out" "$W/r.ref" "$f")
    echo "exact median vs R: $d"
    ! within_1e6 "$d"
}

@test "--period none: the loess trend equals weighted least squares by R's lm at every point (degree 1 and 0)" {
    require_cmd Rscript
    awk 'BEGIN { srand(5); for (i = 0; i < 200; i++) printf "{\"v\":%.6f}\n", 10 + 0.05 * i + 3 * sin(i / 9) + rand() }' >"$W/s"
    sed 's/.*"v":\([^}]*\)}/\1/' "$W/s" >"$W/v"
    for deg in 1 0; do
        Rscript "$T/loess_lm.R" 200 31 "$deg" <"$W/v" >"$W/lm"
        nf-decompose --period none --t-window 31 --t-jump 1 --t-degree "$deg" --keep trend "$W/s" |
            sed 's/.*"v_trend":\([^}]*\)}/\1/' >"$W/ours"
        [ "$(wc -l <"$W/ours")" -eq 200 ]
        d=$(paste -d' ' "$W/ours" "$W/lm" | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d } END { print m }')
        echo "degree $deg: max |diff| $d"
        awk -v d="$d" 'BEGIN { exit !(d < 1e-9) }'
    done
}
