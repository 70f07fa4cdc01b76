#!/usr/bin/env bash
# Runs the `flower-deployed` benchmark: the demo federation on the real Fabric network (one gateway
# process per org) against Flower deployed (SuperLink + one SuperNode per org), each in a network
# namespace of its own; --help lists its flags, --quick makes it a short smoke run (3 orgs, 3 rounds).
# Needs root (ip netns), the Fabric tools and no other network in network/state; waits for the network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench flower-deployed "$@"
