#!/usr/bin/env bash
# Runs the `demo-seeds` benchmark (the demo's goal for seeds 1–10 with its defaults); --help lists its flags.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench demo-seeds "$@"
