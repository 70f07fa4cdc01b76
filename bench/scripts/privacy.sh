#!/usr/bin/env bash
# Runs the `privacy` benchmark; --help lists its flags, --quick makes it a short smoke run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run_bench privacy "$@"
