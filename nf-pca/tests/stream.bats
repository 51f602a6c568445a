#!/usr/bin/env bats
# nf-pca --model streams: each row is projected and written as it is read
# (flushed when the output is a pipe), with the bytes of the batch path.
load ../../tests/helpers
load pca_helpers

setup() {
    T=$BATS_TEST_TMPDIR
    make_nab_lagged "$DATA/nab/ec2_network_in_257a54.csv" 4 "$T/nab.ndjson" "$T/nab.csv"
    nf-pca --variance 0.9 --save-model "$T/m.json" "$T/nab.ndjson" >"$T/fitted"
}

@test "--model: the first 300 rows come out while the input pauses, before the rest is sent" {
    { head -n 300 "$T/nab.ndjson"; sleep 2; date +%s%N >"$T/resumed"; tail -n +301 "$T/nab.ndjson"; } |
        nf-pca --model "$T/m.json" |
        { for _ in $(seq 300); do IFS= read -r line || exit 1; printf '%s\n' "$line"; done >"$T/first300"
          date +%s%N >"$T/got300"; cat >"$T/rest"; }
    [ "$(cat "$T/got300")" -lt "$(cat "$T/resumed")" ]
    cat "$T/first300" "$T/rest" | cmp - "$T/fitted"
}

@test "--model: the same bytes to a pipe, to a file and from stdin as the fitting run wrote" {
    nf-pca --model "$T/m.json" "$T/nab.ndjson" >"$T/file"
    nf-pca --model "$T/m.json" <"$T/nab.ndjson" | cat >"$T/pipe"
    cmp "$T/fitted" "$T/file"
    cmp "$T/fitted" "$T/pipe"
}

@test "--model: rows with a missing model column are rejected in input order, the rest projected" {
    { head -n 3 "$T/nab.ndjson"; echo '{"WINDOW_START":"2014-04-10 00:00:00","v0":1,"v1":null,"v2":3,"v3":4,"v4":5,"x":"y"}';
      echo 'garbage'; sed -n 4,6p "$T/nab.ndjson"; } >"$T/messy.ndjson"
    run --separate-stderr nf-pca --model "$T/m.json" --rejects "$T/rej" "$T/messy.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -c '')" -eq 6 ]
    [[ $stderr == *"messy.ndjson:4: v1: missing, null or not a finite number"* ]]
    [[ $stderr == *"messy.ndjson:5: not valid JSON"* ]]
    [[ $stderr == *"2 records skipped"* ]]
    [ "$(sed -n 1p "$T/rej")" = '{"WINDOW_START":"2014-04-10 00:00:00","v1":null,"x":"y","v0":1,"v2":3,"v3":4,"v4":5}' ]
    [ "$(printf '%s\n' "$output" | sed -n 4p)" = "$(sed -n 4p "$T/fitted")" ]
}

@test "--model: an input without a model column ends with exit 1 naming it, after its rows" {
    sed 's/"v3":[^,]*,//' "$T/nab.ndjson" | head -n 5 >"$T/no_v3.ndjson"
    run --separate-stderr nf-pca --model "$T/m.json" "$T/no_v3.ndjson"
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    [[ $stderr == *"the input has no column v3 of model"* ]]
}
