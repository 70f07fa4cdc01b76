'use strict';
// Contract with the chaincode package: deployCC's render step run against the real
// chaincode/deploy/render-deploy-config.js (building the chaincode first if dist/ is missing,
// exactly as deployCC does) yields a collections file and a signature policy the peer CLI accepts.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, SCRIPTS_DIR } = require('./helpers');

test("deployCC renders the chaincode package's collections config and majority policy", (t) => {
  const state = path.join(tempDir(t), 'state');
  const script = [
    'set -euo pipefail',
    `source ${SCRIPTS_DIR}/utils.sh`,
    `source ${SCRIPTS_DIR}/settings.sh`,
    `source ${SCRIPTS_DIR}/chaincode.sh`,
    'load_settings',
    'MEMBER_ORGS=3',
    'ensure_chaincode_built >/dev/null',
    'render_deploy_config >/dev/null',
    'printf "%s\\n" "$COLLECTIONS_FILE" "${POLICY_ARGS[@]}"',
  ].join('\n');
  const result = run('bash', ['-c', script], {
    env: { NETWORK_STATE_DIR: state, NETWORK_CONFIG: '/dev/null', FEDLEDGER_CHAINCODE_DIR: '' },
  });
  assert.equal(result.status, 0, result.stderr);
  const [collectionsFile, policyFlag, policy] = result.stdout.trim().split('\n');
  assert.equal(collectionsFile, path.join(state, 'chaincode', 'deploy', 'collections-config.json'));
  assert.equal(policyFlag, '--signature-policy');
  assert.equal(policy, "OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')");
  const collections = JSON.parse(fs.readFileSync(collectionsFile, 'utf8'));
  assert.ok(Array.isArray(collections) && collections.length > 0);
  for (const collection of collections) {
    assert.equal(typeof collection.name, 'string');
    assert.doesNotMatch(
      collection.policy,
      /AuditorMSP/,
      'the auditor never reads member collections',
    );
  }
});
