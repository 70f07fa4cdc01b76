#!/usr/bin/env bash
# Runs the `fabric` benchmark on the real network of network/network.sh (up, deployCC, submits,
# evaluates, down per orderer BatchTimeout); --help lists its flags, --quick makes it a short smoke run.
# Needs the Fabric tools (network.sh finds them; it fails with exit 3 where they cannot be obtained)
# and no other network in network/state; waits for the e2e tests' network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench fabric "$@"
