#!/usr/bin/env bash
# Runs the `demo-round` benchmark: the demo federation on the real Fabric network against the
# in-process ledger, alternating; --help lists its flags, --quick makes it a short smoke run.
# Needs the Fabric tools and no other network in network/state; waits for the network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench demo-round "$@"
