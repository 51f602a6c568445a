#!/usr/bin/env bash
# Sharded front on this machine: `nf-parse | nf-window` as one process chain
# against GNU parallel over input shards merged by `nf-window --merge`
# (docs/scale-out.md). Input: the shipped CTU nfdump CSV (4,593 real flows)
# copied into 4 shard files of ~500,000 flows each (~2 million in all).
# Prints wall time, flows/s and the speed-up, and checks the outputs are
# byte-identical.
set -eu
tmp=${BENCH_TMP:-/tmp}/scaleout
mkdir -p "$tmp"
src="$NF_TOP/data/ctu-test1-malicious.nfdump.csv"
copies=${SCALEOUT_COPIES:-109}   # per shard; 109 x 4,593 = 500,637 flows
for s in 1 2 3 4; do
    [ -s "$tmp/shard$s.csv" ] || for i in $(seq "$copies"); do cat "$src"; done >"$tmp/shard$s.csv"
done
flows=$((4 * copies * 4593))
if ! command -v parallel >/dev/null; then
    echo "GNU parallel not installed (apt-get install parallel): skipped"
    exit 0
fi
now() { date +%s.%N; }
t0=$(now)
nf-parse "$tmp"/shard?.csv | nf-window >"$tmp/single.ndjson"
t1=$(now)
parallel -j "$(nproc)" 'nf-parse {} | nf-window' ::: "$tmp"/shard?.csv | nf-window --merge >"$tmp/sharded.ndjson"
t2=$(now)
cmp -s "$tmp/single.ndjson" "$tmp/sharded.ndjson" && same=yes || same=NO
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$flows" -v same="$same" -v cores="$(nproc)" 'BEGIN {
    printf "flows: %d in 4 shards, %d cores\n", n, cores
    printf "one chain  nf-parse | nf-window:                    %6.2f s  %9.0f flows/s\n", b - a, n / (b - a)
    printf "sharded    parallel (nf-parse | nf-window) | merge:  %6.2f s  %9.0f flows/s\n", c - b, n / (c - b)
    printf "speed-up: %.2fx; outputs byte-identical: %s\n", (b - a) / (c - b), same
}'
rm -f "$tmp/single.ndjson" "$tmp/sharded.ndjson"
