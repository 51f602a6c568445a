#!/usr/bin/env bats
# nf-explain --follow: a report per event as it arrives, against feature
# and record files that grow while it runs; --exec CMD per event.
load ../../tests/helpers
load ../../tests/demo_week
bats_require_minimum_version 1.5.0

setup_file() {
    load ../../tests/helpers
    load ../../tests/demo_week
    local d=$BATS_FILE_TMPDIR
    make_demo_week "$d"
    nf-parse "$d/flows.csv" 2>/dev/null | nf-window >"$d/windows.ndjson" 2>/dev/null
    # three joint change points of the week (rows 972, 1764, 1776), with their segment bounds
    nf-pelt --joint --sigma auto --min-seg-len 12 --columns '*_adjusted' "$d/adjusted.ndjson" >"$d/events.ndjson"
}

setup() {
    W=$BATS_FILE_TMPDIR
    T=$BATS_TEST_TMPDIR
    ATTR=(--records "$W/windows.ndjson" --internal 10.8.0.0/16)
}

@test "--follow writes the reports of the batch path for the same records, numbered in order of arrival" {
    [ "$(grep -c '' "$W/events.ndjson")" -eq 3 ]
    nf-explain --no-merge --features "$W/features.ndjson" --model "$W/model.json" "${ATTR[@]}" --format json \
        <"$W/events.ndjson" >"$T/batch"
    run nf-explain --follow --features "$W/features.ndjson" --model "$W/model.json" "${ATTR[@]}" --format json \
        <"$W/events.ndjson"
    [ "$status" -eq 0 ]
    grep -q 'nf-explain: --follow: 3 events, 3 reports written, 0 without a report, 0 records not events' <<<"$output"
    grep -v '^nf-explain:' <<<"$output" >"$T/follow"
    [ "$(jq -r .rank "$T/follow" | tr '\n' ' ')" = "1 2 3 " ]
    [ "$(jq -r .index "$T/follow" | tr '\n' ' ')" = "972 1764 1776 " ]
    jq -c 'del(.rank)' "$T/batch" | sort >"$T/a"
    jq -c 'del(.rank)' "$T/follow" | sort >"$T/b"
    cmp "$T/a" "$T/b"
    # the attribution is there (the records of the run)
    [ "$(jq -r 'select(.index == 972) | .attribution.quantities | length' "$T/follow")" -ge 1 ]
}

@test "--follow reads the part of --records and --flows around each event: the batch path's attribution, flows out of order" {
    # the flows as a collector writes them: each up to an hour after flows that started later
    nf-parse "$W/flows.csv" 2>/dev/null |
        awk 'BEGIN { srand(7) } { match($0, /"FIRST_SWITCHED":[0-9]+/); t = substr($0, RSTART + 17, RLENGTH - 17)
             printf "%.0f\t%s\n", t + rand() * 3600000, $0 }' | sort -n -k1,1 | cut -f2- >"$T/flows.ndjson"
    [ "$(jq -s '[.[1:], .[:-1]] | transpose | map(select(.[0].FIRST_SWITCHED < .[1].FIRST_SWITCHED)) | length' \
        "$T/flows.ndjson")" -gt 1000 ]
    nf-explain --no-merge --features "$W/features.ndjson" --model "$W/model.json" "${ATTR[@]}" --flows "$T/flows.ndjson" \
        --format json <"$W/events.ndjson" 2>/dev/null >"$T/batch"
    run --separate-stderr nf-explain --follow --features "$W/features.ndjson" --model "$W/model.json" "${ATTR[@]}" \
        --flows "$T/flows.ndjson" --format json <"$W/events.ndjson"
    [ "$status" -eq 0 ]
    [ "$(jq -r 'select(.index == 972) | .attribution.flows_read' <<<"$output")" -gt 0 ]
    jq -c 'del(.rank)' "$T/batch" | sort >"$T/a"
    jq -c 'del(.rank)' <<<"$output" | sort >"$T/b"
    cmp "$T/a" "$T/b"
}

@test "--follow: each report is out before the next event arrives (a pause in the input)" {
    { head -n 1 "$W/events.ndjson"; sleep 3; date +%s%N >"$T/resumed"; tail -n +2 "$W/events.ndjson"; } |
        timeout 60 nf-explain --follow --features "$W/features.ndjson" --format json 2>"$T/err" |
        { IFS= read -r line || exit 1; date +%s%N >"$T/got"; printf '%s\n' "$line" >"$T/first"; cat >"$T/rest"; }
    [ "$(cat "$T/got")" -lt "$(cat "$T/resumed")" ]
    [ "$(jq -r .index "$T/first")" -eq 972 ]
    [ "$(grep -c '' "$T/rest")" -eq 2 ]
}

@test "--follow: an event waits for its feature rows; a half-written last line is not read" {
    # the file holds the rows up to 1700 and half of row 1701; event 1's segment ends at row 1763
    head -n 1700 "$W/features.ndjson" >"$T/feat"
    sed -n 1701p "$W/features.ndjson" | head -c 500 >>"$T/feat"
    (sleep 2; sed -n 1701p "$W/features.ndjson" | tail -c +501 >>"$T/feat"
     tail -n +1702 "$W/features.ndjson" >>"$T/feat") &
    # the records too end in a line being written
    { cat "$W/windows.ndjson"; printf '{"WINDOW_START":1554940800000,"WINDOW_'; } >"$T/rec"
    head -n 1 "$W/events.ndjson" |
        timeout 60 nf-explain --follow --features "$T/feat" --records "$T/rec" --internal 10.8.0.0/16 \
            --format json >"$T/out" 2>"$T/err"
    wait
    cat "$T/err"
    run ! grep -q 'not valid JSON' "$T/err"
    head -n 1 "$W/events.ndjson" | nf-explain --features "$W/features.ndjson" --records "$T/rec" \
        --internal 10.8.0.0/16 --format json 2>/dev/null >"$T/batch"
    cmp "$T/batch" "$T/out"
}

@test "--follow-wait: an event whose rows never come is reported from what is there, not waited for forever" {
    head -n 1000 "$W/features.ndjson" >"$T/feat"
    head -n 1 "$W/events.ndjson" >"$T/ev"
    SECONDS=0
    run timeout 60 nf-explain --follow --follow-wait 0.5 --features "$T/feat" --format json "$T/ev"
    [ "$status" -eq 0 ]
    [ "$SECONDS" -lt 10 ]
    # 28 rows after row 972: the after segment is what the file has
    [ "$(grep -v '^nf-explain' <<<"$output" | jq -r .segments.after.rows)" -eq 28 ]
    grep -q '1 events, 1 reports written' <<<"$output"
}

@test "--exec: the report on stdin, the facts in NFSHIFT_*; a failing command is counted, not fatal" {
    cat >"$T/hook" <<'EOF'
cat >"$OUT/stdin.$NFSHIFT_EVENT_NUMBER"
printf '%s %s %s %s\n' "$NFSHIFT_EVENT_NUMBER" "$NFSHIFT_EVENT_TIME" "$NFSHIFT_EVENT_MS" "$NFSHIFT_EVENT_INDEX" >>"$OUT/env"
echo "hook output goes to stderr"
[ "$NFSHIFT_EVENT_NUMBER" != 2 ]
EOF
    OUT=$T run --separate-stderr nf-explain --follow --features "$W/features.ndjson" --format json \
        --exec "OUT=$T sh $T/hook" "$W/events.ndjson"
    [ "$status" -eq 0 ]
    # stdout holds only the three reports
    [ "$(printf '%s\n' "$output" | jq -r .index | tr '\n' ' ')" = "972 1764 1776 " ]
    grep -q 'hook output goes to stderr' <<<"$stderr"
    grep -q -- '--exec: event 2 (2019-04-10T03:00:00.000Z): the command exited with status 1' <<<"$stderr"
    grep -q -- '--exec: 3 commands: 2 exit 0, 1 failed, 0 killed by a signal, 0 timed out, 0 not started' <<<"$stderr"
    # each command read its own report, the line written to stdout
    for i in 1 2 3; do
        printf '%s\n' "$output" | sed -n "${i}p" | cmp - "$T/stdin.$i"
    done
    [ "$(sed -n 1p "$T/env")" = "1 2019-04-07T09:00:00.000Z 1554627600000 972" ]
    [ "$(grep -c '' "$T/env")" -eq 3 ]
}

@test "--exec: nothing from the data reaches the command line; a hanging command is killed at --exec-timeout" {
    # an event whose time key and column name are shell code
    jq -c '.columns = ["$(touch '"$T"'/pwned)`touch '"$T"'/pwned2`;touch '"$T"'/pwned3"] | .note = "$(touch '"$T"'/pwned4)"' \
        <(head -n 1 "$W/events.ndjson") >"$T/ev"
    run --separate-stderr nf-explain --follow --features "$W/features.ndjson" --format json \
        --exec 'cat >/dev/null; env | grep "^NFSHIFT_" | sort >'"$T"'/env' "$T/ev"
    [ "$status" -eq 0 ]
    [ ! -e "$T/pwned" ] && [ ! -e "$T/pwned2" ] && [ ! -e "$T/pwned3" ] && [ ! -e "$T/pwned4" ]
    # what --exec added to the environment (the run's own NFSHIFT_* settings,
    # e.g. make check's NFSHIFT_SHARED, pass through untouched) is times and numbers only
    env | grep '^NFSHIFT_' | sort >"$T/env.before" || true
    comm -13 "$T/env.before" "$T/env" >"$T/env.added"
    [ -s "$T/env.added" ]
    run ! grep -v '^NFSHIFT_EVENT_[A-Z]*=[-0-9:.TZ]*$' "$T/env.added"
    SECONDS=0
    run --separate-stderr nf-explain --follow --features "$W/features.ndjson" --format json \
        --exec 'sleep 30' --exec-timeout 0.5 "$T/ev"
    [ "$status" -eq 0 ]
    [ "$SECONDS" -lt 10 ]
    grep -q 'the command ran longer than 0.5 s and was killed' <<<"$stderr"
    grep -q '0 exit 0, 0 failed, 0 killed by a signal, 1 timed out' <<<"$stderr"
}

@test "--follow --out-dir: a Markdown file per event, the index rewritten after each; NFSHIFT_REPORT names it" {
    nf-explain --follow --features "$W/features.ndjson" --out-dir "$T/rep" \
        --exec 'cat >/dev/null; echo "$NFSHIFT_REPORT" >>'"$T"'/reports' "$W/events.ndjson" 2>"$T/err"
    ls "$T/rep" >"$T/ls"
    [ "$(cat "$T/ls" | tr '\n' ' ')" = "README.md cp-001-20190407T0900Z.md cp-002-20190410T0300Z.md cp-003-20190410T0400Z.md " ]
    [ "$(sed -n 1p "$T/reports")" = "$T/rep/cp-001-20190407T0900Z.md" ]
    grep -q '3 reports, ranked in the order they were confirmed (--follow)' "$T/rep/README.md"
    grep -Eq '^\| +2 \| \[Change point at 2019-04-10 03:00 UTC' "$T/rep/README.md"
    # to stdout: the reports one after the other
    nf-explain --follow --features "$W/features.ndjson" "$W/events.ndjson" >"$T/md" 2>/dev/null
    [ "$(grep -c '^---$' "$T/md")" -eq 2 ]
}

@test "--follow: records that are not events are counted, bad lines rejected, and it goes on" {
    { echo '{"kind":"summary","x":1}'; echo 'not json'; echo '{"WINDOW_START":1}'; head -n 1 "$W/events.ndjson"; } >"$T/in"
    run nf-explain --follow --features "$W/features.ndjson" --format json --rejects "$T/rej" "$T/in"
    [ "$status" -eq 0 ]
    grep -q "$T/in:2: not valid JSON" <<<"$output"
    grep -q "$T/in:3: not an nf-pelt change point or event" <<<"$output"
    grep -q '1 events, 1 reports written, 0 without a report, 1 records not events' <<<"$output"
    grep -q 'nf-explain: 2 records skipped' <<<"$output"
    [ "$(grep -c '' "$T/rej")" -eq 2 ]
    run nf-explain --follow --strict --features "$W/features.ndjson" --format json "$T/in"
    [ "$status" -eq 1 ]
}

@test "--follow: SIGTERM while waiting for events prints the counts, exit 143" {
    mkfifo "$T/p"
    timeout 60 nf-explain --follow --features "$W/features.ndjson" --format json <"$T/p" >"$T/out" 2>"$T/err" &
    pid=$!
    exec 5>"$T/p"
    head -n 1 "$W/events.ndjson" >&5
    for _ in $(seq 100); do [ -s "$T/out" ] && break; sleep 0.1; done
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    exec 5>&-
    cat "$T/err"
    [ "$rc" -eq 143 ]
    [ "$(grep -c '' "$T/out")" -eq 1 ]
    grep -q '1 events, 1 reports written' "$T/err"
    grep -q 'stopped by SIGTERM' "$T/err"
}

@test "--features-since: an earlier run's rows at the start of the feature file are neither read nor counted" {
    # the week a week earlier, then the week: a watch run continued after a restart
    since=$(head -n 1 "$W/features.ndjson" | jq .WINDOW_START)
    jq -c '.WINDOW_START -= 604800000 | .WINDOW_END -= 604800000' "$W/features.ndjson" >"$T/features.ndjson"
    cat "$W/features.ndjson" >>"$T/features.ndjson"
    nf-explain --follow --features "$W/features.ndjson" --model "$W/model.json" "${ATTR[@]}" --format json \
        <"$W/events.ndjson" >"$T/plain" 2>/dev/null
    run --separate-stderr nf-explain --follow --features "$T/features.ndjson" --features-since "$since" \
        --model "$W/model.json" "${ATTR[@]}" --format json <"$W/events.ndjson"
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | cmp - "$T/plain"
    # without it the events' row numbers do not match the file's
    run nf-explain --follow --features "$T/features.ndjson" --model "$W/model.json" "${ATTR[@]}" --format json \
        <"$W/events.ndjson"
    [ "$status" -ne 0 ]
    grep -q "rows of the feature stream lie between" <<<"$output"
    run nf-explain --features-since 2019-04-04 --features "$W/features.ndjson" </dev/null
    [ "$status" -eq 2 ]
    run nf-explain --follow --features-since soon --features "$W/features.ndjson" </dev/null
    [ "$status" -eq 2 ]
}

@test "--follow and --exec: usage errors" {
    run nf-explain --exec true --features "$W/features.ndjson" "$W/events.ndjson"
    [ "$status" -eq 2 ]
    grep -q -- '--exec runs a command per event as it arrives and needs --follow' <<<"$output"
    run nf-explain --follow "$W/events.ndjson"
    [ "$status" -eq 2 ]
    grep -q -- '--follow needs the feature stream' <<<"$output"
    run nf-explain --follow --flagged --features "$W/features.ndjson" "$W/events.ndjson"
    [ "$status" -eq 2 ]
    run nf-explain --follow --exec '' --features "$W/features.ndjson" "$W/events.ndjson"
    [ "$status" -eq 2 ]
    run nf-explain --follow --exec-timeout 0 --features "$W/features.ndjson" "$W/events.ndjson"
    [ "$status" -eq 2 ]
}
