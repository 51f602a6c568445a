# bench/lib.sh - shared by the bench scripts (source it).

# bench_generated_csv FLOWS CACHE_DIR: prints the path of >= FLOWS generated
# flows over 7 days (bench/generate-flows: the shipped real flows replayed
# with a daily cycle and three injected shifts), as nfdump CSV, generating
# it on first use (~3.4 GB for 10 million flows; kept for later runs).
bench_generated_csv() {
    local want=$1 cache=$2 days=7 top rate_s key csv start
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    rate_s=$(awk -v n="$want" -v d="$days" 'BEGIN { printf "%.4f", n / (d * 86400) / 1.02 }')
    local gen_args=(--days "$days" --rate "$rate_s" --seed 42 --shift +2d12h:new-udp-service:0.3
                    --shift +4d:egress-step:1 --shift +5d6h:scan:3000)
    key=$(echo "${gen_args[*]}" | cksum | cut -d' ' -f1)
    csv="$cache/generated-$key.csv"
    if [ ! -s "$csv" ]; then
        echo "# generating flows: bench/generate-flows ${gen_args[*]}" >&2
        start=$(date +%s)
        python3 "$top/bench/generate-flows" "${gen_args[@]}" --truth "$cache/generated-$key.truth" -o "$csv.part"
        mv "$csv.part" "$csv"
        echo "# generated in $(($(date +%s) - start)) s" >&2
    fi
    printf '%s\n' "$csv"
}
