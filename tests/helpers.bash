# Shared set-up for the bats files: load with `load ../../tests/helpers`
# (from nf-x/tests/) or `load helpers` (from tests/).
#   NF_BIN   the build's bin directory (tests/run sets it; default build/bin)
#   NF_TOP   the repository
#   DATA     shipped samples (data/)
#   SHARED   ../shared/data when it exists (skip with require_shared otherwise)
# The repository is the nearest directory above the test holding lib/ and the Makefile.
# `run !` and `run -N` need bats 1.5 (Debian 12 has 1.8); saying so silences warning BW02.
bats_require_minimum_version 1.5.0
find_top() {
    local d=$BATS_TEST_DIRNAME
    while [ "$d" != / ] && ! { [ -d "$d/lib" ] && [ -f "$d/Makefile" ]; }; do d=$(dirname "$d"); done
    printf '%s\n' "$d"
}
NF_TOP=${NF_TOP:-$(cd "$(find_top)" && pwd)}
NF_BIN=${NF_BIN:-$NF_TOP/build/bin}
PATH="$NF_BIN:$PATH"
DATA="$NF_TOP/data"
SHARED=${NFSHIFT_SHARED:-$NF_TOP/../shared/data}
REFERENCE=${NFSHIFT_REFERENCE:-$NF_TOP/../shared/reference}
export PATH NF_BIN NF_TOP DATA SHARED REFERENCE

# Skips the test when ../shared/data is not beside the repository.
require_shared() {
    [ -d "$SHARED" ] || skip "needs ../shared/data (not present in this checkout)"
}

# Skips the test when a command is missing (optional reference tools).
require_cmd() {
    command -v "$1" >/dev/null 2>&1 || skip "needs $1 (install: scripts/install-deps --all)"
}

# Skips when Debian's python3 cannot import a module (statsmodels, sklearn, pandas).
require_py() {
    /usr/bin/python3 -c "import $1" 2>/dev/null || skip "needs /usr/bin/python3 with $1"
}

# Counts the lines of stdout of the last `run`.
line_count() {
    printf '%s' "$output" | grep -c '' || true
}

# wait_bounded PID [SECONDS]: `wait PID` that cannot hang the run. A process
# still there after SECONDS (default 60) is shown (state, and its stack when
# gdb is installed), killed, and the wait fails; otherwise its exit status.
wait_bounded() {
    local pid=$1 limit=${2:-60} i
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "wait_bounded: process $pid still running after ${limit} s:"
        grep -E '^(Name|State)' "/proc/$pid/status" 2>/dev/null
        command -v gdb >/dev/null && timeout 30 gdb -q -batch -p "$pid" -ex 'thread apply all bt' 2>&1 | grep -E '^#' | head -30
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        return 124
    fi
    wait "$pid"
}

# listen_free HOST OUT [OPTION...]: nf-parse OPTION... --listen HOST:PORT in
# the background on a free port (retried), records to OUT, stderr to
# $T/live.err; sets PID and PORT.
listen_free() {
    local host=$1 out=$2 try
    shift 2
    : "${T:=$BATS_TEST_TMPDIR}"
    for try in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 30000))
        nf-parse "$@" --listen "$host:$PORT" >"$out" 2>"$T/live.err" &
        PID=$!
        for _ in $(seq 50); do
            # bound once the port shows in /proc/net/udp{,6}
            if grep -qi ":$(printf '%04X' "$PORT") " /proc/net/udp /proc/net/udp6 2>/dev/null; then
                return 0
            fi
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true
    done
    return 1
}
