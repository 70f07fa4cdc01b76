#!/usr/bin/env bash
# `npm run test:native`: the native TensorFlow backend end to end, kept out of `npm test` because it
# needs the 274 MB TensorFlow wheel (cached in ~/.cache/fedledger/wheels after the first run) and a
# ~40 s build. 1. builds the native backend from scratch (`setup:native --force`; the cached wheel is
# re-verified by its SHA-256, not downloaded again); 2. runs the image federation (cnn preset, digits
# split across three hospitals) for 5 rounds on a real Fabric network; 3. checks that a process that
# loaded the native backend exits cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_deps
build_all

infoln "native backend: full build (setup:native --force)"
node gateway/dist/ml/native/setup-main.js --force

infoln "image federation on Fabric with the native backend"
export CORE_CHAINCODE_LOGGING_LEVEL=${CORE_CHAINCODE_LOGGING_LEVEL:-WARNING}
node --test --test-reporter=spec test/dist/native/clean-exit.native.js test/dist/native/image-federation.native.js
