#!/usr/bin/env bats
# Defaults that chain (issue 15): identifiers and labels are not features,
# and each numeric stage reads by default what the stage before it wrote
# for it (docs/records.md "Which columns a stage reads").

load helpers

setup() {
    T=$BATS_TEST_TMPDIR
}

# The demo's generated week (scripts/demo step 1a): 7 days of flows with
# three injected shifts, as 5-minute feature vectors.
demo_week() {
    python3 "$NF_TOP/bench/generate-flows" --days 7 --rate 0.5 --seed 1 --start 2019-04-04T00:00:00 \
        --shift +81h:new-udp-service --shift +134h:egress-step --shift +147h:scan \
        --truth "$T/truth.ndjson" -o "$T/flows.csv"
    nf-parse "$T/flows.csv" | nf-window | nf-features --internal 10.8.0.0/16 > "$T/features.ndjson"
}

@test "chain: nf-pca | nf-decompose | nf-pelt without column options finds the demo week's shifts, as the demo's explicit chain" {
    demo_week
    nf-pca < "$T/features.ndjson" > "$T/components.ndjson"
    nf-decompose --period 1d --robust --columns 'pc*' --keep adjusted < "$T/components.ndjson" > "$T/adjusted.ndjson"
    nf-pelt --sigma auto --min-seg-len 12 --columns '*_adjusted' < "$T/adjusted.ndjson" > "$T/explicit.ndjson"
    nf-pca < "$T/features.ndjson" | nf-decompose --period 1d --robust --keep adjusted 2> "$T/dec.err" \
        | nf-pelt --sigma auto --min-seg-len 12 > "$T/default.ndjson" 2> "$T/pelt.err"
    cmp "$T/explicit.ndjson" "$T/default.ndjson"
    # the injected shifts start at windows 972, 1608 and 1764 (truth.ndjson)
    for w in 972 1608 1764; do
        grep -q "\"index\":$w," "$T/default.ndjson" || { echo "no change point at $w"; return 1; }
    done
    grep -q '^nf-decompose: columns pc1, pc2, .* (nf-pca output: its components pc<N>); --columns chooses others$' "$T/dec.err"
    grep -q '^nf-pelt: columns pc1_adjusted, pc2_adjusted, .* (nf-decompose output: its seasonally adjusted columns \*_adjusted); --columns chooses others$' "$T/pelt.err"
}

@test "chain: nf-pelt after nf-pca reads the components, never spe, t2 or the limits" {
    demo_week
    nf-pca --components 3 < "$T/features.ndjson" > "$T/c.ndjson"
    run nf-pelt --min-seg-len 12 "$T/c.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"nf-pelt: columns pc1, pc2, pc3 (nf-pca output: its components pc<N>)"* ]]
    [[ "$output" != *'"columns":["spe"]'* ]]
    [[ "$output" != *'"columns":["t2'* ]]
    [[ "$output" == *'"columns":["pc1"]'* ]]
}

@test "chain: nf-decompose output without *_adjusted is refused by nf-pelt's default, naming the fix" {
    printf '{"WINDOW_START":%d,"x":%d}\n' $(for i in $(seq 0 47); do echo $((i * 300000)) $((i % 12)); done) > "$T/s.ndjson"
    nf-decompose --period 12 "$T/s.ndjson" > "$T/d.ndjson"
    run nf-pelt "$T/d.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"d.ndjson:1: nf-decompose output without *_adjusted columns"*"run nf-decompose with --keep adjusted"*"--columns"* ]]
    run nf-pelt --columns x_trend "$T/d.ndjson"
    [ "$status" -eq 0 ]
}

@test "identifiers: nf-pca on per-flow context leaves ID, ports, protocol, flags, times and ToS out and passes ID through" {
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --flows \
        | nf-features --per-flow > "$T/ctx.ndjson"
    nf-pca "$T/ctx.ndjson" > "$T/default.ndjson" 2> "$T/err"
    grep -q '^nf-pca: left out as identifiers or derived statistics (passed through): ID, L4_SRC_PORT, L4_DST_PORT, PROTOCOL_NUM, TCP_FLAGS, FIRST_SWITCHED, LAST_SWITCHED, SRC_TOS, DST_TOS; ' "$T/err"
    # every flow scored (DST_TOS, absent on some rows, no longer a column), each with its ID
    [ "$(wc -l < "$T/default.ndjson")" -eq "$(wc -l < "$T/ctx.ndjson")" ]
    [ "$(grep -c '"ID":[0-9]*,' "$T/default.ndjson")" -eq "$(wc -l < "$T/ctx.ndjson")" ]
    # the same scores as the demo's hand-written --exclude list
    nf-pca --exclude 'ID,L4_*,PROTOCOL_NUM,TCP_FLAGS,FIRST_SWITCHED,LAST_SWITCHED,*_TOS' "$T/ctx.ndjson" > "$T/demo.ndjson" 2>/dev/null
    cmp "$T/default.ndjson" "$T/demo.ndjson"
}

@test "identifiers: naming one in --columns still selects it" {
    printf '{"WINDOW_START":%d,"ID":%d,"x":%d}\n' 0 1 5 300000 2 7 600000 3 6 900000 4 9 > "$T/s.ndjson"
    run nf-pelt --annotate --penalty 0 --columns ID "$T/s.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *'"ID_segment":'* ]]
    run nf-pelt --annotate --penalty 0 "$T/s.ndjson"
    [[ "$output" == *'"x_segment":'* ]]
    [[ "$output" != *'"ID_segment":'* ]]
}

@test "exit status: input with records but none usable exits 1 with a message, empty input 0" {
    printf 'garbage\nnot json either\n' > "$T/g.txt"
    : > "$T/empty"
    for tool in nf-pca "nf-decompose --period 12" nf-pelt; do
        run $tool "$T/g.txt"
        [ "$status" -eq 1 ] || { echo "$tool: status $status"; return 1; }
        [[ "$output" == *"g.txt: no usable record (all 2 skipped)"* ]] || { echo "$tool: $output"; return 1; }
        run $tool "$T/empty"
        [ "$status" -eq 0 ] || { echo "$tool on empty input: status $status"; return 1; }
    done
    # rows without a numeric column are not usable either
    printf '{"WINDOW_START":0,"host":"a"}\n' > "$T/text.ndjson"
    run nf-pelt "$T/text.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"no numeric column to segment"* ]]
}

@test "the README's per-flow chain with default options reports the demo's top flows (flows joined by ID)" {
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --flows | nf-features --per-flow > "$T/ctx"
    nf-pca --save-model "$T/m.json" < "$T/ctx" > "$T/s" 2>/dev/null
    nf-explain --flagged --features "$T/ctx" --model "$T/m.json" --out-dir "$T/r" "$T/s"
    # the demo's chain: nf-pca with its hand-written --exclude list, --top 5
    nf-pca --exclude 'ID,L4_*,PROTOCOL_NUM,TCP_FLAGS,FIRST_SWITCHED,LAST_SWITCHED,*_TOS' < "$T/ctx" > "$T/d" 2>/dev/null
    nf-explain --flagged --features "$T/ctx" --top 5 --out-dir "$T/demo" "$T/d"
    top5() { ls "$1" | grep -v README | head -n 5; }
    [ "$(top5 "$T/r")" = "$(top5 "$T/demo")" ]
    # five different flows, each reported once
    [ "$(top5 "$T/r" | sed 's/.*-id//' | sort -u | wc -l)" -eq 5 ]
}
