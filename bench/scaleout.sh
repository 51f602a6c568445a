#!/usr/bin/env bash
# Sharded front on this machine: `nf-parse | nf-window | nf-features` as one
# process chain against GNU parallel over input shards merged by
# `nf-window --merge | nf-features` (docs/scale-out.md). Input: the 10
# million generated flows of bench/nf-features.sh (7 days; bench/lib.sh),
# cut by lines into 4 shard files (each with the CSV header), as flows
# arrive from 4 collectors; `parallel --keep-order` hands them to the merge in
# time order, so it streams. Prints wall time, flows/s, the speed-up and
# the peak memory of every stage, and checks the outputs are
# byte-identical. Usage: bench/scaleout.sh [FLOWS] (default 10000000).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BENCH_TMP:-/tmp}
tmp=$cache/scaleout
mkdir -p "$tmp"
if ! command -v parallel >/dev/null; then
    echo "GNU parallel not installed (apt-get install parallel): skipped"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    echo "GNU time not installed (apt-get install time): skipped"
    exit 0
fi
. "$top/bench/lib.sh"
csv=$(bench_generated_csv "${1:-10000000}" "$cache")
if [ ! -s "$tmp/shard4.csv" ] || [ "$(cat "$tmp/source" 2>/dev/null)" != "$csv" ]; then
    rows=$(($(wc -l <"$csv") - 1))
    per=$(((rows + 3) / 4))
    head -n 1 "$csv" >"$tmp/header"
    tail -n +2 "$csv" | split -l "$per" -d -a 1 - "$tmp/part"
    for s in 0 1 2 3; do
        cat "$tmp/header" "$tmp/part$s" >"$tmp/shard$((s + 1)).csv"
        rm -f "$tmp/part$s"
    done
    echo "$csv" >"$tmp/source"
fi
flows=$(($(wc -l <"$csv") - 1))

features="nf-features --internal 10.8.0.0/16,2001:db8::/32"
now() { date +%s.%N; }
mem() { /usr/bin/time -f %M -o "$tmp/mem.$1" "${@:2}"; }   # peak RSS (KiB) of one process
export -f mem
export tmp
export PARALLEL_SHELL=bash   # the shards' commands use the exported function

t0=$(now)
mem parse nf-parse "$tmp"/shard?.csv | mem window nf-window | mem features $features >"$tmp/single.ndjson"
t1=$(now)
parallel --keep-order -j "$(nproc)" 'mem parse{#} nf-parse {} | mem window{#} nf-window' ::: "$tmp"/shard?.csv \
    | mem merge nf-window --merge | mem features_sharded $features >"$tmp/sharded.ndjson"
t2=$(now)
cmp -s "$tmp/single.ndjson" "$tmp/sharded.ndjson" && same=yes || same=NO
maxmem() { cat "$@" | sort -n | tail -n 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$flows" -v same="$same" -v cores="$(nproc)" 'BEGIN {
    printf "flows: %d in 4 shards, %d cores\n", n, cores
    printf "one chain  nf-parse | nf-window | nf-features:                    %7.2f s  %9.0f flows/s\n", b - a, n / (b - a)
    printf "sharded    parallel (nf-parse | nf-window) | merge | nf-features:  %7.2f s  %9.0f flows/s\n", c - b, n / (c - b)
    printf "speed-up: %.2fx; outputs byte-identical: %s\n", (b - a) / (c - b), same
}'
echo "peak RSS per process (KiB): one chain: nf-parse $(cat "$tmp/mem.parse"), nf-window $(cat "$tmp/mem.window"), nf-features $(cat "$tmp/mem.features")"
echo "  sharded: nf-parse $(maxmem "$tmp"/mem.parse?) (largest of 4), nf-window $(maxmem "$tmp"/mem.window?) (largest of 4), nf-window --merge $(cat "$tmp/mem.merge"), nf-features $(cat "$tmp/mem.features_sharded")"
rm -f "$tmp/single.ndjson" "$tmp/sharded.ndjson" "$tmp"/mem.*
