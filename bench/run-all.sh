#!/usr/bin/env bash
# Runs every benchmark in turn, each printing its table and writing bench/results/<name>.json.
#
#   bench/run-all.sh [--quick] [name ...]     names: aggregation training quality server-lr attacks privacy round flower scaling fabric demo-round large-update demo-seeds flower-deployed large-model large-round
#
# The first run also prepares bench/.venv (Debian's PyTorch via apt, Flower via pip) for the
# training and flower benchmarks. About 5–7 min on 2 cores (plus the one-off install); --quick ~1–2 min.
# `server-lr` ~1 min; `attacks` (124 federations of 4 or 8 orgs, Shapley values at 4 and 8 orgs) ~15 min on an idle machine, 38 min at load 7–15.
# `demo-seeds` runs the demo in process for seeds 1–10: ~2.5 min idle, 4 min at load 11.
# `fabric` brings up the real network (network/network.sh) once per consensus (bft, raft) and BatchTimeout: ~3 min more, ~1 min with --quick.
# `demo-round` runs the demo 3 times on Fabric per consensus (bft, raft) and 3 times in process: ~5 min more, ~1.5 min with --quick.
# `large-update` brings up the network per model size (1M, 5M parameters) and profiles a peer: ~2.5 min more.
# `flower-deployed` runs the demo federation on Fabric and in Flower deployed at 3 and 5 orgs (+ a 250ms BatchTimeout run), each
#   system in its own network namespace (needs root): ~15 min at load 10, ~5 min with --quick.
# `large-model` runs the blob path (1M, 5M, 25M) and the private-data path (1M, 5M) on two networks: ~7 min more.
# `large-round` runs the demo federation on Fabric with 1M- and 5M-parameter models on the blob path (round anatomy, §4c; needs root): ~5 min.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/common.sh"

all=(aggregation training quality server-lr attacks privacy round flower scaling fabric demo-round large-update demo-seeds flower-deployed large-model large-round)
flags=()
names=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*) flags+=("$arg") ;;
    *) names+=("$arg") ;;
  esac
done
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
for name in "${names[@]}"; do
  [[ " ${all[*]} " == *" $name "* ]] || { echo "unknown benchmark: $name (choose from ${all[*]})" >&2; exit 2; }
done

# A --quick run is a smoke test: keep its results apart from the committed record of the last full run.
results_dir="$bench_dir/results"
[[ " ${flags[*]:-} " == *" --quick "* ]] && results_dir="$bench_dir/results/quick"
flags+=(--results-dir "$results_dir")

ensure_built
export FEDLEDGER_BENCH_SKIP_BUILD=1
started=$SECONDS
echo "Benchmarks: ${names[*]} ${flags[*]:-}"
echo "The ledger numbers of aggregation, round and scaling are chaincode logic in process, no peers/orderer/gossip/endorsement. \`fabric\`, \`demo-round\`, \`large-update\` and \`flower-deployed\` run the real network (network/network.sh); they fail, rather than guess, where the Fabric tools cannot be obtained."
for name in "${names[@]}"; do
  echo
  echo "=== $name ($(date -u +%H:%M:%S) UTC)"
  bash "$bench_dir/scripts/$name.sh" ${flags[@]+"${flags[@]}"}
done
echo
if [ "$results_dir" = "$bench_dir/results" ] && [ -f "$repo_dir/docs/performance.md" ]; then
  node "$bench_dir/dist/report/doc-tables.js" "$repo_dir/docs/performance.md" "$results_dir"
fi
echo "All benchmarks done in $((SECONDS - started)) s; results in $results_dir/"
