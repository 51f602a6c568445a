# Shared set-up of the golden feature tests: the C tool against the pandas
# reference (tests/golden/features_ref.py), on aggregates from the real
# pipeline when it is built.

GOLD="$NF_TOP/tests/golden"

setup() {
    TMP=$(mktemp -d)
    NFCSV="$SHARED/nfdump-csv"
}

teardown() {
    rm -rf "$TMP"
}

# golden_interval AGGREGATES INTERNAL: C tool and reference agree on every feature
golden_interval() {
    nf-features --internal "$2" "$1" >"$TMP/got"
    /usr/bin/python3 "$GOLD/features_ref.py" --internal "$2" "$1" >"$TMP/want"
    run python3 "$GOLD/compare.py" "$TMP/got" "$TMP/want"
    echo "$output"
    [ "$status" -eq 0 ]
    # not vacuous: the windows carry traffic in both directions
    [ "$(jq -s 'map(.in_n) | add' "$TMP/got")" -gt 0 ]
    [ "$(jq -s 'map(.out_n) | add' "$TMP/got")" -gt 0 ]
}

golden_perflow() {
    nf-features --per-flow "$1" >"$TMP/got"
    /usr/bin/python3 "$GOLD/features_ref.py" --per-flow "$1" >"$TMP/want"
    run python3 "$GOLD/compare.py" "$TMP/got" "$TMP/want"
    echo "$output"
    [ "$status" -eq 0 ]
}

have_pipeline() {
    [ -x "$NF_BIN/nf-parse" ] && [ -x "$NF_BIN/nf-window" ]
}

# aggregates FILE [nf-window options]: nf-window output for a flow file,
# from the real pipeline when built. The CSV is put in time order first
# (the pmacct captures are not), keeping the header; flows without a
# time (nfdump prints 1970) are left out as the stand-in does.
aggregates() {
    local f=$1
    shift
    if have_pipeline; then
        { head -1 "$f"; tail -n +2 "$f" | grep -E '^[0-9]{4}[-/]' | grep -v '^1970' | sort; } >"$TMP/sorted"
        nf-parse "$TMP/sorted" | nf-window "$@"
    else
        python3 "$GOLD/flows_ref.py" agg "$f"
    fi
}
