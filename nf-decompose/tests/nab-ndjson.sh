#!/usr/bin/env bash
# nab-ndjson.sh FILE.csv: a NAB "timestamp,value" CSV (UTC times) as NDJSON
# {"WINDOW_START":ms,"value":v}, one row per line, for the tests and bench.
set -eu
f=$1
paste -d, <(tail -n +2 "$f" | cut -d, -f1 | date -u -f - +%s) <(tail -n +2 "$f" | cut -d, -f2) |
    awk -F, '{ printf "{\"WINDOW_START\":%s000,\"value\":%s}\n", $1, $2 }'
