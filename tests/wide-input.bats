#!/usr/bin/env bats
# Wide input for the whole-series stages (issue 13, points 4 and 5): one
# line with very many keys is read in linear time (lib/table.c hashes the
# key names), and nf-pca with more columns than rows takes the n x n route.
# Reproducers from ../shared/reliability; generated inputs beside them.

load helpers

RELIABILITY=${NFSHIFT_RELIABILITY:-$NF_TOP/../shared/reliability}

require_reliability() {
    [ -d "$RELIABILITY" ] || skip "needs ../shared/reliability (not present in this checkout)"
}

# Bounds that catch the old growth, not a slow machine: each is ten times or
# more what the input takes here on a loaded host, and the inputs are large
# enough that quadratic (keys) or cubic (columns) cost would take far longer
# (400 k keys: about 500 s by the old 4x-per-doubling; 20,000 columns: days).
# The sanitizer build is several times slower.
limit() {
    if [ "${NF_SAN:-0}" = 1 ]; then echo "$(($1 * 4))"; else echo "$1"; fi
}

@test "table: one line of 40,000 keys ends within seconds in every table stage" {
    require_reliability
    local f=$RELIABILITY/quadratic-keys40000.ndjson tool
    for tool in nf-pca nf-pelt "nf-decompose --period none" nf-explain; do
        run timeout "$(limit 30)" $tool "$f"
        [ "$status" -le 2 ] || { echo "$tool: status $status"; return 1; }
    done
}

@test "table: 400,000 keys a line, three lines, end within a minute in every table stage" {
    local tool
    python3 -c '
import sys
n = 400000
for r in range(3):
    sys.stdout.write("{\"WINDOW_START\":%d," % (r * 300000) + ",".join("\"k%d\":%d" % (i, (i + r) % 5) for i in range(n)) + "}\n")
' >"$BATS_TEST_TMPDIR/w400k.ndjson"
    for tool in nf-pca nf-pelt "nf-decompose --period none" nf-explain; do
        run timeout "$(limit 60)" $tool "$BATS_TEST_TMPDIR/w400k.ndjson"
        [ "$status" -le 2 ] || { echo "$tool: status $status"; return 1; }
    done
}

@test "table: a line of 2 M distinct keys is read in seconds, columns in order of first appearance" {
    python3 -c '
import sys
n = 2000000
sys.stdout.write("{\"WINDOW_START\":0," + ",".join("\"k%d\":%d" % (i, i % 5) for i in range(n)) + "}\n")
sys.stdout.write("{\"WINDOW_START\":300000," + ",".join("\"k%d\":%d" % (i, i % 3) for i in reversed(range(n))) + "}\n")
' >"$BATS_TEST_TMPDIR/wide.ndjson"
    run timeout "$(limit 120)" nf-pelt --annotate --penalty 0 "$BATS_TEST_TMPDIR/wide.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 2 ]
    # the second row's keys came in reverse order; columns keep the first row's
    printf '%s\n' "$output" | tail -n 1 | grep -q '^{"WINDOW_START":300000,"k0":0,"k1":1,"k2":2,"k3":0,'
    printf '%s\n' "$output" | tail -n 1 | grep -q '"k1999999":1,"k0_segment":0,'
}

@test "nf-pca: 50 rows x 2,000 columns (the reproducer, 15 s before) end within seconds" {
    require_reliability
    run timeout "$(limit 10)" nf-pca "$RELIABILITY/pca-wide-50x2000.ndjson"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 50 ]
}

@test "nf-pca: 50 rows x 20,000 columns (a day before) end within seconds, with at most 49 components" {
    load ../nf-pca/tests/pca_helpers
    make_wide 50 20000 "$BATS_TEST_TMPDIR/w.ndjson"
    run timeout "$(limit 120)" nf-pca --variance 1 --save-model "$BATS_TEST_TMPDIR/m.json" "$BATS_TEST_TMPDIR/w.ndjson"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | grep -c '"spe_flag"')" -eq 50 ]
    # 50 centred rows have rank 49 at most: pc49 may exist, pc50 never
    [[ "$output" != *'"pc50"'* ]]
    [[ "$output" == *'"label":"wide","pc1":'* ]]
}
