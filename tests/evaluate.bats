#!/usr/bin/env bats
# make evaluate on small data (scripts/evaluate --quick: two generated
# weeks, NAB, TCPD dev): the tables come out and the pipeline's events
# find the lasting shifts of the first week (docs/method.md).

load helpers

@test "evaluate --quick: generated weeks, categories, NAB and TCPD tables; no event at the short distractors" {
    EVAL_OUT="$BATS_TEST_TMPDIR/eval.md" run "$NF_TOP/scripts/evaluate" --quick
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"| method | recall | precision | mean \\|delay\\| | events | false |"* ]]
    [[ "$output" == *"| series | days | detections | windows hit |"* ]]
    # the pipeline: recall of at least one of the four lasting shifts, no event at a distractor
    line=$(echo "$output" | grep -E '^\| pipeline \|')
    [ "$(echo "$line" | awk -F'|' '{print $8 + 0}')" -eq 0 ]
    [ "$(echo "$line" | awk -F'|' '{gsub(/[ %]/, "", $3); print $3 + 0}')" -ge 50 ]
    # the per-category table: the eight categories of the feature list and the flow medians, each with its numbers
    [[ "$output" == *"## What each feature category detects"* ]]
    for c in volume protocols subnets TCP UDP Other per-record symmetry "flow medians"; do
        echo "$output" | grep -Eq "^\| $c \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ % \|" ||
            { echo "no category row for $c"; return 1; }
    done
    # the best single features: one row per kind of shift, named features for the kinds of the two weeks
    [ "$(echo "$output" | grep -Ec '^\| (new-udp-service|egress-step|proto-mix|new-ext-subnets|ingress-size|subnet-silent) \| (`|–)')" -eq 6 ]
    [ "$(echo "$output" | grep -Ec '^\| (new-udp-service|egress-step|proto-mix|new-ext-subnets|ingress-size|subnet-silent) \| `[A-Za-z_]+` [0-9.]+ \(')" -ge 2 ]
    [ -s "$BATS_TEST_TMPDIR/eval.md" ]
}

@test "evaluate --only nab: issue 16's NAB targets with the pipeline's own nf-pelt options" {
    require_shared
    [ -d "$SHARED/nab-dev" ] || skip "needs ../shared/data/nab-dev"
    EVAL_OUT="$BATS_TEST_TMPDIR/nab.md" run "$NF_TOP/scripts/evaluate" --only nab
    echo "$output"
    [ "$status" -eq 0 ]
    # the pipeline's options, not a NAB set of its own
    [[ "$output" == *"nf-pelt --sigma auto --joint --events --sparse --lasting 288 --min-seg-len 12 --min-score 1.5 --median-score --period-test 1d --columns value_adjusted"* ]]
    # no detection at all on the three artificial series without an anomaly
    [ "$(echo "$output" | grep -c 'no detection: met')" -eq 3 ]
    # the jump of art_daily_jumpsup (2014-04-11 09:00-18:00): start and end within +-2 windows
    echo "$output" | grep -E '^\| art_daily_jumpsup \|' | grep -q 'start found, end found'
    # the drifting nightly spike of ec2_cpu_utilization_24ae8d is no shift
    [ "$(echo "$output" | grep -E '^\| ec2_cpu_utilization_24ae8d \|' | awk -F'|' '{print ($6 <= 0.1)}')" -eq 1 ]
    # real series together: at most 0.1 false detections a day outside the labelled windows
    [ "$(echo "$output" | grep -F '| **real series together** |' | awk -F'|' '{print ($4 <= 0.1)}')" -eq 1 ]
}
