#!/usr/bin/env bash
# Runs the `large-round` benchmark: the round anatomy of the demo federation on the real Fabric network
# (one gateway process per org, in a network namespace) with 1M- and 5M-parameter models on the blob
# path; --help lists its flags. Needs root (ip netns) and the Fabric tools; waits for the network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench large-round "$@"
