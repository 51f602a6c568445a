#!/usr/bin/env bash
# bench/pipeline.sh - the whole change-point path on a generated week:
# nfshift detect with its default features (the 116 and the five flow
# medians: nf-window --with-flows | nf-features --flow-medians) against
# the same with --no-flow-medians (the study's 116 alone, the default
# until 2026-12-03), in the same session on the same flows. Issue 16's
# target: the whole pipeline on a generated week within 2x of before.
#
# Usage: bench/pipeline.sh [FLOWS]   (default 302400: 0.5 flows/s over a week,
# make evaluate's rate)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
want=${1:-302400}
cache=${BENCH_TMP:-${TMPDIR:-/tmp}}
tmp=$(mktemp -d "$cache/pipeline-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -x /usr/bin/time ] || { echo "pipeline bench: skipped, needs GNU time (/usr/bin/time)"; exit 0; }
[ -x "$bin/nfshift" ] || { echo "pipeline bench: nfshift not built; skipped"; exit 0; }

. "$top/bench/lib.sh"
csv=$(bench_generated_csv "$want" "$cache")
nflows=$(($(wc -l <"$csv") - 1))
echo "# $nflows flows over 7 days ($csv)"

# run NAME OPTIONS...: wall and CPU seconds of nfshift detect (every stage, reports included)
run() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$tmp/time.$name" \
        "$bin/nfshift" detect --quiet --internal 10.8.0.0/16 "$@" --output-dir "$tmp/$name" "$csv" 2>"$tmp/err.$name" ||
        { echo "pipeline bench: nfshift detect $* failed:"; cat "$tmp/err.$name"; exit 1; }
    read -r wall user sys <"$tmp/time.$name"
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v f="$nflows" \
        -v e="$(grep -c '' "$tmp/$name/events.ndjson")" \
        'BEGIN { printf "%-18s %7.2f s wall %7.2f s CPU %9.0f flows/s  %d events\n", n, w, u + s, f / w, e }'
}

printf "%-18s %s\n" "detect" "(each run twice, the second counted: the first warms the page cache)"
for r in 1 2; do
    run "116-features" --no-flow-medians >"$tmp/out.116.$r"
    run "flow-medians" >"$tmp/out.med.$r"
done
cat "$tmp/out.116.2" "$tmp/out.med.2"
w116=$(awk '{print $2}' "$tmp/out.116.2")
wmed=$(awk '{print $2}' "$tmp/out.med.2")
awk -v a="$wmed" -v b="$w116" 'BEGIN { r = a / b;
    printf "# with the flow medians: %.2fx the wall time of the 116 features alone; issue 16 target (within 2x): %s\n",
        r, (r <= 2 ? "met" : "NOT met") }'
