#!/usr/bin/env bash
# REST fuzzing (`npm run test:fuzz`): schemathesis, from the committed OpenAPI document, against a
# gateway on a real Fabric network; fails on any 5xx. schemathesis is installed (pinned) from PyPI
# into a virtual environment under ~/.cache/fedledger the first time. Reports in coverage/fuzz/.
# FEDLEDGER_FUZZ_EXAMPLES sets the examples per operation and role (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SCHEMATHESIS_VERSION=4.32.5
venv="${FEDLEDGER_CACHE_DIR:-$HOME/.cache/fedledger}/schemathesis-${SCHEMATHESIS_VERSION}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  command -v python3 >/dev/null || fatalln "python3 is required to install schemathesis"
  infoln "installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (pip, PyPI)"
  python3 -m venv "$venv" || fatalln "could not create a virtual environment in ${venv} (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet "schemathesis==${SCHEMATHESIS_VERSION}" || fatalln "pip could not install schemathesis==${SCHEMATHESIS_VERSION}"
fi
ensure_node_deps
build_all
infoln "REST fuzz against a gateway on the real network"
FEDLEDGER_SCHEMATHESIS="$venv/bin/schemathesis" node --test --test-reporter=spec test/dist/fuzz/api-fuzz.js
