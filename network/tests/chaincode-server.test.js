'use strict';
// deployCC's chaincode-server step with the REAL chaincode package and fabric-chaincode-node: the
// launchers start one server per org, each loads the contracts and listens on its port (a peer
// would dial it there), and `down` stops them. No peer is involved, so this does not show that a
// peer can drive the chaincode; it shows the server side of chaincode-as-a-service starts as launched.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, network, tempDir, freeBasePort, isAlive, SCRIPTS_DIR } = require('./helpers');

test('chaincode servers start from their launchers with the real chaincode and stop with down', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  const script = [
    'set -euo pipefail',
    `source ${SCRIPTS_DIR}/utils.sh`,
    `source ${SCRIPTS_DIR}/settings.sh`,
    `source ${SCRIPTS_DIR}/hosts.sh`,
    `source ${SCRIPTS_DIR}/process.sh`,
    `source ${SCRIPTS_DIR}/chaincode.sh`,
    'load_settings',
    `MEMBER_ORGS=1 BASE_PORT=${base} WAIT_ATTEMPTS=60 WAIT_DELAY=0.5`,
    'ensure_chaincode_built',
    'for key in org1 auditor; do mkdir -p "$(chaincode_state_dir $key)"; echo "fedledger_1.0:test-$key" >"$(chaincode_state_dir $key)/package-id"; done',
    'start_chaincode_servers',
  ].join('\n');
  let pids = [];
  try {
    const result = run('bash', ['-c', script], {
      env: { NETWORK_STATE_DIR: state, NETWORK_CONFIG: '/dev/null', FEDLEDGER_CHAINCODE_DIR: '' },
    });
    pids = ['cc.org1', 'cc.auditor']
      .map((c) => path.join(state, 'pids', `${c}.pid`))
      .filter((f) => fs.existsSync(f))
      .map((f) => Number(fs.readFileSync(f, 'utf8').split(' ')[0]));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(pids.length, 2);
    const launcher = fs.readFileSync(path.join(state, 'run', 'cc.org1.sh'), 'utf8');
    assert.match(
      launcher,
      new RegExp(
        `server --chaincode-address 127\\.0\\.0\\.1:${base + 103} --chaincode-id fedledger_1\\.0:test-org1\\n$`,
      ),
    );
    assert.match(launcher, /^cd .*\/chaincode$/m);
    for (const component of ['cc.org1', 'cc.auditor']) {
      assert.match(
        fs.readFileSync(path.join(state, 'logs', `${component}.log`), 'utf8'),
        /Bootstrap process completed/,
      );
    }
  } finally {
    assert.equal(network(['down'], state).status, 0);
  }
  for (const pid of pids) assert.equal(isAlive(pid), false);
});
