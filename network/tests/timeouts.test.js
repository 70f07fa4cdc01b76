'use strict';
// The one timeout setting (docs/operations.md, "Timeouts"): LEDGER_TIMEOUT gives the gateways' call
// deadline (into the connection files) and a third of it the peers' endorsement timeout; records
// written before the setting existed derive it from their ENDORSEMENT_TIMEOUT.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, SCRIPTS_DIR } = require('./helpers');

function settingsShell(lines, env = {}) {
  const script = [
    'set -euo pipefail',
    `source ${SCRIPTS_DIR}/utils.sh`,
    `source ${SCRIPTS_DIR}/settings.sh`,
    ...lines,
  ].join('\n');
  return run('bash', ['-c', script], { env: { NETWORK_CONFIG: '/dev/null', ...env } });
}

test('LEDGER_TIMEOUT 30s (default): gateways 30000 ms, peers 10s', () => {
  const result = settingsShell([
    'load_settings',
    'echo "$LEDGER_TIMEOUT $LEDGER_TIMEOUT_MS $ENDORSEMENT_TIMEOUT"',
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '30s 30000 10s');
});

test('a configured LEDGER_TIMEOUT derives both; the peers get a third, rounded up', (t) => {
  const dir = tempDir(t);
  const config = path.join(dir, 'network.config');
  fs.writeFileSync(config, 'LEDGER_TIMEOUT=50s\n');
  const result = settingsShell(
    ['load_settings', 'echo "$LEDGER_TIMEOUT_MS $ENDORSEMENT_TIMEOUT"'],
    { NETWORK_CONFIG: config },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '50000 17s');
});

test('LEDGER_TIMEOUT that is not whole seconds is refused by validate_settings', (t) => {
  const dir = tempDir(t);
  const config = path.join(dir, 'network.config');
  fs.writeFileSync(config, 'LEDGER_TIMEOUT=1500ms\n');
  const result = settingsShell(['load_settings', 'validate_settings || true'], {
    NETWORK_CONFIG: config,
  });
  assert.match(result.stdout, /LEDGER_TIMEOUT must be whole seconds like 30s \(got '1500ms'\)/);
});

test('a network recorded before LEDGER_TIMEOUT keeps its endorsement timeout and gets three times it for the gateways', (t) => {
  const state = tempDir(t);
  fs.writeFileSync(path.join(state, 'network.env'), 'CONSENSUS=bft\nENDORSEMENT_TIMEOUT=10s\n');
  const result = settingsShell(
    ['load_recorded_settings', 'echo "$LEDGER_TIMEOUT $LEDGER_TIMEOUT_MS $ENDORSEMENT_TIMEOUT"'],
    { NETWORK_STATE_DIR: state },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '30s 30000 10s');
});
