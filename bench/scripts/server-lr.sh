#!/usr/bin/env bash
# Runs the `server-lr` benchmark (FedAdam server learning rates); --help lists its flags.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench server-lr "$@"
