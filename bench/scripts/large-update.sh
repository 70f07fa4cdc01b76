#!/usr/bin/env bash
# Runs the `large-update` benchmark on the real network of network/network.sh: per model size, a
# fresh network, CreateFederation, 3 concurrent SubmitUpdate and Aggregate, with CPU seconds per
# process, peer metrics and a Go CPU profile of one peer; --help lists its flags.
# Needs the Fabric tools and Go (go tool pprof), no other network in network/state; waits for the
# network lock.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench large-update "$@"
