#!/usr/bin/env bats
# nf-pelt on extreme values (issue 13, point 8): values far from the
# column's centre are kept out of the prefix sums (cost.h, struct nf_far),
# so a single 2^64-1 is its own segment and the rest is segmented exactly;
# more than the 64 kept apart warn naming the row, an overflowing value is
# an error.

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

@test "numerics: the reproducer's 2^64-1 is its own segment and the real step stays at row 301 (it gave 12 change points)" {
    [ -d "$RELIABILITY" ] || skip "needs ../shared/reliability"
    run nf-pelt -c value "$RELIABILITY/pelt-u64-outlier.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" != *unreliable* ]]
    [ "$(printf '%s\n' "$output" | grep -c '"index"')" -eq 3 ]
    printf '%s\n' "$output" | grep -q '"index":100,'
    printf '%s\n' "$output" | grep -q '"index":101,'
    printf '%s\n' "$output" | grep -q '"index":301,'
    # PELT is still Optimal Partitioning, with either pruning
    nf-pelt -c value "$RELIABILITY/pelt-u64-outlier.ndjson" > "$BATS_TEST_TMPDIR/pelt" 2>/dev/null
    nf-pelt -c value --method op "$RELIABILITY/pelt-u64-outlier.ndjson" > "$BATS_TEST_TMPDIR/op" 2>/dev/null
    nf-pelt -c value --pruning pelt "$RELIABILITY/pelt-u64-outlier.ndjson" > "$BATS_TEST_TMPDIR/ineq" 2>/dev/null
    cmp "$BATS_TEST_TMPDIR/pelt" "$BATS_TEST_TMPDIR/op"
    cmp "$BATS_TEST_TMPDIR/pelt" "$BATS_TEST_TMPDIR/ineq"
}

@test "numerics: more far values than are kept apart warn, naming file:line, the value and the penalty" {
    awk 'BEGIN { srand(5); for (i = 0; i < 600; i++) {
        v = (i % 6 == 3) ? 1e12 + i : 100 + 2 * (rand() - 0.5)
        printf "{\"WINDOW_START\":%d,\"value\":%s}\n", i * 300000, v } }' > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"s.ndjson:"*": column 'value': the value 1000000000"*" makes the costs' rounding error"*"of the penalty "*": change points of this column are unreliable; remove or clip the value"* ]]
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

@test "numerics: an extreme first value (1e12) is its own segment, the step still at row 300, the same as OP" {
    series "" 1e12 > "$BATS_TEST_TMPDIR/s.ndjson"
    run nf-pelt "$BATS_TEST_TMPDIR/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" != *unreliable* ]]
    [ "$(printf '%s\n' "$output" | grep -c '"index"')" -eq 2 ]
    [[ "$output" == *'"index":1,'* ]]
    [[ "$output" == *'"index":300,'* ]]
    nf-pelt "$BATS_TEST_TMPDIR/s.ndjson" > "$BATS_TEST_TMPDIR/pelt"
    nf-pelt --method op "$BATS_TEST_TMPDIR/s.ndjson" > "$BATS_TEST_TMPDIR/op"
    cmp "$BATS_TEST_TMPDIR/pelt" "$BATS_TEST_TMPDIR/op"
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
