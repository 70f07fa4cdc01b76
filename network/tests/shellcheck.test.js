'use strict';
// Every shell entry point (and, through -x, every library it sources) is shellcheck-clean.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { run, NETWORK_DIR } = require('./helpers');

const ENTRY_POINTS = [
  'network.sh',
  'scripts/build-fabric-tools.sh',
  'scripts/render-node-config.sh',
  'scripts/package-ccaas.sh',
  'builders/ccaas/bin/detect',
  'builders/ccaas/bin/build',
  'builders/ccaas/bin/release',
  'tests/run.sh',
];

const available = spawnSync('shellcheck', ['--version']).status === 0;

test(
  'shell scripts pass shellcheck',
  { skip: available ? false : 'shellcheck is not installed (apt-get install shellcheck)' },
  () => {
    const result = run('shellcheck', ['-x', ...ENTRY_POINTS], { cwd: NETWORK_DIR });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  },
);
