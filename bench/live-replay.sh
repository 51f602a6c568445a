#!/usr/bin/env bash
# bench/live-replay.sh - the live path on loopback: at which rate do flows
# begin to be lost, from nf-replay to nf-parse --listen, and from nf-replay
# to nf-parse --listen | nf-window --with-flows | nf-features --flow-medians
# (the features of nfshift watch)?
#
# The flows: the generated week (bench/lib.sh, nfdump CSV), parsed once to
# NDJSON. For each rate of RATES, nf-replay sends the first STEP flows as
# IPFIX to 127.0.0.1 with --speed 0 --rate R; when it is done and the
# collector has drained (no new datagram for a second), the collector is
# stopped with SIGTERM and its --stats line gives the flows received and
# the records missing by IPFIX sequence numbers; the kernel's drop count
# (in datagrams) for the socket comes from /proc/net/udp. "sent/s" is the rate nf-replay
# reached (below the cap when the sender itself is the limit). A rate
# loses when received < sent.
#
# Usage: bench/live-replay.sh [STEP]   (default 1000000 flows per rate;
# RATES="25000 50000 ..." to choose the rates, 0 = as fast as possible)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${NF_BIN:-$top/build/bin}
step=${1:-1000000}
rates=${RATES:-"25000 50000 100000 150000 200000 300000 400000 0"}
internal=10.8.0.0/16,2001:db8::/32
cache=${BENCH_TMP:-${TMPDIR:-/tmp}}
tmp=$(mktemp -d "$cache/live-replay.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

for t in nf-parse nf-replay nf-window nf-features; do
    [ -x "$bin/$t" ] || { echo "live-replay bench: $t not built (make build/bin/$t); skipped"; exit 0; }
done

. "$top/bench/lib.sh"
csv=$(bench_generated_csv "$step" "$cache")
"$bin/nf-parse" "$csv" | head -n "$step" >"$tmp/flows.ndjson"
nflows=$(wc -l <"$tmp/flows.ndjson")
echo "# $nflows flows a rate (generated week, $csv), IPFIX over 127.0.0.1"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores, shared)"

# The kernel's drop count of the UDP socket bound to port $1 (hex in /proc/net/udp).
kernel_drops() {
    awk -v p="$(printf ':%04X' "$1")" 'NR > 1 && index($2, p) == length($2) - 4 { d += $NF } END { print d + 0 }' \
        /proc/net/udp /proc/net/udp6 2>/dev/null
}

# Starts the collector (CHAIN: parse, or features for the whole chain) on a
# free port; sets PORT, CPID (the nf-parse process) and SUB (the pipeline).
start_collector() {
    local chain=$1 try
    for try in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 30000))
        rm -f "$tmp/parse.pid"
        if [ "$chain" = parse ]; then
            sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/parse.pid" \
                "$bin/nf-parse" --stats --listen "127.0.0.1:$PORT" 2>"$tmp/parse.err" >/dev/null &
        else
            { sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/parse.pid" \
                "$bin/nf-parse" --stats --listen "127.0.0.1:$PORT" 2>"$tmp/parse.err" |
                "$bin/nf-window" --window 1m --with-flows |
                "$bin/nf-features" --internal "$internal" --flow-medians >"$tmp/features.ndjson"; } &
        fi
        SUB=$!
        pids+=("$SUB")
        for _ in $(seq 50); do
            if [ -s "$tmp/parse.pid" ] && grep -qi "$(printf ':%04X ' "$PORT")" /proc/net/udp 2>/dev/null; then
                CPID=$(cat "$tmp/parse.pid")
                pids+=("$CPID")
                return 0
            fi
            sleep 0.1
        done
        [ -s "$tmp/parse.pid" ] && kill "$(cat "$tmp/parse.pid")" 2>/dev/null
        wait "$SUB" 2>/dev/null || true
    done
    echo "live-replay bench: no free port" >&2
    exit 1
}

# Bytes waiting in the collector's socket (rx_queue of /proc/net/udp).
rx_queue() {
    local q
    q=$(awk -v p="$(printf ':%04X' "$PORT")" 'NR > 1 && index($2, p) { split($5, q, ":"); print q[2] }' /proc/net/udp)
    echo $((16#${q:-0}))
}

# Waits until the collector's socket has been empty for a second (at most 60 s).
wait_drained() {
    local empty=0
    for _ in $(seq 120); do
        if [ "$(rx_queue)" -eq 0 ]; then
            empty=$((empty + 1))
            [ "$empty" -ge 2 ] && return 0
        else
            empty=0
        fi
        sleep 0.5
    done
}

stat_of() { sed -n "s/.*\"$2\":\\([0-9.e+-]*\\).*/\\1/p" "$1" | head -n 1; }

# run_rate CHAIN RATE: one line of figures.
run_rate() {
    local chain=$1 rate=$2 sent got lost drops rps
    start_collector "$chain"
    "$bin/nf-replay" --stats --to "127.0.0.1:$PORT" --speed 0 --rate "$rate" "$tmp/flows.ndjson" 2>"$tmp/replay.err"
    wait_drained
    drops=$(kernel_drops "$PORT")
    kill -TERM "$CPID"
    wait "$SUB" 2>/dev/null || true # nf-window and nf-features finish their last windows
    sent=$(stat_of "$tmp/replay.err" flows)
    rps=$(stat_of "$tmp/replay.err" flows_per_second)
    got=$(grep '"stats":"netflow"' "$tmp/parse.err" | sed -n 's/.*"flows":\([0-9]*\),.*/\1/p')
    lost=$(grep '"stats":"netflow"' "$tmp/parse.err" | sed -n 's/.*"lost_records":\([0-9]*\),.*/\1/p')
    printf "%-18s %8s %10.0f %9d %9d %9d %9d %s\n" "$chain" "$([ "$rate" = 0 ] && echo max || echo "$rate")" \
        "$rps" "$sent" "${got:-0}" "$((sent - ${got:-0}))" "$drops" \
        "$([ "$chain" = parse ] || echo "($(wc -l <"$tmp/features.ndjson") feature rows)")"
    [ "$((sent - ${got:-0}))" -eq 0 ]
}

for chain in parse features; do
    echo
    [ "$chain" = parse ] && echo "## nf-replay -> nf-parse --listen >/dev/null" ||
        echo "## nf-replay -> nf-parse --listen | nf-window --window 1m --with-flows | nf-features --flow-medians >file"
    printf "%-18s %8s %10s %9s %9s %9s %9s\n" stages "cap/s" "sent/s" sent received lost "dgrams.drop"
    first_loss="" best=""
    for r in $rates; do
        if run_rate "$chain" "$r"; then
            best=$(stat_of "$tmp/replay.err" flows_per_second)
        else
            [ -n "$first_loss" ] || first_loss=$(stat_of "$tmp/replay.err" flows_per_second)
        fi
    done
    printf "# %s: no loss up to %.0f flows/s; first loss at %s\n" "$chain" "${best:-0}" \
        "$([ -n "$first_loss" ] && printf '%.0f flows/s' "$first_loss" || echo 'none of the rates tried')"
    [ "$chain" = features ] && awk -v b="${best:-0}" 'BEGIN { printf "# issue 18 target, replayer to features with no loss at >= 100,000 flows/s: %s\n", (b >= 99000 ? "met" : "NOT met") }'
done
