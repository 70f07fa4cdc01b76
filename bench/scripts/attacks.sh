#!/usr/bin/env bash
# Runs the `attacks` benchmark (poisoning attacks vs strategies, contributions); --help lists its flags.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench attacks "$@"
