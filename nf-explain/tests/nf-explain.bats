#!/usr/bin/env bats
# nf-explain: reports on crafted inputs whose right explanation is known,
# golden reports, the JSON schema, rendering rules and the command line.

load ../../tests/helpers

FIX="$BATS_TEST_DIRNAME/fixtures"
GOLD="$BATS_TEST_DIRNAME/golden"
SCHEMA="$NF_TOP/docs/nf-explain.schema.json"

setup() {
    T="$BATS_TEST_TMPDIR"
}

need_python() {
    [ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
}

# The gzipped fixtures, unpacked once per test.
unpack() {
    zcat "$FIX/$1-ctx.ndjson.gz" >"$T/$1-ctx.ndjson"
    zcat "$FIX/$1-scored.ndjson.gz" >"$T/$1-scored.ndjson"
}

step_report() {
    nf-explain --features "$FIX/step-features.ndjson" --model "$FIX/step-model.json" "$@" "$FIX/step-changepoints.ndjson"
}

@test "change point: the title names the time in UTC to the minute" {
    run step_report
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "# Change point at 2019-10-02 07:55 UTC – behavioural shift" ]
}

@test "change point: a step in UDP ingress bytes is named as such and ranked first" {
    run step_report
    [ "$status" -eq 0 ]
    echo "$output" | grep -qx '1\. UDP ingress bytes rose from 697 KB to 2.80 MB (+2.10 MB, +301 %); d = +108.26\.'
    echo "$output" | grep -Eq '^\| +1 \| UDP ingress bytes \(`UDP_bytes_in`\) +\| UDP '
    # the share follows, in the words of the issue
    echo "$output" | grep -q '^2\. UDP share of ingress bytes rose from 12 % to 35 % (+23 percentage points)'
}

@test "change point: JSON ranks UDP_bytes_in first with its effect size and direction" {
    run step_report --format json
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -r '.features[0].name')" = UDP_bytes_in ]
    [ "$(echo "$output" | jq -r '.features[0].direction')" = rose ]
    [ "$(echo "$output" | jq -r '.features[0].effect_size | floor')" = 108 ]
    [ "$(echo "$output" | jq -r '.segments.before.rows, .segments.after.rows' | tr '\n' ' ')" = "59 61 " ]
}

@test "change point: pc1 carried the shift and UDP ingress bytes loads on it" {
    run step_report
    echo "$output" | grep -q '^- `pc1_trend`: pc1 rose from -2.78 to 2.69 (+5.48), 1.94 SD of the component'
    echo "$output" | grep -A 8 'loading most on pc1' | grep -q 'UDP ingress bytes (`UDP_bytes_in`) *| *+0.35 |'
}

@test "change point: a seasonally adjusted component (pc1_adjusted, the pipeline's) is read as pc1" {
    sed 's/pc1_trend/pc1_adjusted/' "$FIX/step-changepoints.ndjson" >"$T/adjusted.ndjson"
    run nf-explain --features "$FIX/step-features.ndjson" --model "$FIX/step-model.json" "$T/adjusted.ndjson"
    [ "$status" -eq 0 ]
    echo "$output" | grep -q '^- `pc1_adjusted`: pc1 rose from -2.78 to 2.69 (+5.48), 1.94 SD of the component'
    ! echo "$output" | grep -q 'not a principal component'
}

@test "change point: per-column records at the same time make one report with every column (--no-merge: one each)" {
    f="$FIX/step-changepoints.ndjson"
    jq -c '.columns = ["pc2_trend"] | .mean_before = [.mean_before[1]] | .mean_after = [.mean_after[1]] | .cost_reduction = 12.5' "$f" >"$T/split.ndjson"
    jq -c '.columns = ["pc1_trend"] | .mean_before = [.mean_before[0]] | .mean_after = [.mean_after[0]] | .cost_reduction = 800' "$f" >>"$T/split.ndjson"
    run nf-explain --format json --features "$FIX/step-features.ndjson" --model "$FIX/step-model.json" "$T/split.ndjson"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | grep -c '')" -eq 1 ]
    # the strongest column first, the costs summed
    [ "$(echo "$output" | jq -r '[.components[].column] | join(",")')" = "pc1_trend,pc2_trend" ]
    [ "$(echo "$output" | jq -r '.cost_reduction')" = "812.5" ]
    run nf-explain --features "$FIX/step-features.ndjson" --model "$FIX/step-model.json" "$T/split.ndjson"
    echo "$output" | grep -q 'PELT found this split in 2 columns at the same time; it lowered their segment costs by 812.5 in all (penalty 23.9 per change point)'
    run nf-explain --no-merge --format json --features "$FIX/step-features.ndjson" --model "$FIX/step-model.json" "$T/split.ndjson"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | grep -c '')" -eq 2 ]
}

@test "change point: without --model the loadings are said to be missing, not left blank" {
    run nf-explain --features "$FIX/step-features.ndjson" "$FIX/step-changepoints.ndjson"
    [ "$status" -eq 0 ]
    echo "$output" | grep -q 'no model was given (`--model FILE`)'
}

@test "change point: the category reading names UDP as the leading category" {
    run step_report
    echo "$output" | grep -q '^- \*\*UDP\*\*: 3 of 16 features shifted strongly; strongest: UDP ingress bytes rose'
    echo "$output" | grep -q 'The UDP category holds the most strongly shifted features (3)'
}

@test "change point: golden Markdown of the crafted UDP step" {
    run step_report
    [ "$status" -eq 0 ]
    diff -u "$GOLD/step-changepoint.md" <(echo "$output")
}

@test "change point: change points need the feature stream (exit 2)" {
    run nf-explain "$FIX/step-changepoints.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"change-point reports need the feature stream: --features FILE"* ]]
}

@test "flagged flow: a SYN-only scan source is described by its SYN count and destination-port entropy" {
    unpack scan
    run nf-explain --flagged --top all "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --model "$FIX/scan-model.json" --out-dir "$T/out"
    [ "$status" -eq 0 ]
    f=$(ls "$T"/out/flow-*-id6753.md)
    grep -q '^- 10.8.0.99 started 40 flows with SYN set in the window' "$f"
    grep -q '^- Its destination-port entropy is 5.32 bits (as spread as 40 equally used ports), higher than 100 % of the' "$f"
    grep -q "^- \*\*Scan pattern:\*\* 40 SYN flows (100 % of the source's flows in the window) spread over about 40 destination ports (entropy 5.32 bits)" "$f"
    grep -q 'The TCP flags are SYN only (0x02) and no packet came back (OUT_PKTS 0)' "$f"
}

@test "flagged flow: a normal client is not called a scan" {
    unpack scan
    run nf-explain --flagged "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --out-dir "$T/out"
    [ "$status" -eq 0 ]
    ! grep -l 'Scan pattern' $(grep -L '10\.8\.0\.99' "$T"/out/flow-*.md)
}

@test "flagged flow: UDP/443 is named QUIC, the other side an ephemeral client port" {
    unpack scan
    run nf-explain --flagged --score spe "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --out-dir "$T/out"
    [ "$status" -eq 0 ]
    f="$T/out/flow-001-id6792.md"
    grep -q '^- Source port 443/udp is \*\*QUIC\*\*: QUIC (RFC 9000), the encrypted UDP transport of HTTP/3' "$f"
    grep -q "Destination port 40271 .* Linux's ephemeral range (32768-60999)" "$f"
    grep -q 'Average packet size (`avg_in_packet_size`) is 1,337.0 B, 89 % of the 1,500 B Ethernet MTU; between the 1,280 B IPv6 minimum MTU' "$f"
    grep -q '| \[Flow 6792 – anomaly explanation\](flow-001-id6792.md) |' "$T/out/README.md"
}

@test "flagged flow: the JSON names the service and ranks by SPE" {
    unpack scan
    run nf-explain --format json --score spe --top 1 "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -r '.service')" = "UDP/443 QUIC" ]
    [ "$(echo "$output" | jq -r '.record.ID')" = 6792 ]
}

@test "flagged flow: golden Markdown for the top real CTU flow (fixture derived from data/ctu-argus-24h.binetflow)" {
    unpack ctu
    run nf-explain --score spe --top 1 "$T/ctu-scored.ndjson" --features "$T/ctu-ctx.ndjson" --model "$FIX/ctu-model.json"
    [ "$status" -eq 0 ]
    diff -u "$GOLD/ctu-flow-top1.md" <(echo "$output")
}

@test "flagged flow: model contributions agree with the SPE nf-pca reported" {
    unpack ctu
    run nf-explain --top 5 "$T/ctu-scored.ndjson" --features "$T/ctu-ctx.ndjson" --model "$FIX/ctu-model.json"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Recomputed from the model (16 columns, 4 components)"* ]]
    [[ "$output" != *"may not be the one nf-pca scored"* ]]
}

@test "flagged rows: a scored flow without its feature row is an error naming the ID" {
    unpack scan
    head -n 100 "$T/scan-ctx.ndjson" >"$T/short.ndjson"
    run nf-explain --score spe --top 1 "$T/scan-scored.ndjson" --features "$T/short.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"scan-scored.ndjson: line "*": no feature row with ID 6792 in $T/short.ndjson"* ]]
}

@test "flagged interval: reports the top intervals by category against the rest of the stream" {
    run nf-explain --all-rows --top 2 --features "$FIX/step-features.ndjson" "$FIX/step-scored.ndjson"
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "# Interval 2019-10-02 "*" – anomaly explanation" ]]
    echo "$output" | grep -q 'Percentile and z-score place each value among the 118 baseline intervals'
}

@test "JSON of all three report kinds validates against docs/nf-explain.schema.json" {
    need_python
    unpack scan
    { step_report --format json
      nf-explain --format json --flagged "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --model "$FIX/scan-model.json"
      nf-explain --format json --all-rows --top 3 --features "$FIX/step-features.ndjson" "$FIX/step-scored.ndjson"
    } >"$T/all.ndjson"
    [ "$(jq -r .kind "$T/all.ndjson" | sort -u | tr '\n' ' ')" = "change_point flagged_flow flagged_interval " ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <"$T/all.ndjson"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "the schema check fails on a report that breaks the schema" {
    need_python
    step_report --format json | jq -c 'del(.segments) | .rank = "one"' >"$T/bad.ndjson"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/validate-schema.py" "$SCHEMA" <"$T/bad.ndjson"
    [ "$status" -eq 1 ]
}

@test "Markdown: no empty sections, aligned tables, no nan in any report" {
    need_python
    unpack scan
    step_report --out-dir "$T/cp"
    nf-explain --flagged "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --model "$FIX/scan-model.json" --out-dir "$T/fl"
    nf-explain --all-rows --top 5 --features "$FIX/step-features.ndjson" "$FIX/step-scored.ndjson" --out-dir "$T/iv"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-markdown.py" "$T"/cp/*.md "$T"/fl/*.md "$T"/iv/*.md
    echo "$output" | tail -5
    [ "$status" -eq 0 ]
}

@test "the Markdown check catches an empty section and a ragged table" {
    need_python
    printf '# A\n\n## B\n\n## C\n\ntext\n\n| a | b |\n| -- | - |\n' >"$T/bad.md"
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-markdown.py" "$T/bad.md"
    [ "$status" -eq 1 ]
    [[ "$output" == *"empty section: ## B"* ]]
    [[ "$output" == *"table not aligned"* ]]
}

@test "--out-dir: one file per report and a README.md index ranking them" {
    unpack scan
    run nf-explain --flagged --top all "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --out-dir "$T/out"
    [ "$status" -eq 0 ]
    n=$(ls "$T"/out/flow-*.md | wc -l)
    [ "$n" -eq "$(grep -c '"spe_flag":true\|"t2_flag":true' "$T/scan-scored.ndjson")" ]
    grep -q "^$n reports, ranked by how far each row is over the limit it broke (score / limit, highest first)\.$" "$T/out/README.md"
}

@test "--plot: an SVG per report, linked from the Markdown" {
    require_cmd gnuplot
    run step_report --plot --out-dir "$T/out"
    [ "$status" -eq 0 ]
    [ -s "$T/out/cp-001-20191002T0755Z.svg" ]
    grep -q '<svg' "$T/out/cp-001-20191002T0755Z.svg"
    grep -q '](cp-001-20191002T0755Z.svg)' "$T/out/cp-001-20191002T0755Z.md"
}

@test "--plot without gnuplot in PATH: a clear message and the report without the picture" {
    run env PATH=/nonexistent "$NF_BIN/nf-explain" --features "$FIX/step-features.ndjson" --plot --out-dir "$T/out" "$FIX/step-changepoints.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"--plot: gnuplot is not in PATH (Debian package gnuplot-nox); reports are written without pictures"* ]]
    [ -s "$T/out/cp-001-20191002T0755Z.md" ]
    ! grep -q 'svg' "$T/out/cp-001-20191002T0755Z.md"
}

@test "bad input lines are skipped with file:line, copied by --rejects, fatal with --strict" {
    { cat "$FIX/step-changepoints.ndjson"; echo 'not json'; } >"$T/in.ndjson"
    run nf-explain --features "$FIX/step-features.ndjson" --rejects "$T/rej" "$T/in.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"in.ndjson:2:"* ]]
    [ "$(cat "$T/rej")" = "not json" ]
    run nf-explain --features "$FIX/step-features.ndjson" --strict "$T/in.ndjson"
    [ "$status" -eq 1 ]
}

@test "input that is neither change points nor scored rows is refused (exit 1)" {
    run nf-explain "$FIX/step-features.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"input is neither nf-pelt change points"* ]]
}

@test "usage errors exit 2: bad --output-format, --plot without --output-dir, --output with markdown" {
    run nf-explain --output-format xml
    [ "$status" -eq 2 ]
    [[ "$output" == *"--output-format: 'xml' is not markdown or json"* ]]
    run nf-explain --format xml
    [ "$status" -eq 2 ]
    [[ "$output" == *"--output-format: 'xml' is not markdown or json"* ]]
    run nf-explain --plot
    [ "$status" -eq 2 ]
    run nf-explain -o x.ndjson
    [ "$status" -eq 2 ]
    run nf-explain --top 0
    [ "$status" -eq 2 ]
}

@test "--help and --version" {
    run nf-explain --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "usage: nf-explain [options] [FILE...]" ]]
    run nf-explain --version
    [ "$status" -eq 0 ]
    [[ "$output" == "nf-explain (nfshift) "* ]]
}

@test "same input, same bytes" {
    a=$(step_report --format json | md5sum)
    b=$(step_report --format json | md5sum)
    [ "$a" = "$b" ]
}

# The real pipeline on the shipped CTU flows, when the upstream tools are built.
# When an upstream tool changes its output on purpose: tests/regenerate-golden.sh.
need_pipeline() {
    for t in nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt; do
        [ -x "$NF_BIN/$t" ] || skip "needs $t in $NF_BIN"
    done
}

@test "real pipeline: golden Markdown for the top flagged CTU flow (nf-parse | nf-window --flows | nf-features --per-flow | nf-pca)" {
    need_pipeline
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --flows | nf-features --per-flow >"$T/ctx.ndjson"
    nf-pca --exclude 'ID,L4_*,PROTOCOL_NUM,TCP_FLAGS,*_SWITCHED,WINDOW_END,FLOWS,*_TOS' --save-model "$T/model.json" \
        <"$T/ctx.ndjson" >"$T/scored.ndjson" 2>/dev/null
    run nf-explain --flagged --score spe --top 1 "$T/scored.ndjson" --features "$T/ctx.ndjson" --model "$T/model.json"
    [ "$status" -eq 0 ]
    diff -u "$GOLD/pipeline-ctu-flow-top1.md" <(echo "$output")
}

@test "real pipeline: change points of the CTU day are explained, strongest first" {
    need_pipeline
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window | nf-features --internal 10.8.0.0/24 >"$T/feat.ndjson"
    nf-pca --exclude WINDOW_END --components 3 --save-model "$T/model.json" <"$T/feat.ndjson" 2>/dev/null |
        nf-decompose --period none --columns 'pc*' --keep trend | nf-pelt --sigma auto --columns '*_trend' >"$T/cps.ndjson"
    run nf-explain --features "$T/feat.ndjson" --model "$T/model.json" --out-dir "$T/out" "$T/cps.ndjson"
    [ "$status" -eq 0 ]
    # one report per distinct change-point time (columns at one time are merged)
    n=$(jq -r .WINDOW_START "$T/cps.ndjson" | sort -u | grep -c '')
    [ "$(ls "$T"/out/cp-*.md | wc -l)" -eq "$n" ]
    grep -q "^$n reports, ranked by the cost reduction" "$T/out/README.md"
    head -n 1 "$T"/out/cp-001-*.md | grep -q '^# Change point at 2019-04-0[45] [0-9:]* UTC – behavioural shift$'
}

@test "--baseline FILE: flagged rows are placed against that file instead of the rest of the stream" {
    unpack scan
    unpack ctu
    run nf-explain --top 1 "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" --baseline "$T/ctu-ctx.ndjson"
    [ "$status" -eq 0 ]
    echo "$output" | grep -q 'Percentile and z-score place each value among the 6,751 baseline flows (rows of --baseline)'
}

@test "--score t2 ranks the flagged rows by T² instead of SPE" {
    unpack scan
    nf-explain --format json --score t2 "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" | jq -r .t2 >"$T/t2"
    sort -g -r "$T/t2" | diff - "$T/t2"
    nf-explain --format json --score spe "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" | jq -r .spe >"$T/spe"
    sort -g -r "$T/spe" | diff - "$T/spe"
    run diff -q "$T/t2" <(nf-explain --format json --score spe "$T/scan-scored.ndjson" --features "$T/scan-ctx.ndjson" | jq -r .t2)
    [ "$status" -eq 1 ]
}

@test "join by row order when neither file has ID or the time key" {
    jq -c 'del(.WINDOW_START, .WINDOW_END)' "$FIX/step-scored.ndjson" >"$T/scored.ndjson"
    jq -c 'del(.WINDOW_START)' "$FIX/step-features.ndjson" >"$T/features.ndjson"
    run nf-explain --format json --all-rows --top 1 --features "$T/features.ndjson" "$T/scored.ndjson"
    [ "$status" -eq 0 ]
    want=$(nf-explain --format json --all-rows --top 1 --features "$FIX/step-features.ndjson" "$FIX/step-scored.ndjson" | jq -c '.features[0]')
    [ "$(echo "$output" | jq -c '.features[0]')" = "$want" ]
    head -n 50 "$T/features.ndjson" >"$T/short.ndjson"
    run nf-explain --all-rows --top 1 --features "$T/short.ndjson" "$T/scored.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"cannot join with the scored rows: no ID or WINDOW_START in both, and 50 feature rows against 120 scored rows"* ]]
}

@test "--format json goes to --output FILE, or to DIR/reports.ndjson with --out-dir" {
    step_report --format json -o "$T/one.ndjson"
    step_report --format json --out-dir "$T/dir"
    [ "$(jq -r .kind "$T/one.ndjson")" = change_point ]
    cmp "$T/one.ndjson" "$T/dir/reports.ndjson"
}

@test "flagged flow: ICMP type and code are read from the destination port field, not called ports" {
    {
        echo '{"WINDOW_START":0,"ID":1,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.2","L4_SRC_PORT":0,"L4_DST_PORT":2048,"PROTOCOL_NUM":1,"IN_PKTS":1,"IN_BYTES":84,"spe":9,"spe_limit":3,"spe_flag":true,"t2":1,"t2_limit":3,"t2_flag":false}'
        echo '{"WINDOW_START":0,"ID":2,"IP_SRC_ADDR":"10.0.0.1","IP_DST_ADDR":"10.0.0.3","L4_SRC_PORT":5353,"L4_DST_PORT":53,"PROTOCOL_NUM":17,"IN_PKTS":1,"IN_BYTES":70,"spe":1,"spe_limit":3,"spe_flag":false,"t2":1,"t2_limit":3,"t2_flag":false}'
    } >"$T/icmp.ndjson"
    run nf-explain "$T/icmp.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"- Protocol 1 is ICMP; the destination port field holds type 8 and code 0 (type · 256 + code): echo request."* ]]
    [[ "$output" != *"port 2048"* ]]
}

@test "flagged rows: 20 reports by default, the index says how many were flagged and which limit each broke" {
    unpack scan
    run nf-explain --features "$T/scan-ctx.ndjson" --out-dir "$T/out" "$T/scan-scored.ndjson"
    [ "$status" -eq 0 ]
    [ "$(ls "$T"/out/flow-*.md | wc -l)" -eq 20 ]
    grep -qx '86 of 1541 scored rows are flagged (SPE 44, T² 52, both 10); the 20 ranked highest are reported (--top N or --top all for more).' "$T/out/README.md"
    grep -q '^| Rank | Report .*| Flagged by .*| Score .*|' "$T/out/README.md"
    grep -Eq '^\| +[0-9]+ \| .* \| T² [0-9.,]+× its limit +\| +T² [0-9.,]+ \|' "$T/out/README.md"
    grep -Eq '^\| +[0-9]+ \| .* \| SPE [0-9.,]+× its limit +\| +SPE [0-9.,]+ \|' "$T/out/README.md"
    # without an index, stderr says the default --top left rows out
    run nf-explain --format json --features "$T/scan-ctx.ndjson" "$T/scan-scored.ndjson"
    [[ "${lines[0]}" == "nf-explain: 86 of 1541 scored rows are flagged"* ]]
}

@test "flagged rows: each ranked by the score that flagged it over its limit; T²-only rows by T², not SPE" {
    unpack scan
    nf-explain --format json --top all --features "$T/scan-ctx.ndjson" "$T/scan-scored.ndjson" 2>/dev/null >"$T/r.ndjson"
    [ "$(grep -c '' "$T/r.ndjson")" -eq 86 ]
    # T²-only rows are ranked by T²
    [ "$(jq -r 'select(.t2_flag and (.spe_flag | not)) | .score_name' "$T/r.ndjson" | sort -u)" = t2 ]
    [ "$(jq -r 'select(.spe_flag and (.t2_flag | not)) | .score_name' "$T/r.ndjson" | sort -u)" = spe ]
    # the ranking key is the broken limit's ratio, descending
    jq -r 'if .spe_flag and .t2_flag then ([.spe / .spe_limit, .t2 / .t2_limit] | max)
           elif .t2_flag then .t2 / .t2_limit else .spe / .spe_limit end' "$T/r.ndjson" >"$T/keys"
    sort -g -r "$T/keys" | diff - "$T/keys"
    # a T²-only row outranks SPE rows that are less far over their limit
    [ "$(jq -r 'select(.t2_flag and (.spe_flag | not)) | .rank' "$T/r.ndjson" | head -n 1)" -lt 20 ]
}

@test "change points: a feature stream with other windows than the change points' is an error" {
    jq -c 'select(.WINDOW_START % 3600000 == 0)' "$FIX/step-features.ndjson" >"$T/hourly.ndjson"
    run nf-explain --features "$T/hourly.ndjson" "$FIX/step-changepoints.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"hourly.ndjson: 5 rows of the feature stream lie between its start at 2019-10-02 03:00:00 UTC and the change point at 2019-10-02 07:55:00 UTC, where the change points' series has 59 (rows every 59.0 min against every 5.0 min): the windows differ"* ]]
    # a few rows missing (as when nf-pca skips rows) is not an error
    sed '10d;20d;30d' "$FIX/step-features.ndjson" >"$T/gaps.ndjson"
    run nf-explain --features "$T/gaps.ndjson" "$FIX/step-changepoints.ndjson"
    [ "$status" -eq 0 ]
}

@test "flagged flows are joined by ID: scored flows without ID, an ambiguous ID are errors naming the key" {
    unpack scan
    jq -c 'del(.ID)' "$T/scan-scored.ndjson" >"$T/noid.ndjson"
    run nf-explain --features "$T/scan-ctx.ndjson" "$T/noid.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"noid.ndjson: the scored rows have no ID, but the feature stream $T/scan-ctx.ndjson holds flows, which are joined to their context by ID"* ]]
    # a flow's row twice in the same window
    { cat "$T/scan-ctx.ndjson"; grep '"ID":6792,' "$T/scan-ctx.ndjson"; } >"$T/dup.ndjson"
    run nf-explain --score spe --top 1 --features "$T/dup.ndjson" "$T/scan-scored.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *": 2 feature rows have ID 6792 and WINDOW_START 2019-04-04T17:00:00.000Z in $T/dup.ndjson; the join is ambiguous"* ]]
    # the same flow in another window is told apart by the time key
    grep '"ID":6792,' "$T/scan-ctx.ndjson" | jq -c '.WINDOW_START += 300000' >"$T/other.ndjson"
    cat "$T/scan-ctx.ndjson" >>"$T/other.ndjson"
    run nf-explain --score spe --top 1 --features "$T/other.ndjson" "$T/scan-scored.ndjson"
    [ "$status" -eq 0 ]
}

@test "flagged flows: joined by ID, so each report describes its own flow (no two reports of one flow)" {
    unpack ctu
    nf-explain --format json --top all --features "$T/ctu-ctx.ndjson" "$T/ctu-scored.ndjson" 2>/dev/null >"$T/r.ndjson"
    [ "$(jq -r .record.ID "$T/r.ndjson" | sort | uniq -d | grep -c '')" -eq 0 ]
    [ "$(grep -c '' "$T/r.ndjson")" -eq "$(grep -c '"spe_flag":true\|"t2_flag":true' "$T/ctu-scored.ndjson")" ]
}

@test "flagged intervals: two feature rows with the same time key make an ambiguous join" {
    { cat "$FIX/step-features.ndjson"; sed -n 5p "$FIX/step-features.ndjson"; } >"$T/dup.ndjson"
    run nf-explain --all-rows --top all --features "$T/dup.ndjson" "$FIX/step-scored.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *": 2 feature rows have WINDOW_START 2019-10-02T03:20:00.000Z in $T/dup.ndjson; the join is ambiguous"* ]]
}

@test "model: the SPE and T² nf-explain recomputes from --model equal nf-pca's, bit for bit" {
    nf-pca --save-model "$T/m.json" "$FIX/step-features.ndjson" >"$T/scored.ndjson" 2>/dev/null
    nf-explain --all-rows --top all --format json --model "$T/m.json" --features "$FIX/step-features.ndjson" \
        "$T/scored.ndjson" 2>/dev/null >"$T/r.ndjson"
    [ "$(grep -c '' "$T/r.ndjson")" -eq 120 ]
    [ "$(jq -r 'select(.model_spe == null or .spe != .model_spe or .t2 != .model_t2) | .rank' "$T/r.ndjson" | grep -c '')" -eq 0 ]
}

@test "model with nf-pca --transform log1p: nf-explain's SPE and T² still equal nf-pca's, bit for bit" {
    nf-pca --transform log1p --save-model "$T/m.json" "$FIX/step-features.ndjson" >"$T/scored.ndjson" 2>/dev/null
    [ "$(jq -r .version "$T/m.json")" -eq 2 ]
    nf-explain --all-rows --top all --format json --model "$T/m.json" --features "$FIX/step-features.ndjson" \
        "$T/scored.ndjson" 2>/dev/null >"$T/r.ndjson"
    [ "$(grep -c '' "$T/r.ndjson")" -eq 120 ]
    [ "$(jq -r 'select(.model_spe == null or .spe != .model_spe or .t2 != .model_t2) | .rank' "$T/r.ndjson" | grep -c '')" -eq 0 ]
}

@test "model: per flow too, on the real CTU flows (nf-parse | nf-window --flows | nf-features --per-flow | nf-pca)" {
    need_pipeline
    nf-parse "$DATA/ctu-argus-24h.binetflow" | nf-window --flows | nf-features --per-flow >"$T/ctx.ndjson"
    nf-pca --exclude 'ID,L4_*,PROTOCOL_NUM,TCP_FLAGS,*_SWITCHED,WINDOW_END,FLOWS,*_TOS' --save-model "$T/m.json" \
        <"$T/ctx.ndjson" >"$T/scored.ndjson" 2>/dev/null
    nf-explain --top all --format json --model "$T/m.json" --features "$T/ctx.ndjson" "$T/scored.ndjson" \
        2>/dev/null >"$T/r.ndjson"
    [ "$(grep -c '' "$T/r.ndjson")" -gt 100 ]
    [ "$(jq -r 'select(.model_spe == null or .spe != .model_spe or .t2 != .model_t2) | .rank' "$T/r.ndjson" | grep -c '')" -eq 0 ]
}

@test "flagged rows: the baseline leaves out every flagged row, so a report does not depend on --top" {
    unpack ctu
    run nf-explain --format json --top 1 --features "$T/ctu-ctx.ndjson" "$T/ctu-scored.ndjson"
    [ "$status" -eq 0 ]
    one=$(echo "$output" | jq -c '[.baseline_rows, .features]')
    all=$(nf-explain --format json --top all --features "$T/ctu-ctx.ndjson" "$T/ctu-scored.ndjson" | head -n 1 | jq -c '[.baseline_rows, .features]')
    [ "$one" = "$all" ]
    flagged=$(grep -c '"spe_flag":true\|"t2_flag":true' "$T/ctu-scored.ndjson")
    [ "$(echo "$output" | jq -r .baseline_rows)" -eq $((6751 - flagged)) ]
    # --score spe reports SPE rows only, but T²-only rows stay out of the baseline as well
    [ "$(nf-explain --format json --score spe --top 1 --features "$T/ctu-ctx.ndjson" "$T/ctu-scored.ndjson" | jq -r .baseline_rows)" -eq $((6751 - flagged)) ]
}
