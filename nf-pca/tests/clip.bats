#!/usr/bin/env bats
# nf-pca --clip: scores from z-scores bounded to +-Z, recorded in the model;
# SPE and T2 from the whole row.
load ../../tests/helpers

setup() {
    T=$BATS_TEST_TMPDIR
    # three correlated columns over 200 rows, then rows where column c is far out
    python3 - "$T" <<'PY'
import json, math, random, sys
t = sys.argv[1]
random.seed(7)
with open(t + "/fit.ndjson", "w") as f:
    for i in range(200):
        u = random.gauss(0, 1)
        f.write(json.dumps({"WINDOW_START": i * 300000, "a": u + random.gauss(0, .3),
                            "b": 2 * u + random.gauss(0, .3), "c": random.gauss(5, 1)}) + "\n")
with open(t + "/new.ndjson", "w") as f:
    for i, c in enumerate([5, 1e4, 1e6, -1e6]):
        f.write(json.dumps({"WINDOW_START": (200 + i) * 300000, "a": 0.1, "b": 0.2, "c": c}) + "\n")
PY
}

# the scores of a row computed from the model by hand, z bounded to +-clip
by_hand() {
    python3 - "$1" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
clip = m.get("clip", 0)
for line in open(sys.argv[2]):
    r = json.loads(line)
    z = [(r[c] - m["center"][j]) / m["scale"][j] for j, c in enumerate(m["columns"])]
    if clip:
        z = [max(-clip, min(clip, v)) for v in z]
    print(" ".join("%.9g" % sum(l * v for l, v in zip(L, z)) for L in m["loadings"]))
PY
}

@test "--clip: the model records it and --model bounds each z-score before projecting" {
    nf-pca --components 2 --clip 4 --save-model "$T/m.json" "$T/fit.ndjson" >"$T/fit.out"
    run jq -r .clip "$T/m.json"
    [ "$output" = 4 ]
    nf-pca --model "$T/m.json" "$T/new.ndjson" >"$T/out"
    jq -r '[.pc1, .pc2] | map(tostring) | join(" ")' "$T/out" |
        python3 -c 'import sys; print("\n".join(" ".join("%.9g" % float(v) for v in l.split()) for l in sys.stdin))' >"$T/got"
    by_hand "$T/m.json" "$T/new.ndjson" >"$T/want"
    diff "$T/want" "$T/got"
    # a row 10^4 and one 10^6 out give the same scores: both are at the bound
    [ "$(sed -n 2p "$T/got")" = "$(sed -n 3p "$T/got")" ]
    [ "$(sed -n 2p "$T/got")" != "$(sed -n 1p "$T/got")" ]
}

@test "--clip: SPE and T2 are those of the whole row, as without --clip" {
    nf-pca --components 2 --clip 4 --save-model "$T/c.json" "$T/fit.ndjson" >/dev/null
    nf-pca --components 2 --save-model "$T/n.json" "$T/fit.ndjson" >/dev/null
    nf-pca --model "$T/c.json" "$T/new.ndjson" | jq -c '[.spe, .t2, .spe_flag]' >"$T/c"
    nf-pca --model "$T/n.json" "$T/new.ndjson" | jq -c '[.spe, .t2, .spe_flag]' >"$T/n"
    cmp "$T/c" "$T/n"
    [ "$(sed -n 3p "$T/c" | jq '.[2]')" = true ]
    # without --clip the model has no clip member and the scores are unbounded
    run jq 'has("clip")' "$T/n.json"
    [ "$output" = false ]
    by_hand "$T/n.json" "$T/new.ndjson" | sed -n 3p | awk '{ exit !($1 > 1000 || $1 < -1000) }'
}

@test "--clip: the fitting run writes what --model writes" {
    cat "$T/fit.ndjson" "$T/new.ndjson" >"$T/all.ndjson"
    nf-pca --components 2 --clip 3 --fit-rows 200 --save-model "$T/m.json" "$T/all.ndjson" >"$T/fit.out"
    nf-pca --model "$T/m.json" "$T/all.ndjson" >"$T/model.out"
    cmp "$T/fit.out" "$T/model.out"
}

@test "--clip: usage errors and a bad clip in a model" {
    run nf-pca --clip 0 "$T/fit.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--clip"* ]]
    nf-pca --components 2 --save-model "$T/m.json" "$T/fit.ndjson" >/dev/null
    run nf-pca --model "$T/m.json" --clip 3 "$T/new.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--clip"* ]]
    jq -c '.clip = -1' "$T/m.json" >"$T/bad.json"
    run nf-pca --model "$T/bad.json" "$T/new.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *'"clip" must be a positive number'* ]]
}
