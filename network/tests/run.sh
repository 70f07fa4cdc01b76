#!/usr/bin/env bash
# Run the network tooling tests (node:test, no Fabric binaries needed) and print "N passed, M failed".
# usage: bash network/tests/run.sh [test-file ...]
set -euo pipefail

TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$TESTS_DIR"
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  files=(./*.test.js)
fi

report="$(mktemp "${TMPDIR:-/tmp}/fedledger-network-tests.XXXXXX")"
trap 'rm -f "$report"' EXIT

status=0
# One file at a time: the tests start processes and bind ports, and the machine is small.
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$report" "${files[@]}" || status=$?

passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$report")"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$report")"
skipped="$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$report")"
if [[ "${skipped:-0}" != 0 ]]; then
  echo "${skipped} skipped (see the reasons above)"
fi
echo "${passed:-0} passed, ${failed:-0} failed"
if [[ "$status" != 0 || "${failed:-0}" != 0 || -z "$passed" ]]; then
  exit 1
fi
