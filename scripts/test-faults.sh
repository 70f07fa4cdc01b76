#!/usr/bin/env bash
# The fault matrix (`npm run test:faults`): a federation on the netns layout (each org in its own
# network namespace; needs root), one fault per round: SIGKILL of a peer, an orderer node, a
# chaincode server and gateways (during training and after the last epoch), SIGTERM of a gateway,
# a participant that never returns. Prints the matrix and writes coverage/faults/fault-matrix.json.
# The partition case runs in `npm test` (test/src/hosts-netns.e2e.test.ts). About 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_deps
build_all
infoln "fault matrix on the netns layout (real Fabric)"
node --test --test-reporter=spec test/dist/faults/fault-matrix.js
