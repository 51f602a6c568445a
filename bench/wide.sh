#!/usr/bin/env bash
# Wide input for the whole-series stages (issue 13, points 4 and 5): two
# lines of 2,000,000 distinct keys each read by lib/table.c (its key names
# hashed; a linear search took 5 s for 40,000 keys, 4x per doubling), and
# nf-pca on 50 rows x 20,000 columns (the n x n Gram route; the p x p route
# took about a day). Whole process, best of $runs runs: wall and CPU s.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
tmp=${BENCH_TMP:-$top/build/bench}/wide
mkdir -p "$tmp"
runs=3

awk 'BEGIN { for (r = 0; r < 2; r++) {
    printf "{\"WINDOW_START\":%d", r * 300000
    for (i = 0; i < 2000000; i++) printf ",\"k%d\":%d", i, (i + r) % 7
    print "}" } }' > "$tmp/keys.ndjson"
. "$top/nf-pca/tests/pca_helpers.bash"
make_wide 50 20000 "$tmp/w.ndjson"

# best WALL CPU over $runs runs of the command line
best() {
    local bw="" bc="" i w u sy c TIMEFORMAT='%R %U %S'
    for i in $(seq $runs); do
        read -r w u sy < <({ time "$@" >/dev/null 2>&1; } 2>&1)
        c=$(echo "$u + $sy" | bc)
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc)" = 1 ]; then bw=$w; bc=$c; fi
    done
    echo "$bw $bc"
}

read -r w c < <(best "$bin/nf-pca" "$tmp/keys.ndjson")
printf 'nf-pca, 2 rows x 2,000,000 keys (%s MB):   wall %s s, cpu %s s\n' \
    "$(( $(stat -c %s "$tmp/keys.ndjson") / 1000000 ))" "$w" "$c"
read -r w c < <(best "$bin/nf-pca" "$tmp/w.ndjson")
printf 'nf-pca, 50 rows x 20,000 columns:          wall %s s, cpu %s s\n' "$w" "$c"
