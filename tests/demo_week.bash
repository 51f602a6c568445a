# The demo's generated week (scripts/demo, step 1a) up to nf-decompose
# --keep adjusted, built once per bats file into $1: features.ndjson,
# components.ndjson, adjusted.ndjson (batch STL over the whole week) and
# changepoints.ndjson (batch nf-pelt --sigma auto --min-seg-len 12, the pipeline's scale).
make_demo_week() {
    local d=$1
    python3 "$NF_TOP/bench/generate-flows" --days 7 --rate 0.5 --seed 1 --start 2019-04-04T00:00:00 \
        --shift +81h:new-udp-service --shift +134h:egress-step --shift +147h:scan \
        --truth "$d/truth.ndjson" -o "$d/flows.csv"
    nf-parse "$d/flows.csv" | nf-window | nf-features --internal 10.8.0.0/16 >"$d/features.ndjson"
    nf-pca --save-model "$d/model.json" <"$d/features.ndjson" >"$d/components.ndjson"
    nf-decompose --period 1d --robust --columns 'pc*' --keep adjusted \
        <"$d/components.ndjson" >"$d/adjusted.ndjson"
    nf-pelt --sigma auto --min-seg-len 12 --columns '*_adjusted' <"$d/adjusted.ndjson" >"$d/changepoints.ndjson"
}
