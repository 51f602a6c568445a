#!/usr/bin/env bats
# nf-decompose --save-model / --model: a saved seasonal profile applied row
# by row, by each row's own time.
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

# max over rows of |a - b| / range of the batch column, for every *_adjusted key, from row $3 of $1
max_rel_diff() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
skip = int(sys.argv[3])
assert len(a) - skip == len(b), (len(a), len(b))
worst = med = 0
for k in [k for k in b[0] if k.endswith("_adjusted")]:
    full = [r[k] for r in a]
    rng = max(full) - min(full)
    d = sorted(abs(x[k] - y[k]) / rng for x, y in zip(a[skip:], b))
    worst = max(worst, d[-1]); med = max(med, d[len(d) // 2])
print(f"{worst:.6g} {med:.6g}")
PY
}

@test "--model with the season fitted on the same rows gives the batch adjusted series (to 1e-12)" {
    nf-decompose --period 1d --robust --columns 'pc*' --keep adjusted --save-model "$T/all.json" \
        "$W/components.ndjson" >"$T/batch"
    cmp "$T/batch" "$W/adjusted.ndjson"
    nf-decompose --model "$T/all.json" "$W/components.ndjson" >"$T/online"
    read -r worst med < <(max_rel_diff "$W/adjusted.ndjson" "$T/online" 0)
    awk -v w="$worst" 'BEGIN { exit !(w < 1e-12) }'
    # the pass-through members are the batch path's, in its order
    [ "$(head -n 1 "$T/online" | cut -c1-200)" = "$(head -n 1 "$W/adjusted.ndjson" | cut -c1-200)" ]
}

@test "--model: fitted on days 1-5, applied to days 6-7, within the documented tolerance of batch STL" {
    head -n 1440 "$W/components.ndjson" >"$T/base"
    tail -n +1441 "$W/components.ndjson" >"$T/live"
    nf-decompose --period 1d --robust --columns 'pc*' --save-model "$T/s.json" "$T/base" >/dev/null
    nf-decompose --model "$T/s.json" "$T/live" >"$T/online"
    read -r worst med < <(max_rel_diff "$W/adjusted.ndjson" "$T/online" 1440)
    echo "max $worst median $med" >&2
    # docs/nf-decompose.md: median difference at most 3 % of the range, worst 40 %
    awk -v w="$worst" -v m="$med" 'BEGIN { exit !(m < 0.03 && w < 0.40 && w > 0) }'
}

@test "the model file: kind, version, step, period, origin, robust scale, one profile per column" {
    nf-decompose --period 1d --robust --columns 'pc1,pc2' --save-model "$T/s.json" \
        "$W/components.ndjson" >/dev/null
    run python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m["kind"] == "nfshift-season-model" and m["version"] == 1, m["kind"]
assert m["step_ms"] == 300000 and m["period"] == 288 and m["robust"] is True
assert [c["name"] for c in m["columns"]] == ["pc1", "pc2"]
assert all(len(c["seasonal"]) == 288 and c["remainder_scale"] > 0 for c in m["columns"])
print(m["origin_ms"])' "$T/s.json"
    [ "$status" -eq 0 ]
    [ "$output" = "$(head -n 1 "$W/components.ndjson" | python3 -c 'import json,sys; print(json.load(sys.stdin)["WINDOW_START"])')" ]
}

@test "--model: a gap in the input is a gap (the season follows the time, not the row count)" {
    nf-decompose --period 1d --columns pc1 --save-model "$T/s.json" "$W/components.ndjson" >/dev/null
    nf-decompose --model "$T/s.json" "$W/components.ndjson" >"$T/full"
    sed '100,250d' "$W/components.ndjson" | nf-decompose --model "$T/s.json" >"$T/gapped"
    sed '100,250d' "$T/full" | cmp - "$T/gapped"
    # before the model's origin too: a week earlier (a whole number of periods) has the same season
    head -n 50 "$W/components.ndjson" | nf-decompose --model "$T/s.json" --keep seasonal |
        sed 's/.*"pc1_seasonal"/x/' >"$T/now"
    head -n 50 "$W/components.ndjson" |
        python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); r["WINDOW_START"] -= 7 * 86400000; print(json.dumps(r))' |
        nf-decompose --model "$T/s.json" --keep seasonal | sed 's/.*"pc1_seasonal"/x/' | cmp - "$T/now"
}

@test "--model: rows come out while the input pauses (flushed to a pipe)" {
    nf-decompose --period 1d --columns pc1 --save-model "$T/s.json" "$W/components.ndjson" >/dev/null
    { head -n 300 "$W/components.ndjson"; sleep 2; date +%s%N >"$T/resumed"; tail -n +301 "$W/components.ndjson"; } |
        nf-decompose --model "$T/s.json" |
        { for _ in $(seq 300); do IFS= read -r line || exit 1; done; date +%s%N >"$T/got300"; cat >/dev/null; }
    [ "$(cat "$T/got300")" -lt "$(cat "$T/resumed")" ]
}

@test "--model: --keep seasonal,adjusted; rows without the column or a time are rejected with file:line" {
    nf-decompose --period 1d --columns pc1 --save-model "$T/s.json" "$W/components.ndjson" >/dev/null
    { head -n 2 "$W/components.ndjson"; echo '{"WINDOW_START":1554336600000,"pc1":null}';
      echo '{"pc1":3}'; echo 'garbage'; sed -n 3p "$W/components.ndjson"; } >"$T/messy"
    run --separate-stderr nf-decompose --model "$T/s.json" --keep seasonal,adjusted --rejects "$T/rej" "$T/messy"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 3 ]
    [[ $stderr == *"messy:3: pc1: missing, null or not a finite number"* ]]
    [[ $stderr == *"messy:4: WINDOW_START: missing or not a time"* ]]
    [[ $stderr == *"messy:5: not valid JSON"* ]]
    [ "$(wc -l <"$T/rej")" -eq 3 ]
    [[ $(printf '%s\n' "$output" | head -n 1) == *'"pc1_seasonal":'*'"pc1_adjusted":'* ]]
    run nf-decompose --model "$T/s.json" --strict "$T/messy"
    [ "$status" -eq 1 ]
}

@test "--model: usage errors and a damaged model" {
    nf-decompose --period 1d --columns pc1 --save-model "$T/s.json" "$W/components.ndjson" >/dev/null
    run nf-decompose --model "$T/s.json" --period 1d "$W/components.ndjson"
    [ "$status" -eq 2 ]
    run nf-decompose --model "$T/s.json" --keep trend "$W/components.ndjson"
    [ "$status" -eq 2 ]
    run nf-decompose --period none --save-model "$T/x.json" "$W/components.ndjson"
    [ "$status" -eq 2 ]
    sed 's/nfshift-season-model/nfshift-pca-model/' "$T/s.json" >"$T/bad.json"
    run nf-decompose --model "$T/bad.json" "$W/components.ndjson"
    [ "$status" -eq 1 ]
    [[ $output == *'kind is not "nfshift-season-model"'* ]]
    sed 's/"seasonal":\[[^]]*,/"seasonal":[/' "$T/s.json" >"$T/short.json"
    run nf-decompose --model "$T/short.json" "$W/components.ndjson"
    [ "$status" -eq 1 ]
    [[ $output == *'must be an array of 288 numbers'* ]]
}
