#!/usr/bin/env bash
# `npm run demo -- [options]`: the multi-hospital demo (three hospitals + an auditor org).
# Sets itself up on a fresh clone (npm ci when needed, tsc -b), then runs the demo CLI with the
# arguments passed through, e.g. `npm run demo -- --rounds 5 --ledger in-process`.
# See `npm run demo -- --help`. The CLI itself tears down everything it started (also on Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_deps
build_all
# exec: the CLI becomes this process, so Ctrl-C and SIGTERM reach it directly.
exec node demo/dist/main.js "$@"
