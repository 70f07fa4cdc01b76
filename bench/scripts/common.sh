# Shared by the per-benchmark scripts: resolve paths and make sure the TypeScript is built.
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_dir="$(cd "$bench_dir/.." && pwd)"

# Builds bench and everything it references (core, chaincode, gateway) unless FEDLEDGER_BENCH_SKIP_BUILD=1.
ensure_built() {
  if [ "${FEDLEDGER_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    (cd "$repo_dir" && npx tsc -b bench) || { echo "bench: build failed" >&2; exit 1; }
  fi
}

# Runs one compiled benchmark with the given flags.
run_bench() {
  local name="$1"
  shift
  ensure_built
  node "$bench_dir/dist/benches/$name.js" "$@"
}
