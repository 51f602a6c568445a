#!/usr/bin/env bats
# Every committed fuzz corpus replayed through its harness without
# libFuzzer (lib/fuzz/replay.c, one child process per input), in the build
# under test: plain, ASan/UBSan (build/san), and valgrind (tests/run-valgrind
# wraps the replay programs too). An input may be refused (exit 1 or 2);
# a crash, a sanitizer or valgrind report, or a leak fails the test.

load helpers

replay() { # harness corpus-dir
    local prog="$NF_BIN/../fuzz/replay-$1"
    [ -x "$prog" ] || skip "replay-$1 not built (make test builds it)"
    run timeout 300 "$prog" "$NF_TOP/$2"
    echo "$output" | tail -n 5
    [ "$status" -eq 0 ]
    [[ "$output" == *"replayed "*" inputs ("*" refused, 0 failed)"* ]]
    # the corpus was not empty
    [[ "$output" != *"replayed 0 inputs"* ]]
}

@test "fuzz replay: the datagram decoder corpus (nf-parse/fuzz/corpus)" {
    replay decode nf-parse/fuzz/corpus
}

@test "fuzz replay: the nfdump CSV reader corpus" {
    replay nfdump nf-parse/fuzz/corpus-nfdump
}

@test "fuzz replay: the Argus CSV reader corpus" {
    replay argus nf-parse/fuzz/corpus-argus
}

@test "fuzz replay: the series CSV reader corpus" {
    replay series nf-parse/fuzz/corpus-series
}

@test "fuzz replay: the NDJSON record reader and flow validator corpus" {
    replay rec lib/fuzz/corpus-rec
}

@test "fuzz replay: the table reader corpus" {
    replay table lib/fuzz/corpus-table
}
