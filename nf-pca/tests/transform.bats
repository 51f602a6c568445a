#!/usr/bin/env bats
# nf-pca --transform log1p: log(1 + x) of the count features before
# standardising, recorded in the model (version 2) so that --model and
# nf-explain apply the same transform (docs/nf-pca.md).
bats_require_minimum_version 1.5.0
load ../../tests/helpers

setup() {
    T=$BATS_TEST_TMPDIR
    FEAT="$NF_TOP/nf-explain/tests/fixtures/step-features.ndjson" # the 116 interval features, 120 rows
}

# The features with log(1 + x) of the columns a model marks "log1p", done in Python.
log_by_model() { # MODEL FEATURES
    python3 -c '
import json, math, sys
m = json.load(open(sys.argv[1]))
logged = [c for c, t in zip(m["columns"], m["transform"]) if t == "log1p"]
for line in open(sys.argv[2]):
    r = json.loads(line)
    for c in logged:
        r[c] = math.log1p(r[c])
    print(json.dumps(r))' "$1" "$2"
}

@test "--transform log1p: the model is version 2 and marks the 41 count features, no share, coefficient or mean" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FEAT" >/dev/null
    [ "$(jq -r .version "$T/m.json")" -eq 2 ]
    [ "$(jq '.transform | length' "$T/m.json")" -eq 116 ]
    jq -r '[.columns, .transform] | transpose[] | select(.[1] == "log1p") | .[0]' "$T/m.json" >"$T/logged"
    [ "$(grep -c '' "$T/logged")" -eq 41 ]
    grep -qx bytes "$T/logged"
    grep -qx n_sending_subnets "$T/logged"
    grep -qx Other_flows_out "$T/logged"
    [ "$(grep -c 'share\|sym_coeff\|mean\|sd_' "$T/logged")" -eq 0 ]
    # without the option: version 1, no transform member
    nf-pca --save-model "$T/m1.json" "$FEAT" >/dev/null
    [ "$(jq -r '[.version, has("transform")] | @tsv' "$T/m1.json")" = "$(printf '1\tfalse')" ]
}

@test "--transform log1p: the same bytes as nf-pca on the features with log(1 + x) taken in Python" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FEAT" >"$T/a"
    log_by_model "$T/m.json" "$FEAT" | nf-pca >"$T/b"
    cmp "$T/a" "$T/b"
    run cmp -s "$T/a" <(nf-pca "$FEAT")
    [ "$status" -eq 1 ]
}

@test "--transform log1p: --model on the saved model gives the fitted run's bytes, from a file and streamed from a pipe" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FEAT" >"$T/fitted"
    nf-pca --model "$T/m.json" "$FEAT" >"$T/file"
    cat "$FEAT" | nf-pca --model "$T/m.json" | cat >"$T/pipe"
    cmp "$T/fitted" "$T/file"
    cmp "$T/fitted" "$T/pipe"
}

@test "--transform log1p: a negative count is rejected with its column, in the fit and under --model" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FEAT" >/dev/null
    sed '3s/"flows":[0-9.e+]*/"flows":-1/' "$FEAT" >"$T/neg.ndjson"
    run --separate-stderr nf-pca --transform log1p "$T/neg.ndjson"
    [ "$status" -eq 0 ]
    [[ $stderr == *"neg.ndjson:3: flows: negative, but --transform log1p takes it as a count"* ]]
    [ "$(printf '%s\n' "$output" | grep -c '')" -eq 119 ]
    run --separate-stderr nf-pca --model "$T/m.json" --strict "$T/neg.ndjson"
    [ "$status" -eq 1 ]
    [[ $stderr == *"neg.ndjson:3: flows: negative, but --transform log1p takes it as a count"* ]]
    # without the transform the same row is used
    [ "$(nf-pca "$T/neg.ndjson" | grep -c '')" -eq 120 ]
}

@test "--transform: usage errors exit 2 (unknown name, with --model); no count column is a warning and version 1" {
    run nf-pca --transform sqrt "$FEAT"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--transform: none or log1p, not 'sqrt'"* ]]
    nf-pca --save-model "$T/m.json" "$FEAT" >/dev/null
    run nf-pca --model "$T/m.json" --transform log1p "$FEAT"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--transform cannot be used with it"* ]]
    run --separate-stderr nf-pca --transform log1p --columns '*share*' --save-model "$T/s.json" "$FEAT"
    [ "$status" -eq 0 ]
    [[ $stderr == *"--transform log1p: no count feature among the 27 columns, nothing transformed"* ]]
    [ "$(jq -r .version "$T/s.json")" -eq 1 ]
}

@test "model version 2: a transform entry that is not none or log1p, or a missing transform, is refused naming it" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FEAT" >/dev/null
    jq -c '.transform[0] = "sqrt"' "$T/m.json" >"$T/bad.json"
    run nf-pca --model "$T/bad.json" "$FEAT"
    [ "$status" -eq 1 ]
    [[ "$output" == *"bad.json: \"transform\"[0] is neither \"none\" nor \"log1p\""* ]]
    jq -c 'del(.transform)' "$T/m.json" >"$T/none.json"
    run nf-pca --model "$T/none.json" "$FEAT"
    [ "$status" -eq 1 ]
    [[ "$output" == *"none.json"*"transform"* ]]
    jq -c '.version = 3' "$T/m.json" >"$T/v3.json"
    run nf-pca --model "$T/v3.json" "$FEAT"
    [ "$status" -eq 1 ]
    [[ "$output" == *"version 3 is not supported"* ]]
}
