#!/usr/bin/env bats
# nf-pca command line: options, bad-data rules, fitting on a baseline,
# saved models, determinism. References (R, scikit-learn) are in
# reference_*.bats.

load ../../tests/helpers
load pca_helpers

setup() {
    T=$BATS_TEST_TMPDIR
    make_nab_lagged "$DATA/nab/ec2_network_in_257a54.csv" 4 "$T/nab.ndjson" "$T/nab.csv"
}

@test "--help prints usage to stdout and exits 0" {
    run nf-pca --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"usage: nf-pca"* ]]
    [[ "$output" == *"--fit-until"* ]]
}

@test "--version names the program" {
    run nf-pca --version
    [ "$status" -eq 0 ]
    [[ "$output" == nf-pca* ]]
}

@test "usage errors exit 2: bad --alpha, --components with --variance, --model with --columns" {
    run nf-pca --alpha 1 "$T/nab.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--alpha"* ]]
    run nf-pca --components 2 --variance 0.9 "$T/nab.ndjson"
    [ "$status" -eq 2 ]
    run nf-pca --model x.json --columns 'v*' "$T/nab.ndjson"
    [ "$status" -eq 2 ]
    [[ "$output" == *"--columns cannot be used"* ]]
    run nf-pca --fit-until yesterday "$T/nab.ndjson"
    [ "$status" -eq 2 ]
    run nf-pca --bogus
    [ "$status" -eq 2 ]
}

@test "output: pass-through members first (time key text, label), then pc1..pcK, spe, t2, limits, flags" {
    run nf-pca --components 2 "$T/nab.ndjson"
    [ "$status" -eq 0 ]
    first=$(printf '%s\n' "$output" | head -1)
    [[ "$first" =~ ^\{\"WINDOW_START\":\"2014-04-10\ 00:24:00\",\"label\":\"nab\",\"pc1\":[-0-9.e]+,\"pc2\":[-0-9.e]+,\"spe\":[0-9.e-]+,\"t2\":[0-9.e-]+,\"spe_limit\":[0-9.e]+,\"t2_limit\":[0-9.e]+,\"spe_flag\":(true|false),\"t2_flag\":(true|false)\}$ ]]
    [ "$(line_count)" -eq "$(wc -l < "$T/nab.ndjson")" ]
}

@test "the flags are the statistics above their limits, and the NAB spikes are flagged" {
    nf-pca --components 2 "$T/nab.ndjson" > "$T/out"
    to_csv "$T/out" spe spe_limit spe_flag t2 t2_limit t2_flag |
        awk -F, '{ if (($1 > $2) != ($3 == "true") || ($4 > $5) != ($6 == "true")) bad++; f += ($3 == "true") }
                 END { print bad + 0, f; exit bad > 0 || f == 0 }'
}

@test "same input, same bytes" {
    nf-pca "$T/nab.ndjson" > "$T/a"
    nf-pca "$T/nab.ndjson" > "$T/b"
    cmp "$T/a" "$T/b"
}

@test "default keeps the fewest components reaching 95% of the variance" {
    nf-pca --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    k=$(grep -o '"components":[0-9]*' "$T/m.json" | cut -d: -f2)
    want=$(model_array "$T/m.json" explained_variance_ratio |
        awk -F, '{ for (i = 1; i <= NF; i++) { s += $i; if (s >= 0.95 - 1e-12) { print i; exit } } }')
    [ "$k" -eq "$want" ]
    [ "$k" -ge 2 ]
}

@test "--variance F picks the smallest K whose cumulative ratio reaches F" {
    for f in 0.3 0.5 0.8 0.99; do
        nf-pca --variance $f --save-model "$T/m.json" "$T/nab.ndjson" > "$T/out"
        k=$(grep -o '"components":[0-9]*' "$T/m.json" | cut -d: -f2)
        model_array "$T/m.json" explained_variance_ratio |
            awk -F, -v f=$f -v k=$k '{ for (i = 1; i < k; i++) s += $i
                                       if (s >= f) exit 1; if (s + $k < f - 1e-12) exit 1 }'
        head -1 "$T/out" | grep -q "\"pc$k\":"
        run ! grep -q "\"pc$((k + 1))\":" <(head -1 "$T/out")
    done
}

@test "--components K writes pc1..pcK and a model with K loading vectors" {
    nf-pca --components 3 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/out"
    [ "$(model_loadings "$T/m.json" | wc -l)" -eq 3 ]
    head -1 "$T/out" | grep -q '"pc3":'
    run ! grep -q '"pc4":' <(head -1 "$T/out")
    run nf-pca --components 6 "$T/nab.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"--components 6: only 5 columns"* ]]
}

@test "sign convention: each component's largest-magnitude loading is positive" {
    nf-pca --components 5 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    model_loadings "$T/m.json" | awk -F, '{ m = 0; for (i = 1; i <= NF; i++) { a = $i < 0 ? -$i : $i; if (a > m) { m = a; v = $i } }
                                           if (v <= 0) exit 1 }'
}

@test "model file: the documented shape, eigenvalues descending, ratios summing to 1" {
    nf-pca --components 2 --alpha 0.05 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    grep -Eq '^\{"kind":"nfshift-pca-model","version":1,"time_key":"WINDOW_START","columns":\["v0","v1","v2","v3","v4"\],"center":\[[^]]*\],"scale":\[[^]]*\],"n_fit":4028,"components":2,"eigenvalues":\[[^]]*\],"explained_variance_ratio":\[[^]]*\],"loadings":\[\[[^]]*\],\[[^]]*\]\],"alpha":0.05,"spe_limit":[0-9.e+-]+,"t2_limit":[0-9.e+-]+\}$' "$T/m.json"
    model_array "$T/m.json" eigenvalues | awk -F, '{ for (i = 2; i <= NF; i++) if ($i > $(i - 1)) exit 1 }'
    model_array "$T/m.json" explained_variance_ratio | awk -F, '{ for (i = 1; i <= NF; i++) s += $i; exit (s < 1 - 1e-12 || s > 1 + 1e-12) }'
}

@test "scores are the standardised row times the loadings (recomputed from the model in awk)" {
    nf-pca --components 2 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/out"
    model_array "$T/m.json" center > "$T/c"
    model_array "$T/m.json" scale > "$T/s"
    model_loadings "$T/m.json" > "$T/l"
    tail -n +2 "$T/nab.csv" | head -200 > "$T/x"
    to_csv "$T/out" pc1 pc2 | head -200 > "$T/ours"
    awk -F, 'FILENAME == ARGV[1] { split($0, c); next } FILENAME == ARGV[2] { split($0, s); next }
             FILENAME == ARGV[3] { n++; for (i = 1; i <= NF; i++) l[n, i] = $i; next }
             { for (k = 1; k <= n; k++) { v = 0; for (i = 1; i <= NF; i++) v += ($i - c[i]) / s[i] * l[k, i]
                                          printf "%s%.17g", (k > 1 ? "," : ""), v }
               print "" }' "$T/c" "$T/s" "$T/l" "$T/x" > "$T/manual"
    csv_close "$T/ours" "$T/manual" 1e-10
}

@test "--fit-rows N: fits on the first N rows only and projects the rest with that model" {
    nf-pca --components 2 --fit-rows 1000 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/out"
    grep -q '"n_fit":1000,' "$T/m.json"
    head -1000 "$T/nab.ndjson" > "$T/head"
    nf-pca --components 2 --save-model "$T/m2.json" "$T/head" > /dev/null
    cmp "$T/m.json" "$T/m2.json"
    nf-pca --model "$T/m.json" "$T/nab.ndjson" > "$T/projected"
    cmp "$T/out" "$T/projected"
}

@test "--fit-until TIME fits on the rows before TIME (text or epoch ms)" {
    nf-pca --components 2 --fit-until "2014-04-13 00:00:00" --save-model "$T/m.json" "$T/nab.ndjson" > "$T/a"
    n=$(awk -F'"' '$4 < "2014-04-13 00:00:00"' "$T/nab.ndjson" | wc -l)
    grep -q "\"n_fit\":$n," "$T/m.json"
    nf-pca --components 2 --fit-until 1397347200000 "$T/nab.ndjson" > "$T/b"
    cmp "$T/a" "$T/b"
}

@test "--save-model then --model gives identical output" {
    nf-pca --variance 0.9 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/a"
    nf-pca --model "$T/m.json" "$T/nab.ndjson" > "$T/b"
    cmp "$T/a" "$T/b"
}

@test "--model with --alpha recomputes the limits from the stored eigenvalues" {
    nf-pca --components 2 --alpha 0.05 "$T/nab.ndjson" > "$T/a"
    nf-pca --components 2 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    nf-pca --model "$T/m.json" --alpha 0.05 "$T/nab.ndjson" > "$T/b"
    cmp "$T/a" "$T/b"
}

@test "--model: an input without a model column is a data error (exit 1) naming it" {
    nf-pca --components 2 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    sed 's/"v3"/"w3"/' "$T/nab.ndjson" > "$T/renamed"
    run nf-pca --model "$T/m.json" "$T/renamed"
    [ "$status" -eq 1 ]
    [[ "$output" == *"the input has no column v3 of model"* ]]
}

@test "--model: a file that is not a model is refused with the reason" {
    echo '{"kind":"something-else"}' > "$T/bad.json"
    run nf-pca --model "$T/bad.json" "$T/nab.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"bad.json: \"kind\" is not \"nfshift-pca-model\""* ]]
    nf-pca --components 2 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    sed 's/"scale":\[[^]]*\]/"scale":[1,2]/' "$T/m.json" > "$T/short.json"
    run nf-pca --model "$T/short.json" "$T/nab.ndjson"
    [ "$status" -eq 1 ]
    [[ "$output" == *"\"scale\" must be an array of 5 numbers"* ]]
}

@test "a row with a missing, null, text or infinite value in a column is skipped with file:line and the column" {
    {
        head -3 "$T/nab.ndjson"
        echo '{"WINDOW_START":"2014-04-10 00:40:00","v0":1,"v1":null,"v2":3,"v3":4,"v4":5,"label":"nab"}'
        echo '{"WINDOW_START":"2014-04-10 00:45:00","v0":1,"v2":3,"v3":4,"v4":5,"label":"nab"}'
        echo '{"WINDOW_START":"2014-04-10 00:50:00","v0":1,"v1":2,"v2":"x","v3":4,"v4":5,"label":"nab"}'
        echo '{"WINDOW_START":"2014-04-10 00:55:00","v0":1,"v1":2,"v2":3,"v3":1e999,"v4":5,"label":"nab"}'
        tail -n +4 "$T/nab.ndjson"
    } > "$T/holes"
    run nf-pca --components 2 --rejects "$T/rej" "$T/holes"
    [[ "$output" == *"holes:7: v3: missing, null or not a finite number"* ]]
    [ "$status" -eq 0 ]
    [[ "$output" == *"holes:4: v1: missing, null or not a finite number"* ]]
    [[ "$output" == *"holes:5: v1: missing, null or not a finite number"* ]]
    [[ "$output" == *"holes:6: v2: missing, null or not a finite number"* ]]
    [[ "$output" == *"4 records skipped"* ]]
    [ "$(wc -l < "$T/rej")" -eq 4 ]
    grep -q '"WINDOW_START":"2014-04-10 00:45:00"' "$T/rej"
    # the other rows give exactly what they give without the bad ones
    nf-pca --components 2 "$T/nab.ndjson" > "$T/clean"
    nf-pca --components 2 "$T/holes" 2>/dev/null > "$T/out"
    cmp "$T/clean" "$T/out"
}

@test "--strict stops at the first row with a missing value, exit 1" {
    { head -3 "$T/nab.ndjson"; echo '{"WINDOW_START":"x1","v0":1,"v1":2,"v2":3,"v3":4,"label":"nab"}'; tail -n +4 "$T/nab.ndjson"; } > "$T/holes"
    run nf-pca --strict "$T/holes"
    [ "$status" -eq 1 ]
    [[ "$output" == *"holes:4:"* ]]
}

@test "a constant column is named in a warning, keeps scale 1 and gets z-score 0" {
    awk '{ sub(/,"label"/, ",\"const\":7,\"label\""); print }' "$T/nab.ndjson" > "$T/c.ndjson"
    run nf-pca --components 2 --save-model "$T/m.json" "$T/c.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"1 constant column in the fit rows (not scaled, z-score 0 there): const"* ]]
    grep -q '"columns":\["v0","v1","v2","v3","v4","const"\]' "$T/m.json"
    model_array "$T/m.json" scale | awk -F, '{ exit !($6 == 1) }'
    model_array "$T/m.json" center | awk -F, '{ exit !($6 == 7) }'
    # loadings on it are 0 and the other columns give what they give alone
    model_loadings "$T/m.json" | awk -F, '{ if ($6 != 0) exit 1 }'
    nf-pca --components 2 "$T/nab.ndjson" | to_csv /dev/stdin pc1 pc2 spe t2 > "$T/a"
    nf-pca --components 2 "$T/c.ndjson" 2>/dev/null | to_csv /dev/stdin pc1 pc2 spe t2 > "$T/b"
    csv_close "$T/b" "$T/a" 1e-12
}

@test "every column constant: a clear error" {
    printf '{"WINDOW_START":%d,"a":1,"b":2}\n' 1 2 3 > "$T/flat"
    run nf-pca "$T/flat"
    [ "$status" -eq 1 ]
    [[ "$output" == *"every used column is constant"* ]]
}

@test "fewer than 2 rows: a clear error; empty input: no output, exit 0" {
    head -1 "$T/nab.ndjson" > "$T/one"
    run nf-pca "$T/one"
    [ "$status" -eq 1 ]
    [[ "$output" == *"1 usable fit row: PCA needs at least 2"* ]]
    run nf-pca < /dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

@test "rows out of time order: a warning naming the first one; the result does not depend on order" {
    { sed -n 2p "$T/nab.ndjson"; sed -n 1p "$T/nab.ndjson"; tail -n +3 "$T/nab.ndjson"; } > "$T/swapped"
    run nf-pca --components 2 "$T/swapped"
    [ "$status" -eq 0 ]
    [[ "$output" == *"swapped:2: out of time order: WINDOW_START "*" is "*" earlier than the row before, "*"; rows are kept in input order (the first such row named)"* ]]
    nf-pca --components 2 "$T/nab.ndjson" 2>/dev/null | to_csv /dev/stdin pc1 pc2 spe t2 | sort > "$T/a"
    nf-pca --components 2 "$T/swapped" 2>/dev/null | to_csv /dev/stdin pc1 pc2 spe t2 | sort > "$T/b"
    csv_close "$T/b" "$T/a" 1e-10
}

@test "--columns / --exclude choose the columns; the others pass through (same values)" {
    nf-pca --columns 'v[0-2]' --components 1 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/out"
    grep -q '"columns":\["v0","v1","v2"\]' "$T/m.json"
    head -1 "$T/out" | grep -q '^{"WINDOW_START":"2014-04-10 00:24:00","v3":3203510,"v4":251643,"label":"nab","pc1":'
    nf-pca --exclude 'v3,v4' --components 1 --save-model "$T/m2.json" "$T/nab.ndjson" > "$T/out2"
    cmp "$T/m.json" "$T/m2.json"
    cmp "$T/out" "$T/out2"
}

@test "--no-scale centres only: scale 1 in the model, scores in the data's units" {
    nf-pca --no-scale --components 1 --save-model "$T/m.json" "$T/nab.ndjson" > /dev/null
    model_array "$T/m.json" scale | grep -qx '1,1,1,1,1'
    # the first eigenvalue is in bytes^2, far above what z-scores give
    model_array "$T/m.json" eigenvalues | awk -F, '{ exit !($1 > 1e12) }'
}

@test "| head ends quietly" {
    run bash -c "nf-pca --components 2 '$T/nab.ndjson' | head -1"
    [ "$status" -eq 0 ]
    [ "$(line_count)" -eq 1 ]
}

@test "all components kept: no residual space, spe_limit null with a warning, never flagged" {
    run nf-pca --variance 1 --save-model "$T/m.json" "$T/nab.ndjson"
    [ "$status" -eq 0 ]
    [[ "$output" == *"the 5 components hold all the variance: no residual space, spe_limit is null"* ]]
    grep -q '"components":5,' "$T/m.json"
    grep -q '"spe_limit":null,' "$T/m.json"
    nf-pca --variance 1 "$T/nab.ndjson" 2>/dev/null > "$T/out"
    run ! grep -q '"spe_flag":true' "$T/out"
    grep -q '"spe_limit":null,' "$T/out"
}

@test "--model: numeric keys that are not model columns pass through as in the fitting run" {
    nf-pca --columns 'v[0-2]' --components 2 --save-model "$T/m.json" "$T/nab.ndjson" > "$T/a"
    nf-pca --model "$T/m.json" "$T/nab.ndjson" > "$T/b"
    cmp "$T/a" "$T/b"
    head -1 "$T/b" | grep -q '"v3":3203510,"v4":251643,"label":"nab","pc1":'
}

@test "more columns than rows: K stays within the rank, noise eigenvalues are 0, no SPE limit on noise" {
    awk 'NR <= 4' "$T/nab.ndjson" > "$T/few"
    run nf-pca --save-model "$T/m.json" "$T/few"
    [ "$status" -eq 0 ]
    grep -q '"components":[1-3],' "$T/m.json"
    model_array "$T/m.json" eigenvalues | awk -F, '{ exit !($5 == 0) }'
    run nf-pca --components 5 "$T/few"
    [ "$status" -eq 1 ]
    [[ "$output" == *"--components 5: only 3 components have non-zero variance"* ]]
}
