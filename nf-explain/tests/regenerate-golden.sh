#!/usr/bin/env bash
# Rewrites nf-explain's golden files from the current build. Run after a
# deliberate change of the report wording, or when an upstream tool changes
# what the real pipeline writes (pipeline-ctu-flow-top1.md); review the diff.
#   nf-explain/tests/regenerate-golden.sh [BUILD_BIN]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
export PATH="${1:-$top/build/bin}:$PATH"
fix=$here/fixtures gold=$here/golden tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nf-explain --features "$fix/step-features.ndjson" --model "$fix/step-model.json" \
    "$fix/step-changepoints.ndjson" >"$gold/step-changepoint.md"
zcat "$fix/ctu-scored.ndjson.gz" >"$tmp/scored.ndjson"
zcat "$fix/ctu-ctx.ndjson.gz" >"$tmp/ctx.ndjson"
nf-explain --score spe --top 1 "$tmp/scored.ndjson" --features "$tmp/ctx.ndjson" --model "$fix/ctu-model.json" \
    >"$gold/ctu-flow-top1.md"
nf-parse "$top/data/ctu-argus-24h.binetflow" | nf-window --flows | nf-features --per-flow >"$tmp/pctx.ndjson"
nf-pca --exclude 'ID,L4_*,PROTOCOL_NUM,TCP_FLAGS,*_SWITCHED,WINDOW_END,FLOWS,*_TOS' --save-model "$tmp/model.json" \
    <"$tmp/pctx.ndjson" >"$tmp/pscored.ndjson" 2>/dev/null
nf-explain --flagged --score spe --top 1 "$tmp/pscored.ndjson" --features "$tmp/pctx.ndjson" --model "$tmp/model.json" \
    >"$gold/pipeline-ctu-flow-top1.md"
git -C "$top" diff --stat -- "$gold"
