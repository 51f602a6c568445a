#!/usr/bin/env bash
# nf-pca against scikit-learn on a 100,000 x 116 matrix (bench/nf-pca-gen.py:
# a few latent factors with daily/weekly cycles, a random walk and bursts,
# plus noise; 60 integer count columns and 56 full-precision shares).
# Whole-process wall time, best of $runs alternating runs each:
#   nf-pca        reads the NDJSON, z-scores (n-1), PCA keeping 95% of the
#                 variance, writes time key, pc1..pcK, spe, t2, limits, flags
#   scikit-learn  (/usr/bin/python3) reads the same numbers as CSV with
#                 pandas' C parser (its fastest reader, faster than any JSON
#                 reading in Python), StandardScaler + PCA(0.95, full SVD) +
#                 transform, writes time key and scores as CSV (%.17g)
# Prints seconds, rows/s and the ratio (> 1: nf-pca is faster), and checks
# that both kept the same number of components.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
tmp=${BENCH_TMP:-$top/build/bench}/nf-pca
mkdir -p "$tmp"
rows=${NF_BENCH_ROWS:-100000}
runs=${NF_BENCH_RUNS:-2}

if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "skipped: the generator needs /usr/bin/python3 with numpy"
    exit 0
fi
/usr/bin/python3 "$top/bench/nf-pca-gen.py" "$rows" "$tmp/in.ndjson" "$tmp/in.csv"

cat >"$tmp/sk.py" <<'PEOF'
import sys
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
d = pd.read_csv(sys.argv[1])
x = d.drop(columns=["WINDOW_START"]).to_numpy()
pca = PCA(n_components=0.95, svd_solver="full")
s = pca.fit_transform(StandardScaler().fit_transform(x))
np.savetxt(sys.argv[2], np.column_stack([d["WINDOW_START"].to_numpy(), s]), fmt="%.17g", delimiter=",")
print(pca.n_components_, file=sys.stderr)
PEOF

# One timed run of a command; keeps the best wall SECONDS in $tmp/wall.NAME
# and the CPU seconds (user + system, all threads) of that run in
# $tmp/cpu.NAME. The runs of nf-pca and scikit-learn alternate, so that a
# change in the load of a shared machine hits both alike; wall time is the
# target, CPU time the context.
timed() { # NAME command...
    local name=$1 t0 t1 t
    shift
    t0=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err.$name"
    else
        echo "- -" >"$tmp/time"
        "$@" >/dev/null 2>"$tmp/err.$name"
    fi || { cat "$tmp/err.$name" >&2; echo fail >"$tmp/wall.$name"; return; }
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ ! -s "$tmp/wall.$name" ] || [ "$(echo "$t < $(cat "$tmp/wall.$name")" | bc -l)" = 1 ]; then
        printf '%.3f' "$t" >"$tmp/wall.$name"
        awk '{ if ($1 == "-") print "-"; else printf "%.2f", $1 + $2 }' "$tmp/time" >"$tmp/cpu.$name"
    fi
}

have_sk=0
/usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null && have_sk=1
rm -f "$tmp"/wall.* "$tmp"/cpu.*
for i in $(seq "$runs"); do
    timed ours sh -c "'$bin/nf-pca' --save-model '$tmp/model.json' '$tmp/in.ndjson' >'$tmp/ours.ndjson'"
    [ $have_sk = 1 ] && timed sk /usr/bin/python3 "$tmp/sk.py" "$tmp/in.csv" "$tmp/sk.csv"
done
ours=$(cat "$tmp/wall.ours")
k_ours=$(grep -o '"components":[0-9]*' "$tmp/model.json" | cut -d: -f2)
sk=fail; k_sk=-
if [ $have_sk = 1 ]; then
    sk=$(cat "$tmp/wall.sk")
    [ "$sk" = fail ] || k_sk=$(tail -1 "$tmp/err.sk")
    rm -f "$tmp/sk.csv"
fi

echo "matrix: $rows rows x 116 columns ($(du -m "$tmp/in.ndjson" | cut -f1) MB NDJSON, $(du -m "$tmp/in.csv" | cut -f1) MB CSV), best of $runs runs, whole process"
printf '%-34s %8s %10s %12s %8s %s\n' program seconds rows/s "vs sklearn" "CPU s" components
rate() { [ "$1" = fail ] && echo - || echo "$rows / $1" | bc; }
ratio() { [ "$1" = fail ] || [ "$sk" = fail ] && echo - || printf '%.2fx' "$(echo "$sk / $1" | bc -l)"; }
cpu() { cat "$tmp/cpu.$1" 2>/dev/null || echo -; }
printf '%-34s %8s %10s %12s %8s %s\n' "nf-pca (NDJSON)" "$ours" "$(rate "$ours")" "$(ratio "$ours")" "$(cpu ours)" "$k_ours"
printf '%-34s %8s %10s %12s %8s %s\n' "scikit-learn (CSV via pandas)" "$sk" "$(rate "$sk")" "1.00x" "$(cpu sk)" "$k_sk"
echo "(ratio > 1: nf-pca is faster; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
rm -f "$tmp/in.ndjson" "$tmp/in.csv" "$tmp/ours.ndjson"
if [ "$sk" != fail ] && [ "$k_ours" != "$k_sk" ]; then
    echo "MISMATCH: nf-pca kept $k_ours components, scikit-learn $k_sk"
    exit 1
fi
