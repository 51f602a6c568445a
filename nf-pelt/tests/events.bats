#!/usr/bin/env bats
# nf-pelt --events: change points of several columns close in time become
# one event record; --lasting leaves out excursions (docs/nf-pelt.md).
load ../../tests/helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    # 40 rows. x: 0 -> 10 at row 10, back to 0 at row 20 (an excursion);
    # y: 1 -> -4 at row 11 (lasting); z: 0 -> 3 at row 30 (lasting).
    for i in $(seq 0 39); do
        x=0; [ $i -ge 10 ] && [ $i -lt 20 ] && x=10
        y=1; [ $i -ge 11 ] && y=-4
        z=0; [ $i -ge 30 ] && z=3
        n=$(( (i * 7) % 5 ))
        printf '{"WINDOW_START":%d,"x":%s.%d,"y":%s.%d,"z":%s.%d}\n' $((i * 60000)) $x $n $y $n $z $n
    done >"$TMP/s.ndjson"
}


@test "--events: x at 10 and y at 11 are one event, strongest first; score = sum of cost_reduction/penalty" {
    nf-pelt --sigma 1 "$TMP/s.ndjson" >"$TMP/plain"
    [ "$(wc -l <"$TMP/plain")" -eq 4 ]
    run nf-pelt --sigma 1 --events "$TMP/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3 ]
    first=$(printf '%s\n' "$output" | head -1)
    [ "$(jq -c '[.kind, .index, .columns, .column_index]' <<<"$first")" = '["event",10,["x","y"],[10,11]]' ]
    # the keys in the documented order
    [ "$(jq -c 'keys_unsorted' <<<"$first")" = '["WINDOW_START","kind","index","columns","column_index","mean_before","mean_after","cost_reduction","score","first","last","before_start","after_end","penalty"]' ]
    want=$(jq -s '[.[] | select(.index == 10 or .index == 11) | .cost_reduction / .penalty] | add' "$TMP/plain")
    [ "$(jq -n "($(jq .score <<<"$first") - $want) | fabs < 1e-9")" = true ]
    [ "$(jq .first <<<"$first")" -eq 600000 ] && [ "$(jq .last <<<"$first")" -eq 660000 ]
    # --event-gap 0: every change point its own event again
    run nf-pelt --sigma 1 --events --event-gap 0 "$TMP/s.ndjson"
    [ "$(line_count)" -eq 4 ]
}

@test "--lasting N: a change undone within N rows is left out, lasting ones stay" {
    run nf-pelt --sigma 1 --events --event-gap 0 --lasting 15 "$TMP/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -c '[.index, .columns[0]]' | tr -d '\n')" = '[11,"y"][30,"z"]' ]
    # x's excursion lasts 10 rows: kept when N is 10 or less
    run nf-pelt --sigma 1 --events --event-gap 0 --lasting 10 "$TMP/s.ndjson"
    [ "$(line_count)" -eq 4 ]
}

@test "--joint --events: columns are those that paid their share of the penalty" {
    run nf-pelt --sigma 1 --joint --events --lasting 15 "$TMP/s.ndjson"
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | jq -c '[.index, .columns]' >"$TMP/j"
    grep -qx '\[30,\["z"\]\]' "$TMP/j"
}

@test "--min-score S: events scoring below S are left out, the others written as without it" {
    nf-pelt --sigma 1 --events "$TMP/s.ndjson" >"$TMP/all"
    [ "$(jq -c -s 'map(.index)' "$TMP/all")" = "[10,20,30]" ]
    want=$(jq -s -c 'map(select(.score >= 10)) | .[]' "$TMP/all")
    run nf-pelt --sigma 1 --events --min-score 10 "$TMP/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 2 ]
    [ "$output" = "$(grep -v '"index":30,' "$TMP/all")" ]
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[10,20]" ]
    [ "$(printf '%s\n' "$output" | jq -c .)" = "$want" ]
    run nf-pelt --sigma 1 --events --min-score 0 "$TMP/s.ndjson"
    [ "$output" = "$(cat "$TMP/all")" ]
    run nf-pelt --min-score 2 "$TMP/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--min-score goes with --events"* ]]
    run nf-pelt --events --min-score -1 "$TMP/s.ndjson"
    [ "$status" -eq 2 ]
}

@test "--lasting needs --events; --events goes with neither --annotate nor --crops" {
    run nf-pelt --lasting 5 "$TMP/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--lasting goes with --events"* ]]
    run nf-pelt --events --annotate "$TMP/s.ndjson"
    [ "$status" -eq 2 ]
    run nf-pelt --events --crops 1,10 "$TMP/s.ndjson"
    [ "$status" -eq 2 ]
}
