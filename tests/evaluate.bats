#!/usr/bin/env bats
# make evaluate on small data: the scoring runs end to end and the pipeline
# finds the injected new UDP service within ±2 windows (docs/method.md).

load helpers

@test "evaluate --quick: table of recall/precision/delay and the NAB windows, shift found" {
    EVAL_OUT="$BATS_TEST_TMPDIR/eval.md" run "$NF_TOP/scripts/evaluate" --quick
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"| scenario | method | recall | precision | mean delay (windows) | detections |"* ]]
    [[ "$output" == *"| series | method | windows with a detection |"* ]]
    # the pipeline's method finds both injected UDP services
    echo "$output" | grep -E '^\| new UDP service, 30 % of flows \| adjusted \| 100 % \|'
    echo "$output" | grep -E '^\| new UDP service, 10 % of flows \| adjusted \| 100 % \|'
    # and every NAB series is scored by every method
    [ "$(echo "$output" | grep -c '^| ec2_network_in_\|^| iio_')" -eq 12 ]
    [ -s "$BATS_TEST_TMPDIR/eval.md" ]
}
