#!/usr/bin/env bats
# nf-decompose against statsmodels STL (given R's stl() settings) on
# the three NAB series of data/nab, period 288 (what is compared: reference.bash).

load ../../tests/helpers
load reference

# compare_statsmodels SWINDOW ROBUST "nf-decompose options" "reference name=value ..."
compare_statsmodels() {
    compare_stl "$@" /usr/bin/python3 "$T/stl_statsmodels.py"
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
