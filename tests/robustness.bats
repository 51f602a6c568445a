#!/usr/bin/env bats
# No crash, hang or sanitizer report on hostile input: every tool, in its
# main modes, on every file tests/nasty-inputs.py writes, ends with status
# 0 (nothing usable, or handled), 1 (bad data, reported) or 2 (usage), and
# says why on stderr when it is not 0. Under `make check` this runs in the
# ASan/UBSan build too, which aborts (status 134 or other) on any memory or
# undefined-behaviour error.

load helpers

setup_file() {
    export NASTY="$BATS_FILE_TMPDIR/nasty"
    python3 "$NF_TOP/tests/nasty-inputs.py" "$NASTY"
}

# Runs each command line of stdin on every nasty file; prints the failures.
survive_all() {
    local f cmd rc bad=0
    while IFS= read -r cmd; do
        for f in "$NASTY"/*; do
            rc=0
            timeout 120 $cmd "$f" >/dev/null 2>"$BATS_TEST_TMPDIR/err" || rc=$?
            if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$BATS_TEST_TMPDIR/err"; then
                echo "status $rc: $cmd $(basename "$f")"
                head -n 5 "$BATS_TEST_TMPDIR/err"
                bad=1
            elif [ $rc -ne 0 ] && [ ! -s "$BATS_TEST_TMPDIR/err" ]; then
                echo "status $rc without a message: $cmd $(basename "$f")"
                bad=1
            fi
        done
    done
    return $bad
}

@test "robustness: nf-parse in every input format survives hostile input" {
    survive_all <<'CMDS'
nf-parse
nf-parse --format nfdump
nf-parse --format argus
nf-parse --format series
nf-parse --format ndjson
nf-parse --format ipfix
nf-parse --format datagram
nf-parse --format pcap
CMDS
}

@test "robustness: nf-window (aggregate, --split, --flows, --with-flows, --merge) survives hostile input" {
    survive_all <<'CMDS'
nf-window
nf-window --split --lateness 600
nf-window --flows
nf-window --with-flows --uniflow
nf-window --merge
CMDS
}

@test "robustness: nf-features (interval, flow medians, per-flow) survives hostile input" {
    survive_all <<'CMDS'
nf-features --internal 10.0.0.0/8
nf-features --internal 10.0.0.0/8,::/0 --flow-medians --median-pool 3
nf-features --per-flow
CMDS
}

@test "robustness: nf-pca and nf-decompose survive hostile input" {
    survive_all <<'CMDS'
nf-pca
nf-pca --components 1 --no-scale
nf-decompose --period 288
nf-decompose --period none
nf-decompose --period 2 --robust --na interpolate
CMDS
}

@test "robustness: nf-pelt (every cost, joint, CROPS) survives hostile input" {
    survive_all <<'CMDS'
nf-pelt
nf-pelt --cost meanvar
nf-pelt --cost poisson
nf-pelt --joint --min-seg-len 3
nf-pelt --joint --sparse --events --lasting 5 --min-score 1 --median-score --period-test 4
nf-pelt --crops 1,100
CMDS
}

@test "robustness: nf-explain (change points, flagged rows) survives hostile input" {
    survive_all <<'CMDS'
nf-explain --features /dev/null
nf-explain --flagged --top 3
CMDS
}
