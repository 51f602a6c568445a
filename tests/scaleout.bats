#!/usr/bin/env bats
# Sharded and Hadoop-Streaming-style runs of the front of the pipeline give
# byte-identical output to one process over all the input (docs/scale-out.md).

load helpers

setup() {
    TMP=$BATS_TEST_TMPDIR # removed by bats after each test
    nf-parse "$DATA/ctu-argus-24h.binetflow" >"$TMP/flows.ndjson"
    INTERNAL=10.8.0.0/24
}

single_run() {
    nf-window <"$TMP/flows.ndjson" | nf-features --internal "$INTERNAL"
}

@test "scale-out: shards by line, windowed apart and merged, equal one run byte for byte" {
    single_run >"$TMP/single"
    split -n l/3 "$TMP/flows.ndjson" "$TMP/shard."
    for s in "$TMP"/shard.*; do nf-window <"$s"; done >"$TMP/partials"
    nf-window --merge <"$TMP/partials" | nf-features --internal "$INTERNAL" >"$TMP/merged"
    [ -s "$TMP/single" ]
    cmp "$TMP/single" "$TMP/merged"
}

@test "scale-out: interleaved shards (every third flow) merge to the same bytes" {
    single_run >"$TMP/single"
    for k in 0 1 2; do
        awk -v k=$k 'NR % 3 == k' "$TMP/flows.ndjson" | nf-window >"$TMP/part$k"
    done
    cat "$TMP/part2" "$TMP/part0" "$TMP/part1" | nf-window --merge | nf-features --internal "$INTERNAL" >"$TMP/merged"
    cmp "$TMP/single" "$TMP/merged"
}

@test "scale-out: Hadoop Streaming contract (mapper < input | sort | reducer) is byte-identical" {
    single_run >"$TMP/single"
    split -n l/4 "$TMP/flows.ndjson" "$TMP/split."
    for s in "$TMP"/split.*; do
        sh -c 'nf-parse --format ndjson | nf-window' <"$s"
    done | LC_ALL=C sort | sh -c "nf-window --merge | nf-features --internal $INTERNAL" >"$TMP/streamed"
    cmp "$TMP/single" "$TMP/streamed"
}

@test "scale-out: GNU parallel over shards is byte-identical" {
    require_cmd parallel
    single_run >"$TMP/single"
    split -n l/4 "$TMP/flows.ndjson" "$TMP/split."
    parallel -j 2 'nf-window < {}' ::: "$TMP"/split.* | nf-window --merge \
        | nf-features --internal "$INTERNAL" >"$TMP/parallel"
    cmp "$TMP/single" "$TMP/parallel"
}

@test "scale-out: the whole pipeline from the CSV, parse included, is byte-identical when sharded" {
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window >"$TMP/single"
    head -n 1 "$DATA/ctu-argus-24h.binetflow" >"$TMP/header"
    tail -n +2 "$DATA/ctu-argus-24h.binetflow" >"$TMP/body"
    split -n l/2 "$TMP/body" "$TMP/csv."
    for s in "$TMP"/csv.*; do cat "$TMP/header" "$s" | nf-parse | nf-window; done \
        | nf-window --merge >"$TMP/merged"
    cmp "$TMP/single" "$TMP/merged"
}
