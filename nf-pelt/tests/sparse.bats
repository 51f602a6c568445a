#!/usr/bin/env bats
# nf-pelt --sparse: changes in a few of many columns, searched within the
# joint segments (nf-pelt/sparse.h, docs/nf-pelt.md). The reference is
# tests/golden/sparse_ref.py, every split tried by brute force.
load ../../tests/helpers

REF="$BATS_TEST_DIRNAME/../../tests/golden/sparse_ref.py"

setup() {
    TMP=$BATS_TEST_TMPDIR
}

data() { python3 "$REF" data "$@"; }

@test "--sparse: a step in 2 of 30 columns that the joint penalty hides is found, at its row, with those columns" {
    data 576 400 0.6 all 1 >"$TMP/a"
    # the joint segmentation alone: the step pays the penalty of 30 columns and is not placed
    run nf-pelt --sigma 1 --joint --events "$TMP/a"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    run nf-pelt --sigma 1 --joint --events --sparse "$TMP/a"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
    [ "$(jq -c '[.index, .columns, .column_index]' <<<"$output")" = '[400,["c0","c1"],[400,400]]' ]
    # the score: what the moved columns reduce the cost by, over what they pay
    [ "$(jq '(.score - .cost_reduction / .penalty) | fabs < 1e-12' <<<"$output")" = true ]
}

@test "--sparse: row, cost reduction and penalty equal a brute-force search of every split" {
    for spec in "576 400 0.6 all 1" "864 500 0.6 all 2" "600 150 0.9 all 3"; do
        data $spec >"$TMP/s"
        want=$(python3 "$REF" split "$TMP/s" 12)
        got=$(nf-pelt --sigma 1 --joint --sparse --min-seg-len 12 "$TMP/s" |
              jq -r '"\(.index) \(.cost_reduction * 1e6 | round / 1e6) \(.columns | length) \(.penalty * 1e6 | round / 1e6)"')
        read -r wr wg wk wp <<<"$want"
        read -r gr gg gk gp <<<"$got"
        echo "$spec: want $want, got $got"
        [ "$gr" = "$wr" ]
        awk -v a="$gg" -v b="$wg" -v c="$gp" -v e="$wp" 'BEGIN { exit !((a - b)^2 < 1e-10 && (c - e)^2 < 1e-10) }'
    done
}

@test "--sparse: noise alone gives no change of a few columns" {
    for seed in 1 2 3 4 5 6; do
        data 576 0 0 all "$seed" >"$TMP/n"
        run nf-pelt --sigma 1 --joint --events --sparse --min-seg-len 12 "$TMP/n"
        [ "$status" -eq 0 ]
        [ -z "$output" ]
        [ "$(python3 "$REF" split "$TMP/n" 12)" = none ]
    done
}

@test "--sparse with --period-test: a step of a few columns must hold in every quarter of the day" {
    # an offset of c0 and c1 between 08:00 and 18:00 only, from the third day on
    data 864 576 0.8 day 1 >"$TMP/d"
    run nf-pelt --sigma 1 --joint --events --sparse --min-seg-len 12 "$TMP/d"
    [ "$(line_count)" -ge 1 ]           # without the test it is a change
    run nf-pelt --sigma 1 --joint --events --sparse --min-seg-len 12 --period-test 1d "$TMP/d"
    [ "$status" -eq 0 ]
    [ -z "$output" ]
    run nf-pelt --sigma 1 --joint --events --sparse --min-seg-len 12 --period-test 288 "$TMP/d"
    [ -z "$output" ]
    # the same columns stepping at every hour pass it
    data 864 500 0.6 all 2 >"$TMP/s"
    run nf-pelt --sigma 1 --joint --events --sparse --min-seg-len 12 --period-test 1d "$TMP/s"
    [ "$(line_count)" -eq 1 ]
    [ "$(jq -c .columns <<<"$output")" = '["c0","c1"]' ]
}

@test "--sparse leaves the joint segmentation's own events as they were" {
    # a step in every column at row 200 (joint) and one in c0, c1 at 400 (sparse)
    data 576 400 0.6 all 1 | jq -c 'if (.WINDOW_START - 1554336000000) / 300000 >= 200
        then with_entries(if .key == "WINDOW_START" then . else .value += 2 end) else . end' >"$TMP/b"
    nf-pelt --sigma 1 --joint --events "$TMP/b" >"$TMP/joint"
    [ "$(jq -c .index "$TMP/joint")" = 200 ]
    run nf-pelt --sigma 1 --joint --events --sparse "$TMP/b"
    [ "$(printf '%s\n' "$output" | jq -c .index | tr '\n' ' ')" = "200 400 " ]
    [ "$(printf '%s\n' "$output" | head -1)" = "$(cat "$TMP/joint")" ]
    # --annotate: the segments of both kinds
    run nf-pelt --sigma 1 --joint --sparse --annotate "$TMP/b"
    [ "$(printf '%s\n' "$output" | jq -s -c '[.[199].segment, .[200].segment, .[399].segment, .[400].segment]')" = '[0,1,1,2]' ]
}

@test "--sparse: usage errors (without --joint, with --crops or --online) exit 2" {
    data 100 50 1 all 1 >"$TMP/u"
    run nf-pelt --sparse "$TMP/u"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--sparse goes with --joint"* ]]
    run nf-pelt --joint --sparse --crops 1,100 "$TMP/u"
    [ "$status" -eq 2 ]
    run nf-pelt --joint --sparse --online "$TMP/u"
    [ "$status" -eq 2 ]
    # one column: nothing to choose from, the joint segmentation alone
    jq -c '{WINDOW_START, c0}' "$TMP/u" >"$TMP/one"
    [ "$(nf-pelt --joint --sparse --events "$TMP/one")" = "$(nf-pelt --joint --events "$TMP/one")" ]
}
