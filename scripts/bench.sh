#!/usr/bin/env bash
# `npm run bench`: installs and builds what is missing, then runs bench/run-all.sh with the given
# arguments (`npm run bench -- --quick`, `npm run bench -- aggregation training`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_deps
build_all
exec bash bench/run-all.sh "$@"
