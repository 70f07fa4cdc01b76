#!/usr/bin/env bash
# Unit and API tests of core, the simulator, chaincode, gateway, the demo and the bench harness, with line coverage gates on core, the simulator and chaincode.
# No network or Fabric binaries needed. Writes a TAP copy of the results to $FEDLEDGER_TAP_DIR if set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# npm test runs as a machine WITHOUT the optional native backend (ADR 0021), wherever it runs:
# an empty native directory. `npm run test:native` covers the machine with it.
if [[ -z "${FEDLEDGER_NATIVE_DIR:-}" ]]; then
  FEDLEDGER_NATIVE_DIR=$(mktemp -d)
  export FEDLEDGER_NATIVE_DIR
  trap 'rm -rf "$FEDLEDGER_NATIVE_DIR"' EXIT
fi
ensure_node_deps
build_all

coverage_dir=coverage/unit
# fabric-contract-api logs at info level when loaded; keep test output readable.
export CORE_CHAINCODE_LOGGING_LEVEL=${CORE_CHAINCODE_LOGGING_LEVEL:-WARNING}
tap_dir=${FEDLEDGER_TAP_DIR:-coverage/tap}
rm -rf "$coverage_dir"
mkdir -p "$tap_dir"
infoln "unit + API tests (node --test) with coverage"
# c8 remaps dist/ to src/ through source maps; excluding dist/ would drop every file before remapping.
npx c8 --temp-directory "$coverage_dir/tmp" --report-dir "$coverage_dir" \
  --reporter=text-summary --reporter=json-summary \
  --all --src core/src --src simulator/src --src chaincode/src --src gateway/src --src demo/src \
  --exclude '**/*.test.*' --exclude 'node_modules/**' --exclude 'gateway/src/main.ts' \
  node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap_dir/unit.tap" \
  core/dist simulator/dist chaincode/dist gateway/dist demo/dist bench/dist

# Coverage gate (issue 3): at least 90% of lines in core and chaincode.
node scripts/check-coverage.js "$coverage_dir/coverage-summary.json" 90 core simulator chaincode
