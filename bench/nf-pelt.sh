#!/usr/bin/env bash
# nf-pelt on 10^4, 10^5 and 10^6 points (a few mean shifts in Gaussian
# noise), whole process (reading NDJSON, segmenting, writing), best of 5
# runs: wall and CPU seconds, points/s and the growth ratio from one size
# to the next (10 = linear). R changepoint is not in Debian, so the
# reference is brute-force Optimal Partitioning (nf-pelt --method op, the
# same answer by construction) on 10^3 and 10^4 points, in the same run:
# ratio = OP time / PELT time. Also shows the pruning variants on 10^5.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
tmp=${BENCH_TMP:-$top/build/bench}/nf-pelt
mkdir -p "$tmp"
runs=5 # the shared host's speed swings by a fifth between runs; the least time is the program's

# n points at 5-minute steps; the mean changes 5 times at random places.
gen() {
    awk -v n="$1" 'BEGIN { srand(7); m = 0; k = 0
        for (j = 0; j < 5; j++) at[j] = int(n * (j + 1) / 6 + n / 20 * (rand() - 0.5))
        for (i = 0; i < n; i++) {
            if (k < 5 && i == at[k]) { m = 4 * (rand() - 0.5); k++ }
            u = rand(); v = rand(); if (u < 1e-12) u = 1e-12
            z = sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
            printf "{\"WINDOW_START\":%.0f,\"x\":%.6f}\n", 1.7e12 + i * 300000, m + z } }'
}

# best WALL CPU over $runs runs
best() {
    local bw="" bc="" i w u sy c TIMEFORMAT='%R %U %S'
    for i in $(seq $runs); do
        { time "$@" >"$tmp/out" 2>"$tmp/err"; } 2>"$tmp/time" || { cat "$tmp/err" >&2; echo "fail fail"; return; }
        read -r w u sy <"$tmp/time"
        c=$(echo "$u + $sy" | bc -l)
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
        if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
    done
    echo "$bw $bc"
}

for n in 1000 10000 100000 1000000; do
    [ -s "$tmp/in$n.ndjson" ] || gen $n >"$tmp/in$n.ndjson"
done

echo "PELT (default: MBIC, --sigma ar1, exact pruning), whole process:"
printf '%-9s %9s %9s %12s %8s %7s\n' points wall_s cpu_s points/s growth cpts
prev=""
for n in 10000 100000 1000000; do
    read -r w c < <(best "$bin/nf-pelt" "$tmp/in$n.ndjson")
    cp=$(wc -l <"$tmp/out")
    g="-"
    [ -n "$prev" ] && g=$(echo "scale=1; $c / $prev" | bc -l)
    printf '%-9s %9s %9s %12.0f %8s %7s\n' $n "$w" "$c" "$(echo "$n / ($c + 0.001)" | bc -l)" "$g" "$cp"
    prev=$c
done

echo
echo "Reading alone (a penalty so large that nothing is cut), 10^6 points:"
read -r w c < <(best "$bin/nf-pelt" --sigma 1 -p 1e300 "$tmp/in1000000.ndjson")
echo "  wall $w s, cpu $c s"

echo
runs=1
echo "Brute-force Optimal Partitioning (reference) against PELT, same answer checked:"
printf '%-9s %9s %9s %9s %6s\n' points op_cpu_s pelt_cpu_s ratio same
for n in 1000 10000; do
    read -r _ co < <(best "$bin/nf-pelt" --method op "$tmp/in$n.ndjson")
    cp "$tmp/out" "$tmp/op.out"
    read -r _ cpl < <(best "$bin/nf-pelt" "$tmp/in$n.ndjson")
    same=no; cmp -s "$tmp/out" "$tmp/op.out" && same=yes
    printf '%-9s %9s %9s %9.1f %6s\n' $n "$co" "$cpl" "$(echo "$co / ($cpl + 0.001)" | bc -l)" $same
done

echo
echo "Pruning variants on 10^5 points, one run each (--verbose counts segment costs evaluated per row):"
for p in exact pelt r; do
    for pen in MBIC 34.5; do
        read -r w c < <(best "$bin/nf-pelt" --verbose --pruning $p -p $pen "$tmp/in100000.ndjson")
        per=$(sed -n 's/.*(\([0-9.]*\) per row).*/\1/p' "$tmp/err")
        printf '  --pruning %-5s --penalty %-5s cpu %6s s, %8s costs/row, %s change points\n' $p $pen "$c" "$per" "$(wc -l <"$tmp/out")"
    done
done
