#!/usr/bin/env bats
# nfshift baseline and nfshift watch: the live path end to end on loopback,
# a lighter form of scripts/live-acceptance (four days of baseline, the
# fifth replayed with nf-replay at 20,000x with a shift in it).
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
    load helpers
    local d=$BATS_FILE_TMPDIR
    python3 "$NF_TOP/bench/generate-flows" --days 5 --rate 0.5 --seed 3 --start 2019-04-04T00:00:00 \
        --shift +105h:new-udp-service:0.3 --truth "$d/truth.ndjson" -o "$d/all.csv"
    awk -F, 'NR == 1 || $1 < "2019-04-08"' "$d/all.csv" >"$d/base.csv"
    awk -F, 'NR == 1 || $1 >= "2019-04-08"' "$d/all.csv" >"$d/day.csv"
    nf-parse "$d/day.csv" >"$d/day.ndjson" 2>/dev/null
    nfshift baseline --quiet --internal 10.8.0.0/16 --output-dir "$d/base" "$d/base.csv"
}

setup() {
    W=$BATS_FILE_TMPDIR
    T=$BATS_TEST_TMPDIR
}

# start_watch ARGS...: nfshift watch on a free loopback port in the background (PORT, PID).
start_watch() {
    local i
    for PORT in $(shuf -i 20000-60000 -n 20); do
        # as a terminal runs it: a process group of its own, led by the watch,
        # SIGINT not ignored (a shell's background job starts with it ignored).
        # Under timeout(1) the group's SIGINT also reached timeout, which
        # exited 130 while the watch still drained (1 run in 8); the bound on
        # its time is wait_bounded's
        setsid env --default-signal=INT nfshift watch --listen "127.0.0.1:$PORT" --baseline "$W/base" --output-dir "$T/run" "$@" \
            >"$T/watch.out" 2>"$T/watch.err" &
        PID=$!
        for i in $(seq 100); do
            grep -qi ":$(printf '%04X' "$PORT") " /proc/net/udp 2>/dev/null && return 0
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    done
    return 1
}

# alert_within N EVENTS: the shift of truth.ndjson has an event within 2
# windows of its start, confirmed at most N windows after it.
alert_within() {
    local shift_ms late
    shift_ms=$(jq -r .time_ms "$W/truth.ndjson")
    late=$(jq -r --argjson s "$shift_ms" \
        'select((.WINDOW_START - $s | fabs) <= 600000) | (.WINDOW_START + .delay * 300000 - $s) / 300000' "$2")
    echo "alert after: $late windows" >&2
    [ -n "$late" ] && [ "$(printf '%s\n' "$late" | sort -n | head -n 1)" -le "$1" ]
}

# cut_day MINUTES: the day's flows before and after MINUTES past its midnight
# into T/am.ndjson and T/pm.ndjson; cut is that time (epoch ms).
cut_day() {
    cut=$(head -n 1 "$W/day.ndjson" | jq --argjson m "$1" '.FIRST_SWITCHED - .FIRST_SWITCHED % 86400000 + $m * 60000')
    jq -c --argjson c "$cut" 'select(.FIRST_SWITCHED < $c)' "$W/day.ndjson" >"$T/am.ndjson"
    jq -c --argjson c "$cut" 'select(.FIRST_SWITCHED >= $c)' "$W/day.ndjson" >"$T/pm.ndjson"
}

# wait_bounded polls until the watch is gone: a bare wait can return early
# when a signal reaches the test's shell (seen once under load: the summary
# line was not written yet)
stop_watch() {
    kill -TERM "$PID"
    RC=0
    wait_bounded "$PID" 240 || RC=$?
}

@test "baseline: the models and the settings of the live path, fitted on the baseline's days" {
    for f in pca.json season.json pelt.json settings features.ndjson commands.sh; do [ -s "$W/base/$f" ]; done
    [ "$(grep -c '' "$W/base/features.ndjson")" -eq 1152 ]
    [ "$(jq -r .kind "$W/base/pelt.json")" = "nf-pelt baseline" ]
    [ "$(jq -r '.columns | length' "$W/base/pelt.json")" = "$(jq -r '.sigma | length' "$W/base/pelt.json")" ]
    [ "$(jq -r .rows "$W/base/pelt.json")" -eq 1152 ]
    grep -q '^s_internal=10.8.0.0/16$' "$W/base/settings"
    # the batch pipeline's features: the 116 and the five flow medians, and watch is told so
    grep -q '^s_medians=1$' "$W/base/settings"
    [ "$(head -n 1 "$W/base/features.ndjson" | jq 'keys | length')" -eq 123 ]
    # commands.sh is the chain as a shell runs it: rerun, its first line makes the same features
    bash -n "$W/base/commands.sh"
    head -n 1 "$W/base/commands.sh" | sed "s|> [^ ]*features.ndjson\$|> $T/f|" >"$T/first.sh"
    grep -q '| [^ ]*nf-window --with-flows | [^ ]*nf-features --internal 10.8.0.0/16 --flow-medians > ' "$T/first.sh"
    bash "$T/first.sh" 2>/dev/null
    cmp "$T/f" "$W/base/features.ndjson"
}

@test "watch: the day replayed over loopback gives an alert for the shift within 13 windows, no flow lost" {
    start_watch --exec 'cat >/dev/null; echo "$NFSHIFT_EVENT_TIME" >>'"$T"'/alerts'
    timeout 60 nf-replay --to "127.0.0.1:$PORT" --speed 20000 "$W/day.ndjson" 2>"$T/replay.err"
    sleep 1
    stop_watch
    cat "$T/watch.err"
    [ "$RC" -eq 0 ]
    # every flow of the file, in order, as the collector wrote them
    [ "$(grep -c '' "$T/run/flows.ndjson")" -eq "$(grep -c '' "$W/day.ndjson")" ]
    grep -q '"lost_records":0,' "$T/watch.err"
    [ "$(grep -c '' "$T/run/features.ndjson")" -eq 288 ]
    [ "$(head -n 1 "$T/run/features.ndjson" | jq 'keys | length')" -eq 123 ]
    # the shift at 09:00 on day 5: an event within 2 windows, confirmed at most 13 windows later
    alert_within 13 "$T/run/events.ndjson"
    # a report and an --exec run per event, the counts on stderr
    n=$(grep -c '' "$T/run/events.ndjson")
    [ "$(ls "$T/run/reports" | grep -c '^cp-')" -eq "$n" ]
    [ "$(grep -c '' "$T/alerts")" -eq "$n" ]
    grep -q "nf-explain: --follow: $n events, $n reports written" "$T/watch.err"
    grep -q "nfshift: watch: $(grep -c '' "$W/day.ndjson") flows, .* 288 feature rows, $n events, $n reports" "$T/watch.err"
    # the chain it ran, as one shell pipeline
    bash -n "$T/run/commands.sh"
    grep -q '| [^ ]*nf-pca --model [^ ]*pca.json | [^ ]*nf-decompose --model ' "$T/run/commands.sh"
}

@test "watch: SIGINT to the whole process group stops nf-parse once; every stage drains and prints its counts" {
    start_watch
    timeout 60 nf-replay --to "127.0.0.1:$PORT" --speed 20000 "$W/day.ndjson" 2>/dev/null
    sleep 1
    # what a Ctrl-C in a terminal does: the signal to every process of the group
    kill -INT -- -"$PID"
    RC=0
    wait_bounded "$PID" 240 || RC=$?
    cat "$T/watch.err"
    [ "$(grep -c '' "$T/run/flows.ndjson")" -eq "$(grep -c '' "$W/day.ndjson")" ]
    [ "$(grep -c '' "$T/run/features.ndjson")" -eq 288 ]
    grep -q 'nf-parse: --listen .* stopped by signal' "$T/watch.err"
    grep -q 'nfshift: watch: ' "$T/watch.err"
}

@test "watch --from: the day from file gives the events, features and reports of the loopback replay" {
    start_watch
    timeout 60 nf-replay --to "127.0.0.1:$PORT" --speed 20000 "$W/day.ndjson" 2>/dev/null
    sleep 1
    stop_watch
    [ "$RC" -eq 0 ]
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/file"
    [ "$status" -eq 0 ]
    grep -q "nfshift: reading $W/day.ndjson with the baseline" <<<"$output"
    [ -s "$T/file/events.ndjson" ]
    cmp "$T/run/events.ndjson" "$T/file/events.ndjson"
    cmp "$T/run/features.ndjson" "$T/file/features.ndjson"
    [ "$(ls "$T/file/reports" | grep -c '^cp-')" -eq "$(grep -c '' "$T/file/events.ndjson")" ]
    head -n 1 "$T/file/commands.sh" | grep -q "^[^ ]*nf-parse $W/day.ndjson | tee "
    # watch's alerting options reach nf-pelt: --max-delay 3 x --confirm by default, or as given
    grep -q -- '--confirm 12 --max-delay 36 --relearn 288' "$T/file/commands.sh"
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/file2" --confirm 10 --max-delay 0
    [ "$status" -eq 0 ]
    grep -q -- '--confirm 10 --max-delay 0 ' "$T/file2/commands.sh"
}

@test "watch: a gap in the export is a gap: no rows for it, the shift still alerted within 13 windows" {
    # two hours without flows (03:00-05:00 of the day), the shift at 09:00
    local day0 g0 g1
    day0=$(head -n 1 "$W/day.ndjson" | jq '.FIRST_SWITCHED - .FIRST_SWITCHED % 86400000')
    g0=$((day0 + 3 * 3600000)) g1=$((day0 + 5 * 3600000))
    jq -c --argjson a "$g0" --argjson b "$g1" 'select(.FIRST_SWITCHED < $a or .FIRST_SWITCHED >= $b)' \
        "$W/day.ndjson" >"$T/gap.ndjson"
    run nfshift watch --from "$T/gap.ndjson" --baseline "$W/base" --output-dir "$T/g"
    [ "$status" -eq 0 ]
    [ "$(grep -c '' "$T/g/features.ndjson")" -eq 264 ]
    run jq -c --argjson a "$g0" --argjson b "$g1" 'select(.WINDOW_START >= $a and .WINDOW_START < $b)' \
        "$T/g/features.ndjson" "$T/g/events.ndjson"
    [ -z "$output" ]
    alert_within 13 "$T/g/events.ndjson"
}

@test "watch: a restart continues the run: kept files appended, windows on from the last, earlier reports kept" {
    # the day cut at 12:00 (after the 09:00 shift's alert), the two halves one after the other
    cut_day 720
    run nfshift watch --from "$T/am.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 0 ]
    [ "$(grep -c '' "$T/r/features.ndjson")" -eq 144 ]
    n_am=$(grep -c '' "$T/r/events.ndjson")
    [ "$n_am" -ge 1 ]
    run nfshift watch --from "$T/pm.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 0 ]
    grep -q "continuing the run in $T/r: 144 feature rows kept" <<<"$output"
    grep -q -- "--start-at $cut " "$T/r/commands.sh"
    grep -q -- "--report-since $cut " "$T/r/commands.sh"
    grep -q "1 change confirmed at rows before --report-since (an earlier run's) not written" <<<"$output"
    # one series: 288 windows, each 5 minutes after the one before
    [ "$(grep -c '' "$T/r/features.ndjson")" -eq 288 ]
    [ "$(jq -s '[.[1:], .[:-1]] | transpose | map(.[0].WINDOW_START - .[1].WINDOW_START) | unique' \
        "$T/r/features.ndjson" | jq -c .)" = "[300000]" ]
    [ "$(grep -c '' "$T/r/flows.ndjson")" -eq "$(grep -c '' "$W/day.ndjson")" ]
    # the morning's events kept, its reports moved aside, the summary counts this start only
    [ "$(grep -c '' "$T/r/events.ndjson")" -ge "$n_am" ]
    ls -d "$T"/r/reports-*
    [ "$(ls "$T"/r/reports-*/ | grep -c '^cp-')" -eq "$n_am" ]
    grep -q "nfshift: watch: $(grep -c '' "$T/pm.ndjson") flows, .* 144 feature rows" <<<"$output"
    # the events are those of the day in one run
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/whole"
    [ "$status" -eq 0 ]
    cmp "$T/whole/events.ndjson" "$T/r/events.ndjson"
    [ "$(ls "$T"/r/reports-*/ "$T/r/reports/" | grep -c '^cp-')" -eq "$(ls "$T/whole/reports/" | grep -c '^cp-')" ]
    # a run killed while writing: the half line is cut off, the rest continued
    printf '{"WINDOW_START":' >>"$T/r/features.ndjson"
    printf '{"ID":1,"IP_SRC' >>"$T/r/flows.ndjson"
    : >"$T/empty.ndjson"
    run nfshift watch --from "$T/empty.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 0 ]
    grep -q "features.ndjson: its unfinished last line (16 bytes" <<<"$output"
    grep -q "flows.ndjson: its unfinished last line (15 bytes" <<<"$output"
    [ "$(grep -c '' "$T/r/features.ndjson")" -eq 288 ]
    [ -z "$(tail -c 1 "$T/r/flows.ndjson")" ]
    # --new-run starts empty; a run of other settings is not continued
    run nfshift watch --from "$T/pm.ndjson" --baseline "$W/base" --output-dir "$T/r" --new-run
    [ "$status" -eq 0 ]
    [ "$(grep -c '' "$T/r/features.ndjson")" -eq 144 ]
    echo 's_extra=1' >>"$T/r/settings"
    run nfshift watch --from "$T/pm.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 1 ]
    grep -q "holds a run with other settings" <<<"$output"
}

@test "watch: a restart while a shift is being confirmed: nf-pelt goes on from the kept rows, the alert is not lost" {
    # the day cut at 09:30, six windows into the 09:00 shift (confirmed after 12)
    cut_day 570
    run nfshift watch --from "$T/am.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 0 ]
    [ ! -s "$T/r/events.ndjson" ]
    run nfshift watch --from "$T/pm.ndjson" --baseline "$W/base" --output-dir "$T/r"
    [ "$status" -eq 0 ]
    grep -q "0 changes confirmed at rows before --report-since" <<<"$output"
    alert_within 13 "$T/r/events.ndjson"
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/whole"
    [ "$status" -eq 0 ]
    cmp "$T/whole/events.ndjson" "$T/r/events.ndjson"
    # the report of the continued run's event reads the kept rows of both halves
    cmp "$T/whole/reports/$(ls "$T/whole/reports" | grep '^cp-')" "$T/r/reports/$(ls "$T/r/reports" | grep '^cp-')"
}

@test "watch --keep-days: a continued run first loses the kept lines older than N days before its last window" {
    # two days kept (the baseline's last two), then the day after them with --keep-days 1
    awk -F, 'NR == 1 || $1 >= "2019-04-06"' "$W/base.csv" >"$T/two.csv"
    run nfshift watch --from "$T/two.csv" --baseline "$W/base" --output-dir "$T/k"
    [ "$status" -eq 0 ]
    [ "$(grep -c '' "$T/k/features.ndjson")" -eq 576 ]
    cp "$T/k/events.ndjson" "$T/events.before"
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/k" --keep-days 1
    [ "$status" -eq 0 ]
    day7=$(date -u -d 2019-04-07 +%s)000
    n_flows=$(nf-parse "$T/two.csv" 2>/dev/null | jq -c --argjson c "$day7" 'select(.FIRST_SWITCHED < $c)' | grep -c '')
    grep -q "keep-days 1: the lines before 2019-04-07 00:00:00 UTC removed: flows $n_flows (" <<<"$output"
    grep -q ", features 288 (" <<<"$output"
    grep -q "continuing the run in $T/k: 288 feature rows kept (nf-pca, nf-decompose and nf-pelt read them first" <<<"$output"
    # the 7th and the 8th kept, nothing before; the alerts of both runs kept whole
    [ "$(grep -c '' "$T/k/features.ndjson")" -eq 576 ]
    [ "$(head -n 1 "$T/k/features.ndjson" | jq .WINDOW_START)" = "$day7" ]
    [ "$(head -n 1 "$T/k/windows.ndjson" | jq .WINDOW_START)" = "$day7" ]
    [ "$(jq -s 'map(.FIRST_SWITCHED) | min' "$T/k/flows.ndjson")" -ge "$day7" ]
    [ "$(grep -c '' "$T/k/flows.ndjson")" -eq $(($(nf-parse "$T/two.csv" 2>/dev/null | grep -c '') - n_flows + $(grep -c '' "$W/day.ndjson"))) ]
    head -c "$(stat -c %s "$T/events.before")" "$T/k/events.ndjson" | cmp - "$T/events.before"
    alert_within 13 "$T/k/events.ndjson"
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/k" --keep-days 0
    [ "$status" -eq 2 ]
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --output-dir "$T/k" --keep-days week
    [ "$status" -eq 2 ]
}

@test "baseline --from-run: windows missing from the kept features are interpolated for the season's fit" {
    mkdir -p "$T/run"
    cp "$W/base/settings" "$T/run/settings"
    # 24 windows gone (an export gap of two hours), as watch keeps it
    sed '301,324d' "$W/base/features.ndjson" >"$T/run/features.ndjson"
    run nfshift baseline --from-run "$T/run" --output-dir "$T/b"
    [ "$status" -eq 0 ]
    grep -q "24 windows without a row (gaps in the kept features) interpolated" <<<"$output"
    [ "$(jq -r .rows "$T/b/pelt.json")" -eq 1128 ]
    [ "$(grep -c '' "$T/b/adjusted.ndjson")" -eq 1128 ]
}

@test "baseline and watch: usage errors" {
    run nfshift baseline --out "$T/b"
    [ "$status" -eq 2 ]
    run nfshift baseline --out "$T/b" "$W/base.csv"
    [ "$status" -eq 2 ]
    grep -q -- '--internal' <<<"$output"
    run nfshift watch --baseline "$W/base"
    [ "$status" -eq 2 ]
    grep -q -- '--listen' <<<"$output"
    run nfshift watch --listen 127.0.0.1:9 --baseline "$T/none"
    [ "$status" -eq 1 ]
    grep -q 'pca.json: missing' <<<"$output"
    run nfshift watch --listen 127.0.0.1:9 --baseline "$W/base" file.csv
    [ "$status" -eq 2 ]
    run nfshift watch --listen 127.0.0.1:9 --from "$W/day.ndjson" --baseline "$W/base"
    [ "$status" -eq 2 ]
    grep -q 'one input, not both' <<<"$output"
    run nfshift watch --from "$T/none.csv" --baseline "$W/base"
    [ "$status" -eq 1 ]
    grep -q "$T/none.csv: cannot read it" <<<"$output"
    run nfshift baseline --from-run "$T/none" --out "$T/b"
    [ "$status" -eq 1 ]
    run nfshift watch --from "$W/day.ndjson" --baseline "$W/base" --max-delay soon
    [ "$status" -eq 2 ]
    grep -q -- '--max-delay' <<<"$output"
}
