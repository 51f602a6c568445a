#!/usr/bin/env bats
# nf-pelt --online: change points confirmed as rows arrive, bounded memory.
load ../../tests/helpers
load ../../tests/demo_week

setup_file() {
    load ../../tests/helpers
    load ../../tests/demo_week
    make_demo_week "$BATS_FILE_TMPDIR"
}

setup() {
    W=$BATS_FILE_TMPDIR
    T=$BATS_TEST_TMPDIR
}

# "matched unmatched total": batch change points (column, index) with an
# online one of the same column within 2 rows; online ones with none.
match() {
    python3 - "$1" "$2" <<'PY'
import json, sys
def load(f): return [(r["columns"][0], r["index"]) for r in map(json.loads, open(f))]
b, o = load(sys.argv[1]), load(sys.argv[2])
near = lambda x, ys: any(c == x[0] and abs(i - x[1]) <= 2 for c, i in ys)
print(sum(near(x, o) for x in b), sum(not near(x, b) for x in o), len(b))
PY
}

@test "--online on the demo week: the injected shifts within 2 windows, 24 rows after they start" {
    nf-pelt --online --sigma auto --online-window 576 --min-seg-len 12 --columns '*_adjusted' \
        "$W/adjusted.ndjson" >"$T/online"
    for at in 972 1608 1764; do
        run python3 -c '
import json, sys
at = int(sys.argv[2])
hits = [r for r in map(json.loads, open(sys.argv[1])) if abs(r["index"] - at) <= 2]
assert hits, at
print(min(r["delay"] for r in hits))' "$T/online" "$at"
        [ "$status" -eq 0 ]
        [ "$output" -eq 24 ]
    done
    # against the batch change points (docs/nf-pelt.md): 21 of 25 within 2 rows, 24 more online
    read -r matched extra total < <(match "$W/changepoints.ndjson" "$T/online")
    echo "matched $matched of $total, $extra extra" >&2
    [ "$total" -eq 25 ]
    [ "$matched" -ge 21 ]
    [ "$extra" -le 24 ]
}

@test "--online with a window of the whole week reports exactly the batch change points" {
    nf-pelt --online --sigma auto --online-window 2016 --min-seg-len 12 --columns '*_adjusted' \
        "$W/adjusted.ndjson" >"$T/online"
    read -r matched extra total < <(match "$W/changepoints.ndjson" "$T/online")
    [ "$matched" -eq 25 ] && [ "$extra" -eq 0 ] && [ "$(wc -l <"$T/online")" -eq 25 ]
    # same indices, columns, means and costs: only the delay is new
    cut -d, -f1-2 "$T/online" | sort >"$T/a"
    cut -d, -f1-2 "$W/changepoints.ndjson" | sort | cmp - "$T/a"
}

@test "--online records have the batch path's keys, in its order, and a delay" {
    nf-pelt --online --sigma auto --online-window 576 --min-seg-len 12 --columns '*_adjusted' \
        "$W/adjusted.ndjson" | head -n 1 >"$T/one"
    keys() { python3 -c 'import json,sys; print(",".join(json.loads(sys.stdin.readline())))'; }
    [ "$(keys <"$T/one")" = "$(keys <"$W/changepoints.ndjson"),delay" ]
}

@test "--online: each record is written before the input ends (a pause in the input)" {
    awk 'BEGIN{srand(2); for(i=0;i<400;i++){v=rand()-0.5; if(i>=200) v+=5; printf "{\"WINDOW_START\":%d,\"v\":%.6f}\n", i*60000, v}}' >"$T/step"
    { head -n 300 "$T/step"; sleep 2; date +%s%N >"$T/resumed"; tail -n +301 "$T/step"; } |
        nf-pelt --online --online-window 100 --min-seg-len 6 |
        { IFS= read -r line || exit 1; date +%s%N >"$T/got"; printf '%s\n' "$line" >"$T/first"; cat >/dev/null; }
    [ "$(cat "$T/got")" -lt "$(cat "$T/resumed")" ]
    grep -q '"index":200,' "$T/first"
    grep -q '"delay":12' "$T/first"
}

@test "--online: memory does not grow with the stream (10^6 rows against 10^5)" {
    awk 'BEGIN{srand(1); for(i=0;i<1000000;i++){v=(rand()+rand()+rand()-1.5)*2; if(int(i/5000)%2) v+=4; printf "{\"WINDOW_START\":%d,\"v\":%.6f}\n", i*60000, v}}' >"$T/big"
    head -n 100000 "$T/big" >"$T/small"
    /usr/bin/time -f %M -o "$T/rss_small" nf-pelt --online --online-window 48 --min-seg-len 6 "$T/small" >"$T/cp_small"
    /usr/bin/time -f %M -o "$T/rss_big" nf-pelt --online --online-window 48 --min-seg-len 6 "$T/big" >"$T/cp_big"
    small=$(tail -n 1 "$T/rss_small"); big=$(tail -n 1 "$T/rss_big")
    echo "max RSS $small KB (10^5 rows), $big KB (10^6 rows)" >&2
    [ "$big" -le $((small + small / 10 + 512)) ]
    # and it kept finding the steps: one every 5000 rows
    [ "$(wc -l <"$T/cp_big")" -ge 195 ]
    [ "$(wc -l <"$T/cp_small")" -ge 19 ]
}

@test "--online: time order, rejects, usage errors" {
    printf '%s\n' '{"WINDOW_START":60000,"v":1}' '{"WINDOW_START":0,"v":2}' '{"WINDOW_START":120000}' 'junk' \
        '{"WINDOW_START":180000,"v":1}' >"$T/messy"
    run --separate-stderr nf-pelt --online --online-window 4 --min-seg-len 2 "$T/messy"
    [ "$status" -eq 0 ]
    [[ $stderr == *"messy:2: out of time order: WINDOW_START 1970-01-01 00:00:00 UTC (0) is 1m earlier than the row before, 1970-01-01 00:01:00 UTC (60000); skipped: --online needs rows in time order"* ]]
    [[ $stderr == *"messy:3: v: missing, null or not a finite number"* ]]
    [[ $stderr == *"fewer than the window of 4"* ]]
    run nf-pelt --online --strict "$T/messy"
    [ "$status" -eq 1 ]
    run nf-pelt --online --crops 1,10 "$T/messy"
    [ "$status" -eq 2 ]
    run nf-pelt --online --online-window 10 --min-seg-len 6 "$T/messy"
    [ "$status" -eq 2 ]
}

@test "the live chain nf-pca --model | nf-decompose --model | nf-pelt --online writes the first shift's event before the input ends" {
    head -n 1440 "$W/features.ndjson" >"$T/base"
    nf-pca --save-model "$T/pca.json" <"$T/base" >"$T/base-components"
    nf-decompose --period 1d --robust --columns 'pc*' --save-model "$T/season.json" \
        "$T/base-components" >/dev/null
    # the shift at row 972 is confirmed at row 996; the input pauses after row 1100
    { head -n 1100 "$W/features.ndjson"; sleep 3; date +%s%N >"$T/resumed"; tail -n +1101 "$W/features.ndjson"; } |
        nf-pca --model "$T/pca.json" | nf-decompose --model "$T/season.json" |
        nf-pelt --online --sigma auto --online-window 576 --min-seg-len 12 --columns pc1_adjusted |
        { while IFS= read -r line; do
              case $line in *'"index":972,'*) date +%s%N >"$T/got"; printf '%s\n' "$line" >"$T/event" ;; esac
          done; }
    [ -s "$T/event" ]
    [ "$(cat "$T/got")" -lt "$(cat "$T/resumed")" ]
    grep -q '"delay":24' "$T/event"
}

# 6 days of 5-minute rows: noise SD 1, then from row 700 a level +50 with
# its own noise (SD 4) and its own daily cycle (+20 from 08:00 to 18:00),
# then from row 1400 a second shift of +40.
regime_series() {
    python3 - "$1" <<'PY'
import json, random, sys
random.seed(3)
with open(sys.argv[1], "w") as f:
    for i in range(1728):
        t = i * 300000
        h = (t // 3600000) % 24
        v = random.gauss(0, 1)
        if i >= 700:
            v += 50 + random.gauss(0, 4) + (20 if 8 <= h < 18 else 0)
        if i >= 1400:
            v += 40
        f.write(json.dumps({"WINDOW_START": t, "x": v}) + "\n")
PY
}

@test "--online --relearn: a new segment's own noise and daily cycle give no more reports; the next shift does" {
    regime_series "$T/s.ndjson"
    pelt() { nf-pelt --online --sigma auto --online-window 576 --min-seg-len 6 "$@" "$T/s.ndjson" 2>/dev/null | jq -c .index | tr '\n' ' '; }
    # the old scale: the new segment's noise and cycle cut it every few rows
    run pelt --relearn 0
    [ "$(wc -w <<<"$output")" -gt 40 ]
    # the scale relearned, no profile: the 08:00 and 18:00 ramps remain
    run pelt --relearn 288 --relearn-period 0
    [ "$output" = "700 1080 1368 1656 " ]
    # scale and daily profile relearned: the two shifts, exactly
    run pelt --relearn 288
    [ "$output" = "700 1400 " ]
    run pelt --relearn 288 --relearn-period 1d
    [ "$output" = "700 1400 " ]
}

@test "--online --relearn: usage errors" {
    regime_series "$T/s.ndjson"
    run nf-pelt --online --online-window 288 --relearn 300 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"must fit in the online window"* ]]
    run nf-pelt --online --min-seg-len 6 --relearn 5 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"fewer rows than --confirm"* ]]
    run nf-pelt --relearn 288 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"are for --online"* ]]
    run nf-pelt --online --relearn 288 --relearn-period soon "$T/s.ndjson"
    [ "$status" -eq 2 ]
}

@test "--online --report-since: the rows before it bring the state up, their changes are counted, not written" {
    regime_series "$T/s.ndjson"
    opts=(--online --sigma auto --online-window 576 --min-seg-len 6 --relearn 288)
    nf-pelt "${opts[@]}" "$T/s.ndjson" >"$T/all" 2>/dev/null
    [ "$(jq -c .index "$T/all" | paste -sd' ')" = "700 1400" ]
    # an earlier run stopped at row 800 (in the 700 change's learned day): the
    # next change is written as the one run wrote it, the first is not again
    run --separate-stderr nf-pelt "${opts[@]}" --report-since 1970-01-03T18:40:00Z "$T/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$output" = "$(sed -n 2p "$T/all")" ]
    [[ "$stderr" == *"1 change confirmed at rows before --report-since (an earlier run's) not written"* ]]
    # since row 705: the first change is confirmed after it (row 712), both are written
    run --separate-stderr nf-pelt "${opts[@]}" --report-since 1970-01-03T10:45:00Z "$T/s.ndjson"
    [ "$output" = "$(cat "$T/all")" ]
    [[ "$stderr" == *"0 changes confirmed at rows before --report-since"* ]]
    # the same rows without the earlier ones: measured afresh, the relearned day is lost
    tail -n +801 "$T/s.ndjson" | nf-pelt "${opts[@]}" >"$T/fresh" 2>/dev/null
    [ "$(jq -c '.index + 800' "$T/fresh" | paste -sd' ')" != "1400" ]
    run nf-pelt --online --report-since soon "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--report-since: 'soon' is not a time"* ]]
    run nf-pelt --report-since 0 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"are for --online"* ]]
}

# A step at row 150 and, from row 400, a slow ramp whose evidence grows
# for tens of rows before PELT places a change in it.
step_and_ramp() {
    awk 'BEGIN{srand(3); for(i=0;i<700;i++){v=rand()+rand()+rand()-1.5; if(i>=150) v+=3;
        if(i>=400) v+=(i-400)*0.004; printf "{\"WINDOW_START\":%d,\"v\":%.6f}\n", i*300000, v}}' >"$1"
}

@test "--online --max-delay: a step is reported, a change confirmed later than N rows after its start is counted, not reported" {
    step_and_ramp "$T/s.ndjson"
    opts=(--online --online-window 100 --min-seg-len 6 --confirm 12 --relearn 24)
    run --separate-stderr nf-pelt "${opts[@]}" "$T/s.ndjson"
    [ "$status" -eq 0 ]
    # without it (the default, 0) the ramp's change is reported, 69 rows after it began
    [ "$(jq -c '[.index, .delay]' <<<"$output" | paste -sd' ')" = "[150,12] [622,69]" ]
    run --separate-stderr nf-pelt "${opts[@]}" --max-delay 36 "$T/s.ndjson"
    [ "$status" -eq 0 ]
    [ "$(jq -c '[.index, .delay]' <<<"$output" | paste -sd' ')" = "[150,12]" ]
    [[ "$stderr" == *"1 change first confirmed more than --max-delay 36 rows after its start not reported"* ]]
    run --separate-stderr nf-pelt -v "${opts[@]}" --max-delay 36 "$T/s.ndjson"
    [[ "$stderr" == *"the change at 1970-01-03T03:50:00.000Z (row 622) is first confirmed 69 rows after it began"* ]]
}

@test "--online --max-delay: usage errors" {
    step_and_ramp "$T/s.ndjson"
    run nf-pelt --online --confirm 12 --max-delay 6 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--max-delay 6: a change is confirmed 12 rows after it began at the earliest"* ]]
    run nf-pelt --max-delay 36 "$T/s.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"are for --online"* ]]
    run nf-pelt --online --max-delay soon "$T/s.ndjson"
    [ "$status" -eq 2 ]
}
