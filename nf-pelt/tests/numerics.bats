#!/usr/bin/env bats
# nf-pelt on values its prefix sums cannot resolve (issue 13, point 8): an
# extreme value warns naming its row, an overflowing one is an error, and
# an extreme first value no longer shifts every other row (median centring).

load ../../tests/helpers

RELIABILITY=${NFSHIFT_RELIABILITY:-$NF_TOP/../shared/reliability}

# 300 rows near 100, then 300 near 160, noise of +-1; optional value at row 101.
series() { # OUTLIER(or "") FIRST(or "")
    awk -v out="$1" -v first="$2" 'BEGIN { srand(3)
        for (i = 0; i < 600; i++) {
            v = (i < 300 ? 100 : 160) + 2 * (rand() - 0.5)
            if (i == 100 && out != "") v = out
            if (i == 0 && first != "") v = first
            printf "{\"WINDOW_START\":%d,\"value\":%s}\n", 1577836800000 + i * 300000, v
        } }'
}

@test "numerics: the reproducer's 2^64-1 gives a warning naming file:line, the value and the penalty" {
    [ -d "$RELIABILITY" ] || skip "needs ../shared/reliability"
    run nf-pelt -c value "$RELIABILITY/pelt-u64-outlier.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"pelt-u64-outlier.ndjson:101: column 'value': the value 1.84467440737096e+19 makes the costs' rounding error"*"of the penalty 19.1908: change points of this column are unreliable"* ]]
}

@test "numerics: a value whose square overflows is an error naming file:line (it gave no change point and no word)" {
    series 1e200 > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"s.ndjson:101: column 'value': 1e+200 overflows the cost's sums of squares; the column cannot be segmented"* ]]
}

@test "numerics: a clean series segments without a warning, the step at row 300" {
    series > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" != *unreliable* ]]
    [ "$(line_count)" -eq 1 ]
    [[ "$output" == *'"index":300,'* ]]
}

@test "numerics: an extreme first value warns too, naming line 1" {
    series "" 1e12 > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"s.ndjson:1: column 'value': the value 1000000000000 makes the costs' rounding error"* ]]
}

@test "numerics: a first value 1e6 noise scales out is its own segment, the step still at row 300" {
    series "" 1e6 > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" != *unreliable* ]]
    [ "$(printf '%s\n' "$output" | grep -c '"index"')" -eq 2 ]
    [[ "$output" == *'"index":1,'* ]]
    [[ "$output" == *'"index":300,'* ]]
}
