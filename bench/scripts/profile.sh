#!/usr/bin/env bash
# CPU-profiles one of the two biggest costs measured by the benchmarks and prints the top functions.
#
#   bench/scripts/profile.sh training      local training (gateway trainLocal, tfjs wasm + BatchMatMul fix, demo MLP)
#   bench/scripts/profile.sh aggregation   5M parameters × 10 updates, FedAvg and median, direct and chaincode path
#
# Profiles go to bench/.profiles/ (git-ignored); open them in Chrome DevTools for the full tree.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
target="${1:-training}"
out="$bench_dir/.profiles/$target"
rm -rf "$out" && mkdir -p "$out"
ensure_built
case "$target" in
  training)
    job='{"backend":"wasm","wasmMatMulFix":true,"scenario":{"rows":10000,"orgs":3,"split":"iid","testFraction":0.2,"hiddenUnits":[32,16],"seed":42},"epochs":10,"batchSize":32,"learningRate":0.005,"repeats":1}'
    node --cpu-prof --cpu-prof-dir "$out" "$bench_dir/dist/benches/training-worker.js" "$job" >/dev/null ;;
  aggregation)
    node --cpu-prof --cpu-prof-dir "$out" "$bench_dir/dist/benches/aggregation.js" --params 5000000 --updates 10 --results-dir "$out" >/dev/null ;;
  -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown profile target: $target (training or aggregation)" >&2; exit 2 ;;
esac
for profile in "$out"/*.cpuprofile; do
  echo "## $target: $(basename "$profile")"
  node "$bench_dir/dist/profile/summarize.js" "$profile" 15
done
