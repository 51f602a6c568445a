#!/usr/bin/env bats
# nf-explain on hostile input: names that try to run commands through
# gnuplot, planted symbolic links and earlier reports in --out-dir, and
# text from the data escaped for the medium it is written to.

load ../../tests/helpers

FIX="$BATS_TEST_DIRNAME/fixtures"

setup() {
    T="$BATS_TEST_TMPDIR"
}

# A 40-row series whose one column (named $1) steps at row 20, and the
# change-point record naming it: the report plots that column.
series_named() {
    jq -nc --arg k "$1" 'range(40) as $i | {WINDOW_START: (1569985200000 + $i * 300000),
        ($k): (if $i < 20 then 10 + ($i % 3) else 100 + ($i % 3) end)}' >"$T/feat.ndjson"
    jq -nc --arg k "$1" '{WINDOW_START: (1569985200000 + 20 * 300000), column: $k, index: 20,
        cost_reduction: 100, penalty: 10, mean_before: 11, mean_after: 101}' >"$T/cp.ndjson"
}

@test "--plot: hostile column names run nothing in gnuplot, and the picture is still drawn" {
    require_cmd gnuplot
    long=$(printf 'A%.0s' $(seq 1 5000))
    nl=$'\n' q="'" bs='\\' bq='`'
    names=(
        "bytes${nl}system(\"touch $T/ran1\")${nl}"
        "x${q}${nl}system(${q}touch $T/ran2${q})${nl}${q}"
        "x${bs}\"; system(${bs}\"touch $T/ran3${bs}\"); ${bs}\""
        "x${bs}${nl}system(\"touch $T/ran4\")"
        "${bq}touch $T/ran5${bq}"
        "x${q}; m = ${q}system(\"touch $T/ran6\")${q}; @m; ${q}"
        "x${q}; system(${q}touch $T/ran7${q}); print ${q}"
        "x${nl}!touch $T/ran8${nl}"
        "$long${nl}system(\"touch $T/ran9\")"
        "x"$'\r'"${nl}system(\"touch $T/ran10\")"$'\x1b[31m'
    )
    i=0
    for name in "${names[@]}"; do
        i=$((i + 1))
        series_named "$name"
        run nf-explain --features "$T/feat.ndjson" --plot --out-dir "$T/out$i" "$T/cp.ndjson"
        [ ! -e "$T/ran$i" ]
        [ "$status" -eq 0 ]
        [[ "$output" != *"gnuplot failed"* ]]
        svg=$(ls "$T/out$i"/cp-001-*.svg)
        grep -q '<svg' "$svg"
        # the labels are drawn as safe text: no quote, backslash, backquote or @ of the name survives
        run grep -o '>[^<>]*<' "$svg"
        [ "$status" -eq 0 ]
        before_touch=${name%%touch*}
        [[ "$output" == *touch* || "${#before_touch}" -gt 70 ]]
        [[ "$output" != *[\"\'\\\`@]* ]]
    done
    run ls "$T"
    [[ "$output" != *ran* ]]
}

@test "--plot: the shared reproducer (a quoted CSV header with a newline and system()) runs nothing" {
    require_cmd gnuplot
    rm -f /tmp/nfshift-plot-injected
    [ ! -e /tmp/nfshift-plot-injected ]
    nf-parse "$FIX/gnuplot-inject-series.csv" >"$T/s.ndjson"
    nf-pelt "$T/s.ndjson" >"$T/cp.ndjson"
    run nf-explain --features "$T/s.ndjson" --plot --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    [ ! -e /tmp/nfshift-plot-injected ]
    [[ "$output" != *"gnuplot"* ]]
    grep -q '<svg' "$T"/out/cp-001-*.svg
}

@test "--plot: labels are cut to 80 characters of safe text" {
    require_cmd gnuplot
    series_named "$(printf 'é%.0s' $(seq 1 200))"
    run nf-explain --features "$T/feat.ndjson" --plot --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    # one '?' per UTF-8 character, 77 of them and "..."
    grep -q "<text>$(printf '?%.0s' $(seq 1 77))\.\.\.</text>" "$T"/out/cp-001-*.svg
}

@test "--out-dir: a planted README.md symlink is refused and its target left alone; --force removes the link" {
    series_named bytes
    mkdir "$T/out"
    echo "precious" >"$T/target"
    ln -s "$T/target" "$T/out/README.md"
    run nf-explain --features "$T/feat.ndjson" --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"out: holds the reports of an earlier run (README.md); --force replaces them"* ]]
    [ "$(cat "$T/target")" = precious ]
    run nf-explain --force --features "$T/feat.ndjson" --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    [ "$(cat "$T/target")" = precious ]
    [ ! -L "$T/out/README.md" ]
    grep -q '^# Change points' "$T/out/README.md"
}

@test "--out-dir: a symlink planted under a report's name is never followed" {
    series_named bytes
    mkdir "$T/out"
    echo "precious" >"$T/target"
    ln -s "$T/target" "$T/out/cp-001-20191002T0240Z.md"
    ln -s "$T/target" "$T/out/reports.ndjson"
    run nf-explain --force --features "$T/feat.ndjson" --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    run nf-explain --force --format json --features "$T/feat.ndjson" --out-dir "$T/out" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    [ "$(cat "$T/target")" = precious ]
    [ ! -L "$T/out/reports.ndjson" ]
    [ "$(jq -r .kind "$T/out/reports.ndjson")" = change_point ]
}

@test "--out-dir: a second run into the same directory is refused; --force replaces only the reports" {
    zcat "$FIX/scan-ctx.ndjson.gz" >"$T/ctx.ndjson"
    zcat "$FIX/scan-scored.ndjson.gz" >"$T/scored.ndjson"
    nf-explain --top 5 --features "$T/ctx.ndjson" --out-dir "$T/out" "$T/scored.ndjson"
    [ "$(ls "$T"/out/flow-*.md | wc -l)" -eq 5 ]
    echo "mine" >"$T/out/notes.txt"
    run nf-explain --top 2 --features "$T/ctx.ndjson" --out-dir "$T/out" "$T/scored.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"holds the reports of an earlier run (README.md and more)"* ]]
    [ "$(ls "$T"/out/flow-*.md | wc -l)" -eq 5 ]
    run nf-explain --force --top 2 --features "$T/ctx.ndjson" --out-dir "$T/out" "$T/scored.ndjson"
    [ "$status" -eq 0 ]
    # no stale report of the first run is left beside the new ones
    [ "$(ls "$T"/out/flow-*.md | wc -l)" -eq 2 ]
    [ "$(grep -c '^| *[0-9]' "$T/out/README.md")" -eq 2 ]
    [ "$(cat "$T/out/notes.txt")" = mine ]
}

@test "--out-dir as root: a directory owned by another user, or a symbolic link, is refused" {
    [ "$(id -u)" -eq 0 ] || skip "runs as root only"
    series_named bytes
    mkdir "$T/theirs"
    chown 65534 "$T/theirs"
    run nf-explain --features "$T/feat.ndjson" --out-dir "$T/theirs" "$T/cp.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"theirs: the directory belongs to uid 65534; running as root, nf-explain writes only into a directory root owns"* ]]
    [ -z "$(ls -A "$T/theirs")" ]
    mkdir "$T/real"
    ln -s "$T/real" "$T/link"
    run nf-explain --features "$T/feat.ndjson" --out-dir "$T/link" "$T/cp.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"link: cannot open the output directory: it is a symbolic link (not followed when running as root)"* ]]
    [ -z "$(ls -A "$T/real")" ]
}

# Interval features whose columns carry Markdown, HTML, pipes, newlines and
# terminal escapes in their names, all stepping at row 30, and change points
# and scored rows naming them.
hostile_columns() {
    /usr/bin/python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
names = ["a|b", "x\n# Injected heading", "<script>alert(1)</script>", "`tick` and ``two``",
         "esc\x1b[31mred\x1b[0m", "*bold* _em_ [link](http://evil.example)", "c1\u009bcsi", "back\\slash\r"]
with open(t + "/names.json", "w") as f:
    json.dump(names, f)
with open(t + "/feat.ndjson", "w") as f:
    for i in range(60):
        row = {"WINDOW_START": 1569985200000 + i * 300000}
        for k, n in enumerate(names):
            row[n] = (10 + k + i % 3) * (1 if i < 30 else 5)
        f.write(json.dumps(row) + "\n")
with open(t + "/cp.ndjson", "w") as f:
    f.write(json.dumps({"WINDOW_START": 1569985200000 + 30 * 300000, "columns": names, "index": 30,
                        "cost_reduction": 100, "penalty": 10, "mean_before": [1] * len(names),
                        "mean_after": [2] * len(names)}) + "\n")
with open(t + "/scored.ndjson", "w") as f:
    for i in range(60):
        row = {"WINDOW_START": 1569985200000 + i * 300000, "spe": 50 if i == 45 else 1, "spe_limit": 10,
               "spe_flag": i == 45, "t2": 1, "t2_limit": 10, "t2_flag": False}
        f.write(json.dumps(row) + "\n")
PY
}

# No raw control character, no line that the data started, no HTML from the data.
markdown_is_clean() {
    run env LC_ALL=C grep -l $'[\x01-\x08\x0b-\x1f\x7f]' "$@"
    [ "$status" -eq 1 ]
    run env LC_ALL=C grep -l $'\xc2\x9b' "$@"
    [ "$status" -eq 1 ]
    # outside code spans (where Markdown shows text as it is) no tag, link or heading from the data
    run /usr/bin/python3 -c '
import re, sys
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        prose = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", line)
        prose = re.sub(r"\\.", "", prose)
        if re.search(r"<script|\]\(http|^# Injected", prose):
            print("%s:%d: %s" % (path, n, line.rstrip()))
' "$@"
    echo "$output"
    [ -z "$output" ]
}

@test "Markdown: names with pipes, newlines, HTML, backticks and escapes are escaped, tables stay aligned" {
    require_py json
    hostile_columns
    run nf-explain --features "$T/feat.ndjson" --top-features 20 --out-dir "$T/cp" "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    run nf-explain --flagged --features "$T/feat.ndjson" --top-features 20 --out-dir "$T/fl" "$T/scored.ndjson"
    [ "$status" -eq 0 ]
    markdown_is_clean "$T"/cp/*.md "$T"/fl/*.md
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/check-markdown.py" "$T"/cp/*.md "$T"/fl/*.md
    echo "$output"
    [ "$status" -eq 0 ]
    f=$(ls "$T"/cp/cp-*.md)
    # the names are shown, visibly escaped: code spans with a longer fence, \n and \x1B written out
    grep -qF '``` `tick` and ``two`` ```' "$f"
    grep -qF '`x\n# Injected heading`' "$f"
    grep -qF '`esc\x1B[31mred\x1B[0m`' "$f"
    grep -qF '\<script\>alert(1)\</script\>' "$f"
    grep -qF '\*bold\* \_em\_ \[link\](http://evil.example)' "$f"
    # a pipe in a name does not split the table cell
    grep -qF 'a\|b' "$f"
}

@test "Markdown on stdout: the terminal gets no raw escape or newline from the data" {
    require_py json
    hostile_columns
    nf-explain --features "$T/feat.ndjson" "$T/cp.ndjson" >"$T/out.md"
    nf-explain --flagged --features "$T/feat.ndjson" "$T/scored.ndjson" >>"$T/out.md" 2>"$T/err"
    markdown_is_clean "$T/out.md" "$T/err"
}

@test "JSON: the names are carried exactly (escaped by the JSON writer), sentences as Markdown" {
    require_py json
    hostile_columns
    run nf-explain --format json --features "$T/feat.ndjson" --top-features 20 "$T/cp.ndjson"
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -c '[.features[].name] | sort')" = "$(jq -c sort "$T/names.json")" ]
    [ "$(echo "$output" | jq -c '[.components[].column]')" = "$(jq -c . "$T/names.json")" ]
    run env LC_ALL=C grep -c $'[\x01-\x1f]' <<<"$output"
    [ "$output" = 0 ]
}

@test "--plot --records: key labels reach gnuplot as safe text; hostile subnet texts are rejected by line and run nothing" {
    require_cmd gnuplot
    python3 "$BATS_TEST_DIRNAME/make-records.py" udp-service "$T/r.rec" "$T/r.cp"
    nf-features --internal 10.0.0.0/16 <"$T/r.rec" >"$T/r.feat"
    # records of the after side whose subnets try to end the label and call system()
    nl=$'\n' q="'"
    for i in 1 2 3; do
        case $i in
        1) net="10.0.5.0/24${q}); system(${q}touch $T/ran1${q}); print(${q}" ;;
        2) net="10.0.5.0/24${nl}system(\"touch $T/ran2\")" ;;
        3) net="\`touch $T/ran3\`" ;;
        esac
        jq -nc --arg n "$net" '{WINDOW_START: (1569974400000 + 30 * 300000), WINDOW_END: (1569974400000 + 31 * 300000),
            SRC_NET: "100.64.1.0/24", DST_NET: $n, PROTOCOL_NUM: 17, FLOWS: 1, PACKETS: 1, BYTES: 100}'
    done >"$T/hostile.rec"
    cat "$T/r.rec" "$T/hostile.rec" >"$T/all.rec"
    n=$(grep -c '' "$T/r.rec")
    run nf-explain --features "$T/r.feat" --records "$T/all.rec" --internal 10.0.0.0/16 --plot --out-dir "$T/out" "$T/r.cp"
    echo "$output"
    [ "$status" -eq 0 ]
    for i in 1 2 3; do
        [ ! -e "$T/ran$i" ]
        [[ "$output" == *"all.rec:$((n + i)): DST_NET: not a CIDR prefix"* ]]
    done
    [[ "$output" == *"3 records skipped"* ]] # named once: the second pass for the picture is quiet
    [[ "$output" != *"gnuplot failed"* ]]
    svg=$(ls "$T/out"/cp-001-*.svg)
    # the stacked keys and the rest are in the legend, as safe text
    grep -q '>10\.0\.5\.0/24<' "$svg"
    grep -q '>other internal subnets<' "$svg"
    run grep -o '>[^<>]*<' "$svg"
    [[ "$output" != *touch* ]]
    [[ "$output" != *[\"\'\\\`@]* ]]
}
