#!/usr/bin/env bats
# nf-pelt --events: change points of several columns close in time become
# one event record; --lasting leaves out excursions, --median-score steps
# that only a few rows make (docs/nf-pelt.md).
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
    [ "$(jq -c 'keys_unsorted' <<<"$first")" = '["WINDOW_START","kind","index","columns","column_index","mean_before","mean_after","cost_reduction","score","median_score","first","last","before_start","after_end","penalty"]' ]
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

# 60 rows: x flat near 0, one row of 20 at row 30 (a spike shorter than the
# minimum segment), a step to 5 from row 45.
spike_series() {
    for i in $(seq 0 59); do
        x=0; [ $i -eq 30 ] && x=20; [ $i -ge 45 ] && x=5
        printf '{"WINDOW_START":%d,"x":%s.%d}\n' $((i * 60000)) $x $(( (i * 7) % 5 ))
    done >"$TMP/spike.ndjson"
}

@test "--median-score: a spike that moves a segment's mean but not its median is left out, the step stays" {
    spike_series
    # the mean cost cuts the spike out as a segment of its own: two events around it
    run nf-pelt --sigma 1 --min-seg-len 5 --events --min-score 1.5 "$TMP/spike.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[30,35,45]" ]
    printf '%s\n' "$output" >"$TMP/all"
    # median_score: n1 n2 / (n1 + n2) (median after - median before)^2 / sigma^2 / penalty
    ev=$(grep '"index":45,' "$TMP/all")
    med='sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end'
    a=$(jq -s "[.[35:45][].x] | $med" "$TMP/spike.ndjson")
    b=$(jq -s "[.[45:60][].x] | $med" "$TMP/spike.ndjson")
    pen=$(jq .penalty <<<"$ev")
    [ "$(jq -n "(10 * 15 / 25 * ($b - $a) * ($b - $a) / $pen - $(jq .median_score <<<"$ev")) | fabs < 1e-9")" = true ]
    # the spike's events: scores above 1.5, median scores near 0
    [ "$(jq -s 'map(select(.index != 45) | .score > 1.5 and .median_score < 0.1) | all' "$TMP/all")" = true ]
    run nf-pelt --sigma 1 --min-seg-len 5 --events --min-score 1.5 --median-score "$TMP/spike.ndjson"
    [ "$status" -eq 0 ]
    [ "$output" = "$ev" ]
}

@test "--median-score needs --min-score and the mean cost" {
    spike_series
    run nf-pelt --events --median-score "$TMP/spike.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--median-score goes with --min-score"* ]]
    run nf-pelt --events --min-score 1 --median-score --cost meanvar "$TMP/spike.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--median-score"*"meanvar"* ]]
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

# 5 days of hourly rows (period 1d = 24 rows): x is 3 higher from 08:00 to
# 17:59 every day (an offset of the daytime, as a daily profile that fits
# the days badly leaves it), and a lasting step of +5 from row 74 (day 3,
# 02:00). With $1 = jump: no daily offset, x +6 on day 2 from 08:00 to
# 17:59 only (a one-day jump, as NAB's art_daily_jumpsup).
daytime_series() {
    for i in $(seq 0 119); do
        h=$((i % 24)); x=0
        if [ "${1:-}" = jump ]; then
            [ $i -ge 56 ] && [ $i -lt 66 ] && x=6
        else
            [ $h -ge 8 ] && [ $h -lt 18 ] && x=3
            [ $i -ge 74 ] && x=$((x + 5))
        fi
        printf '{"WINDOW_START":%d,"x":%s.%d}\n' $((i * 3600000)) $x $(( (i * 7) % 5 ))
    done >"$TMP/day.ndjson"
}

@test "--period-test 1d: the daily offset's cuts are left out, the lasting step stays" {
    daytime_series
    run nf-pelt --sigma 1 --min-seg-len 3 --events "$TMP/day.ndjson"
    [ "$status" -eq 0 ]
    # every ramp of the daily offset is cut (08:00 and 18:00), and the step
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[8,18,32,42,56,66,74,80,90,104,114]" ]
    printf '%s\n' "$output" >"$TMP/all"
    run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test 1d "$TMP/day.ndjson"
    [ "$status" -eq 0 ]
    # the cuts of days 0, 1 and 4 compare with a day that has the same offset: out.
    # Those within a day of the step (56: its old level against a day later
    # holds the step; 80) cannot be told apart and stay.
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[56,74,80]" ]
    # the records kept are those of the run without the test, unchanged
    [ "$output" = "$(grep -E '"index":(56|74|80),' "$TMP/all")" ]
    # 24h and 24 rows are the same period as 1d; 12h compares daytime with night: the offset is a step again
    for p in 24h 24; do
        run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test $p "$TMP/day.ndjson"
        [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[56,74,80]" ]
    done
    run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test 12h "$TMP/day.ndjson"
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index) | length')" -gt 3 ]
}

@test "--period-test 1d: a one-day jump is kept at its start and at its end" {
    daytime_series jump
    run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test 1d "$TMP/day.ndjson"
    [ "$status" -eq 0 ]
    # start: the new level against the day before; end: the old level against the day after
    [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[56,66]" ]
}

@test "--period-test: rows without a partner a period away are skipped; none at all: the event stays" {
    daytime_series
    # day 1 left out: the cuts of day 0 and 2 have no partner on that side
    jq -c 'select(.WINDOW_START < 86400000 or .WINDOW_START >= 172800000)' "$TMP/day.ndjson" >"$TMP/gap.ndjson"
    run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test 1d "$TMP/gap.ndjson"
    [ "$status" -eq 0 ]
    idx=$(printf '%s\n' "$output" | jq -c -s 'map(.index)')
    # day 0's cuts (rows 8, 18) have no row a day away on either side: kept;
    # day 4's (rows 80, 90 after the gap) compare with day 3: left out
    [[ "$idx" == "[8,18,"* ]]
    [[ "$idx" != *"80"* && "$idx" != *"90"* ]]
    # a period longer than the series: no pairs, every event stays
    for p in 30d 200 100000000000d; do
        run nf-pelt --sigma 1 --min-seg-len 3 --events --period-test $p "$TMP/day.ndjson"
        [ "$status" -eq 0 ]
        [ "$(printf '%s\n' "$output" | jq -c -s 'map(.index)')" = "[8,18,32,42,56,66,74,80,90,104,114]" ]
    done
}

@test "--period-test needs --events, a duration and the time key" {
    daytime_series
    run nf-pelt --period-test 1d "$TMP/day.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--period-test goes with --events"* ]]
    run nf-pelt --events --period-test 0 "$TMP/day.ndjson"
    [ "$status" -eq 2 ]
    run nf-pelt --events --period-test soon "$TMP/day.ndjson"
    [ "$status" -eq 2 ]
    run nf-pelt --sigma 1 --events --period-test 1d --time-key nothere "$TMP/day.ndjson"
    [ "$status" -ne 0 ]
    [[ "$output" == *"--period-test needs the time key"* ]]
}
