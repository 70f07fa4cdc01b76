#!/usr/bin/env bash
# Runs the `large-model` benchmark on the real network of network/network.sh: the blob path (ADR
# 0022) at 1M, 5M and 25M parameters against the private-data path at 1M and 5M, medians over
# rounds of 3 concurrent submits and of the aggregate step, peak RSS of the network; --help lists
# its flags. About 15 minutes on 2 cores. Needs the Fabric tools and no other network in
# network/state; waits for the network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench large-model "$@"
