#!/usr/bin/env bats
# The Makefile pattern of experiments/Makefile: every stage into its own
# file, and a changed parameter reruns only the stages after it.

load helpers

setup() {
    # the tests read make's echo of each command: an outer `make -s check`
    # must not make the inner make silent
    unset MAKEFLAGS MFLAGS MAKELEVEL
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    python3 "$NF_TOP/bench/generate-flows" --days 3 --rate 0.2 --seed 5 \
        --start 2019-04-04T00:00:00 --shift +40h:egress-step:1.0 \
        --source "$DATA/ctu-argus-24h.binetflow=10.8.0.0/16" -o "$TMP/flows.csv"
    MK="make -f $NF_TOP/experiments/Makefile INPUT=$TMP/flows.csv OUT=$TMP/exp NF_BIN=$NF_BIN INTERNAL=10.8.0.0/16"
}

@test "experiments: one make runs every stage into its own file and writes reports" {
    run $MK
    [ "$status" -eq 0 ]
    for f in flows windows features components adjusted changepoints; do
        [ -s "$TMP/exp/$f.ndjson" ] || [ "$f" = changepoints ]
    done
    [ -f "$TMP/exp/model.json" ]
    [ -f "$TMP/exp/reports/README.md" ]
    # the 116 features and the five flow medians, as nfshift detect makes them
    [ "$(head -n 1 "$TMP/exp/features.ndjson" | jq 'keys | length')" -eq 123 ]
    run $MK MEDIANS=0
    [ "$status" -eq 0 ]
    [ "$(head -n 1 "$TMP/exp/features.ndjson" | jq 'keys | length')" -eq 118 ]
}

@test "experiments: a new penalty reruns nf-pelt and nf-explain only" {
    $MK >/dev/null
    run $MK PENALTY=BIC
    [ "$status" -eq 0 ]
    [[ "$output" == *"nf-pelt"* ]]
    [[ "$output" == *"nf-explain"* ]]
    [[ "$output" != *"nf-window"* ]]
    [[ "$output" != *"nf-pca"* ]]
    run $MK PENALTY=BIC
    [[ "$output" == *"Nothing to be done"* || "$output" == *"is up to date"* ]]
}

@test "experiments: a new window length reruns from nf-window on, not nf-parse" {
    $MK >/dev/null
    run $MK WINDOW=600 PERIOD=144
    [ "$status" -eq 0 ]
    [[ "$output" == *"nf-window --window 600"* ]]
    [[ "$output" != *"nf-parse"* ]]
}

@test "experiments: without INPUT a generated week with the demo's shifts runs through; one real day runs with PERIOD=none" {
    run make -f "$NF_TOP/experiments/Makefile" OUT="$TMP/gen" NF_BIN="$NF_BIN" GEN_RATE=0.05
    [ "$status" -eq 0 ]
    [ "$(grep -c '' "$TMP/gen/generated.truth")" -eq 3 ]
    [ -f "$TMP/gen/reports/README.md" ]
    # a week of 5-minute windows, gaps filled
    [ "$(grep -c '' "$TMP/gen/features.ndjson")" -eq 2016 ]
    run make -f "$NF_TOP/experiments/Makefile" INPUT="$DATA/ctu-argus-24h.binetflow" INTERNAL=10.8.0.0/24 \
        PERIOD=none OUT="$TMP/ctu" NF_BIN="$NF_BIN"
    [ "$status" -eq 0 ]
    [ -f "$TMP/ctu/reports/README.md" ]
    # a failing stage leaves no half-written file behind
    run make -f "$NF_TOP/experiments/Makefile" INPUT="$DATA/ctu-argus-24h.binetflow" INTERNAL=10.8.0.0/24 \
        OUT="$TMP/ctu1d" NF_BIN="$NF_BIN"
    [ "$status" -ne 0 ]
    [[ "$output" == *"not more than two periods"* ]]
    [ ! -e "$TMP/ctu1d/adjusted.ndjson.tmp" ] && [ ! -e "$TMP/ctu1d/adjusted.ndjson" ]
}

@test "experiments: the default OUT (build/experiment under the current directory) works" {
    cd "$TMP"
    run make -f "$NF_TOP/experiments/Makefile" INPUT="$DATA/ctu-argus-24h.binetflow" INTERNAL=10.8.0.0/24 \
        PERIOD=none NF_BIN="$NF_BIN"
    [ "$status" -eq 0 ]
    [ -f "$TMP/build/experiment/reports/README.md" ]
    [ -s "$TMP/build/experiment/features.ndjson" ]
}
