#!/usr/bin/env bats
# Golden tests: nf-features against an independent pandas implementation
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

@test "the comparison fails on a single changed feature (the golden tests can fail)" {
    require_py pandas
    python3 "$GOLD/flows_ref.py" agg "$DATA/ctu-test1-malicious.nfdump.csv" >"$TMP/agg"
    nf-features --internal 147.32.0.0/16 "$TMP/agg" >"$TMP/got"
    /usr/bin/python3 "$GOLD/features_ref.py" --internal 147.32.0.0/16 "$TMP/agg" >"$TMP/want"
    run python3 "$GOLD/compare.py" "$TMP/got" "$TMP/want"
    [ "$status" -eq 0 ]
    sed '1s/"sd_in_bytes":\([0-9]\)/"sd_in_bytes":1\1/' "$TMP/got" >"$TMP/bad"
    run ! cmp -s "$TMP/got" "$TMP/bad"
    run python3 "$GOLD/compare.py" "$TMP/bad" "$TMP/want"
    [ "$status" -eq 1 ]
    [[ "$output" == *"sd_in_bytes"* ]]
    # and the reference itself reacts to the internal prefixes
    /usr/bin/python3 "$GOLD/features_ref.py" --internal 147.32.84.0/24 "$TMP/agg" >"$TMP/other"
    run python3 "$GOLD/compare.py" "$TMP/got" "$TMP/other"
    [ "$status" -eq 1 ]
}

@test "golden: CTU Argus binetflow, 24 h, internal 10.8.0.0/24 (288 windows)" {
    require_py pandas
    aggregates "$DATA/ctu-argus-24h.binetflow" >"$TMP/agg"
    [ "$(jq -s 'map(.WINDOW_START) | unique | length' "$TMP/agg")" -eq 288 ]
    golden_interval "$TMP/agg" 10.8.0.0/24
}

@test "golden: CTU nfdump CSV (scan inside 147.32.0.0/16)" {
    require_shared
    require_py pandas
    aggregates "$NFCSV/slips-ctu-test1-malicious.nfdump.csv" >"$TMP/agg"
    golden_interval "$TMP/agg" 147.32.0.0/16
}

@test "golden: CESNET nfdump CSV, internal = the anonymised client ranges 9/8, 77.83/16, 79.120/16" {
    require_shared
    require_py pandas
    aggregates "$NFCSV/cesnet-ipfixcol2-example.nfdump.csv" >"$TMP/agg"
    golden_interval "$TMP/agg" 9.0.0.0/8,77.83.0.0/16,79.120.0.0/16
}

@test "golden: pmacct nfdump CSV (IPv4 + IPv6), internal = the lab's 192.0.2.0/24 and 2001:db8::/32" {
    require_shared
    require_py pandas
    # captures years apart: only the non-empty windows
    aggregates "$NFCSV/pmacct-swisscom-routers.nfdump.csv" --no-fill >"$TMP/agg"
    golden_interval "$TMP/agg" 192.0.2.0/24,2001:db8::/32
}

