#!/usr/bin/env bats
# Golden tests (multi-day and per-flow): nf-features against an independent pandas implementation
# (tests/golden/features_ref.py) on real flows and on multi-day generated
# flows. Every one of the 116 features (and every per-flow context
# feature and pass-through key) of every window is compared within a
# relative 1e-9 by tests/golden/compare.py.
#
# Aggregates come from the real pipeline nf-parse | nf-window when those
# tools are built, otherwise from tests/golden/flows_ref.py (a small
# stand-in with the same window and subnet rules).

load ../../tests/helpers
load golden_helpers

@test "golden: two generated days with injected shifts (576 windows)" {
    require_py pandas
    python3 "$NF_TOP/bench/generate-flows" --days 2 --rate 0.4 --seed 3 \
        --shift +20h:new-udp-service:0.5 --shift +30h:egress-step:1 --shift +40h:scan:300 >"$TMP/flows.csv"
    if have_pipeline; then
        nf-parse "$TMP/flows.csv" | nf-window >"$TMP/agg"
    else
        python3 "$GOLD/flows_ref.py" agg "$TMP/flows.csv" >"$TMP/agg"
    fi
    [ "$(jq -s 'map(.WINDOW_START) | unique | length' "$TMP/agg")" -eq 576 ]
    golden_interval "$TMP/agg" 10.8.0.0/16,2001:db8::/32
}

@test "golden per-flow: CTU Argus 24 h and the CTU nfdump scan" {
    require_py pandas
    python3 "$GOLD/flows_ref.py" wflows "$DATA/ctu-argus-24h.binetflow" >"$TMP/wf"
    golden_perflow "$TMP/wf"
    python3 "$GOLD/flows_ref.py" wflows "$DATA/ctu-test1-malicious.nfdump.csv" >"$TMP/wf2"
    golden_perflow "$TMP/wf2"
    # the scan gives real work to the SYN count and the port entropy
    [ "$(jq -s 'map(.src_flag_SYN) | max' "$TMP/got")" -gt 100 ]
    [ "$(jq -s 'map(.src_entropy_L4_DST_PORT) | max > 5' "$TMP/got")" = true ]
}

@test "golden per-flow: the real nf-parse | nf-window --flows pipeline" {
    require_py pandas
    have_pipeline || skip "nf-parse / nf-window not built"
    nf-parse "$DATA/ctu-test1-malicious.nfdump.csv" | nf-window --flows >"$TMP/wf"
    golden_perflow "$TMP/wf"
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --flows >"$TMP/wf"
    golden_perflow "$TMP/wf"
}
