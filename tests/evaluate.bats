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
    # the per-category table: the eight categories of the feature list, each with its numbers
    [[ "$output" == *"## What each feature category detects"* ]]
    for c in volume protocols subnets TCP UDP Other per-record symmetry; do
        echo "$output" | grep -Eq "^\| $c \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ % \|" ||
            { echo "no category row for $c"; return 1; }
    done
    # the best single features: one row per kind of shift, named features for the kinds of the two weeks
    [ "$(echo "$output" | grep -Ec '^\| (new-udp-service|egress-step|proto-mix|new-ext-subnets|ingress-size|subnet-silent) \| (`|–)')" -eq 6 ]
    [ "$(echo "$output" | grep -Ec '^\| (new-udp-service|egress-step|proto-mix|new-ext-subnets|ingress-size|subnet-silent) \| `[A-Za-z_]+` [0-9.]+ \(')" -ge 2 ]
    [ -s "$BATS_TEST_TMPDIR/eval.md" ]
}
