#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, builds, then runs
#   1. unit + API tests with coverage gates (scripts/test-unit.sh),
#   2. lint and format checks (`npm run lint`: eslint strictTypeChecked, prettier --check),
#   3. the network scripts' own tests (network/tests/run.sh),
#   4. end-to-end tests (test/): the demo smoke test, gateway processes against the gRPC peer double,
#      and the real-network tests, which bring Fabric up and down with network/network.sh (reported
#      skipped, with the reason, where the Fabric tools cannot be obtained), and the web console's
#      browser tests in headless Chromium against gateways on the real network.
# Ends with one line `tests: N passed, N failed, N skipped` over the tests (lint failures fail the run
# too and are printed above that line).
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

tap_dir=coverage/tap
rm -rf "$tap_dir"
mkdir -p "$tap_dir"
export FEDLEDGER_TAP_DIR=$PWD/$tap_dir
status=0

bash scripts/test-unit.sh || status=1

# After the build: type-aware lint reads the other workspaces' declarations from their dist/.
infoln "lint (eslint, typescript-eslint strictTypeChecked) and format (prettier --check)"
lint_status=ok
npm run lint --silent || { status=1; lint_status=FAILED; }

infoln "network script tests"
ensure_shellcheck
bash network/tests/run.sh 2>&1 | tee "$tap_dir/network.log" || status=1

infoln "end-to-end tests (demo smoke, gRPC double, real Fabric network, web console in Chromium)"
ensure_chromium
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap_dir/e2e.tap" test/dist || status=1

node scripts/summarize-tests.js "$tap_dir"
infoln "lint and format: $lint_status"
exit "$status"
