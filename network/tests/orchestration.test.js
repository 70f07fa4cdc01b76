'use strict';
// network.sh up → status → deployCC → restart → down end to end against fake-fabric/fake.js, a
// stand-in for the Fabric CLIs and daemons. This exercises the scripts' sequencing, launchers, PID
// records, health waits, joins, lifecycle steps and connection files. It does NOT show that the
// scripts work with real Fabric binaries (they cannot be obtained on the development machine).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { network, tempDir, writeExecutable, freeBasePort, isAlive } = require('./helpers');

const FAKE = path.join(__dirname, 'fake-fabric', 'fake.js');
const TOOLS = ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen', 'configtxlator'];

/**
 * A fake Fabric install (bin/ + config/, laid out as a release bundle root's v3.1.5/) and a
 * stand-in chaincode package.
 */
function fakeWorld(dir) {
  const fabric = path.join(dir, 'bundle', 'v3.1.5');
  for (const tool of TOOLS)
    writeExecutable(
      path.join(fabric, 'bin', tool),
      `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" ${tool} "$@"\n`,
    );
  fs.mkdirSync(path.join(fabric, 'config'));
  fs.writeFileSync(
    path.join(fabric, 'config', 'core.yaml'),
    'peer:\n    id: jdoe\nvm:\n    endpoint: unix:///var/run/docker.sock\nchaincode:\n    externalBuilders: []\n',
  );
  fs.writeFileSync(
    path.join(fabric, 'config', 'orderer.yaml'),
    'General:\n    BootstrapMethod: file\n',
  );
  const chaincode = path.join(dir, 'chaincode');
  fs.mkdirSync(path.join(chaincode, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(chaincode, 'dist', 'index.js'), 'module.exports = {};\n');
  fs.writeFileSync(path.join(chaincode, 'package.json'), '{"main":"dist/index.js"}\n');
  fs.mkdirSync(path.join(chaincode, 'deploy'));
  fs.writeFileSync(
    path.join(chaincode, 'deploy', 'render-deploy-config.js'),
    `const fs = require('fs'); const a = process.argv; const orgs = a[a.indexOf('--member-orgs') + 1].split(',');
     fs.writeFileSync(a[a.indexOf('--out') + 1] + '/collections-config.json', JSON.stringify([{ name: 'fedledgerMemberWeights', orgs }]));
     console.log("OutOf(" + (Math.floor(orgs.length / 2) + 1) + ", " + orgs.map((o) => "'" + o + ".peer'").join(', ') + ")");\n`,
  );
  writeExecutable(
    path.join(chaincode, 'node_modules', '.bin', 'fabric-chaincode-node'),
    `process.argv.splice(2, 1, 'chaincode-server'); require(${JSON.stringify(FAKE)});\n`,
  );
  fs.writeFileSync(path.join(dir, 'network.config'), 'WAIT_ATTEMPTS=50\nWAIT_DELAY=0.2\n');
  return {
    FABRIC_BIN: path.join(fabric, 'bin'),
    FABRIC_CONFIG_DIR: path.join(dir, 'config'),
    FAKE_FABRIC_STATE: path.join(dir, 'world.json'),
    FEDLEDGER_CHAINCODE_DIR: chaincode,
    NETWORK_CONFIG: path.join(dir, 'network.config'),
  };
}

function recordedPids(state) {
  const dir = path.join(state, 'pids');
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .map((f) => [
        path.basename(f, '.pid'),
        Number(fs.readFileSync(path.join(dir, f), 'utf8').split(' ')[0]),
      ]),
  );
}

test('up, status, deployCC, restart, logs and down against the fake Fabric', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const env = fakeWorld(dir);
  const base = await freeBasePort(120);
  const sh = (...args) => network(args, state, env);
  let pids = {};
  try {
    // BFT (the default) with 2 members + the auditor: 3 orderers, accepted only with the flag.
    const up = sh('up', '--orgs', '2', '--base-port', String(base), '--allow-no-fault-tolerance');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /network up: 3 orderer\(s\) \(bft\), 3 peers on channel fedledger/);
    assert.match(
      up.stderr,
      /WARNING: --allow-no-fault-tolerance: BFT ordering with 3 orderer node\(s\).* tolerates no faulty node/,
    );
    pids = recordedPids(state);
    assert.deepEqual(Object.keys(pids).sort(), [
      'orderer1',
      'orderer2',
      'orderer3',
      'peer.auditor',
      'peer.org1',
      'peer.org2',
    ]);
    // Each org's orderer runs in that org's ordering MSP, and its admin joins it.
    const orderer3 = fs.readFileSync(path.join(state, 'run', 'orderer3.sh'), 'utf8');
    assert.match(orderer3, /^export ORDERER_GENERAL_LOCALMSPID=AuditorOrdererMSP$/m);
    assert.match(
      orderer3,
      /ordererOrganizations\/orderer\.auditor\.example\.com\/orderers\/orderer3\.orderer\.auditor\.example\.com\/msp/,
    );
    for (const pid of Object.values(pids)) assert.ok(isAlive(pid));

    const core = fs.readFileSync(path.join(dir, 'config', 'core.yaml'), 'utf8');
    assert.match(core, /externalBuilders: \[\{"name":"fedledger-ccaas"/);
    const org2 = JSON.parse(fs.readFileSync(path.join(state, 'connections', 'org2.json'), 'utf8'));
    assert.equal(org2.mspId, 'Org2MSP');
    assert.equal(org2.peer.endpoint, `127.0.0.1:${base + 110}`);
    assert.equal(org2.peer.hostAlias, 'peer0.org2.example.com');
    assert.deepEqual(Object.keys(org2.identities), ['admin', 'user1', 'user2']);
    assert.ok(fs.existsSync(org2.identities.user2.keyPath));
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(state, 'connections', 'auditor.json'), 'utf8')).mspId,
      'AuditorMSP',
    );
    assert.match(
      fs.readFileSync(path.join(state, 'logs', 'peer.org1.log'), 'utf8'),
      /fake peer peer0\.org1\.example\.com started/,
    );

    const status = sh('status');
    assert.equal(status.status, 0, status.stdout + status.stderr);
    assert.match(
      status.stdout,
      new RegExp(
        `^peer\\.org2 +${pids['peer.org2']} +up +127\\.0\\.0\\.1:${base + 110} +height 1$`,
        'm',
      ),
    );

    const deploy = sh('deployCC');
    assert.equal(deploy.status, 0, deploy.stdout + deploy.stderr);
    assert.doesNotMatch(deploy.stderr, /ERROR|status 141/);
    assert.match(deploy.stdout, /endorsement policy: OutOf\(2, 'Org1MSP\.peer', 'Org2MSP\.peer'\)/);
    assert.match(
      deploy.stdout,
      /consortium initialized: Org1MSP,Org2MSP as members, AuditorMSP as auditor/,
    );
    const world = JSON.parse(fs.readFileSync(env.FAKE_FABRIC_STATE, 'utf8'));
    assert.deepEqual(world.consortium.members, [
      { mspId: 'Org1MSP', role: 'member' },
      { mspId: 'Org2MSP', role: 'member' },
      { mspId: 'AuditorMSP', role: 'auditor' },
    ]);
    assert.deepEqual(world.consortium.endorsers, [
      `127.0.0.1:${base + 100}`,
      `127.0.0.1:${base + 110}`,
    ]);
    assert.deepEqual(Object.keys(world.approvals).sort(), ['AuditorMSP', 'Org1MSP', 'Org2MSP']);
    const ids = new Set(Object.values(world.approvals).map((a) => a.id));
    assert.equal(
      ids.size,
      3,
      'each org approves its own package (its own chaincode server address)',
    );
    pids = recordedPids(state);
    assert.ok(['cc.org1', 'cc.org2', 'cc.auditor'].every((c) => isAlive(pids[c])));

    const again = sh('deployCC');
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /already installed/);
    assert.match(again.stdout, /chaincode definition sequence 2/);
    assert.match(again.stdout, /consortium already initialized/);

    const restart = sh('restart', 'peer.org2');
    assert.equal(restart.status, 0, restart.stdout + restart.stderr);
    assert.doesNotMatch(restart.stderr, /ERROR|status 141/);
    assert.equal(isAlive(pids['peer.org2']), false);
    const restarted = recordedPids(state)['peer.org2'];
    assert.notEqual(restarted, pids['peer.org2']);
    assert.ok(isAlive(restarted));
    pids = recordedPids(state);

    for (const component of ['orderer1', 'peer.org2']) {
      const logs = sh('logs', component, '-l', '1');
      assert.equal(logs.status, 0, logs.stderr);
      assert.equal(
        logs.stderr,
        '',
        `logs ${component} must print no error (a false "status 141" once did)`,
      );
    }
    assert.equal(
      sh('logs', 'peer.org2', '-l', '1').stdout,
      'fake peer peer0.org2.example.com started\n',
    );

    const upAgain = sh('up');
    assert.equal(upAgain.status, 1);
    assert.match(upAgain.stderr, /already exists/);
  } finally {
    const down = sh('down');
    assert.equal(down.status, 0, down.stdout + down.stderr);
  }
  for (const [component, pid] of Object.entries(pids))
    assert.equal(isAlive(pid), false, `${component} still running`);
  assert.equal(fs.existsSync(state), false);
});

test('up with three Raft nodes joins each orderer; a failing step is named and down cleans up', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const env = fakeWorld(dir);
  const base = await freeBasePort(120);
  try {
    const up = network(
      ['up', '--consensus', 'raft', '-r', '3', '-n', '1', '-p', String(base)],
      state,
      env,
    );
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.equal((up.stdout.match(/orderer\d joined fedledger/g) || []).length, 3);

    // deployCC with a chaincode package that lacks its deploy-config renderer fails on that step.
    fs.rmSync(path.join(env.FEDLEDGER_CHAINCODE_DIR, 'deploy'), { recursive: true });
    const deploy = network(['deployCC'], state, env);
    assert.equal(deploy.status, 1);
    assert.match(
      deploy.stderr,
      /ERROR \[step: render collections config and endorsement policy\]: .*render-deploy-config\.js not found/,
    );
  } finally {
    assert.equal(network(['down'], state, env).status, 0);
  }
});

test('a failure in the middle of up names the step, hints at down, and down stops what was started', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const env = { ...fakeWorld(dir), FAKE_FAIL: 'osnadmin' };
  const base = await freeBasePort(120);
  let ordererPid = 0;
  try {
    const up = network(['up', '--consensus', 'raft', '-n', '1', '-p', String(base)], state, env);
    assert.equal(up.status, 1);
    assert.match(up.stderr, /Error: injected failure of osnadmin/);
    assert.match(
      up.stderr,
      /ERROR \[step: join orderers to fedledger \(osnadmin\)\]: osnadmin channel join failed on orderer1 \(admin port \d+\)/,
    );
    assert.match(
      up.stderr,
      /'up' did not finish; processes started so far keep running\. '\.\/network\.sh down' stops them/,
    );
    ordererPid = recordedPids(state).orderer1;
    assert.ok(isAlive(ordererPid), 'the orderer started before the failing step is still running');
    assert.equal(network(['status'], state, env).status, 1);
  } finally {
    assert.equal(network(['down'], state, env).status, 0);
  }
  assert.equal(isAlive(ordererPid), false);
  assert.equal(fs.existsSync(state), false);
});

test('up with nothing set finds the release bundle next to the checkout and records its bin/', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const { FABRIC_BIN: bundleBin, ...world } = fakeWorld(dir);
  const env = {
    ...world,
    FABRIC_BIN: '',
    FABRIC_BUNDLE_DIR: path.join(dir, 'bundle'),
    FABRIC_TOOLS_DIR: path.join(dir, 'no-cache'),
  };
  const base = await freeBasePort(120);
  try {
    const up = network(['up', '--consensus', 'raft', '-n', '1', '-p', String(base)], state, env);
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(
      up.stdout,
      new RegExp(`^using Fabric 3\\.1\\.5 from ${bundleBin} \\(release bundle\\)$`, 'm'),
    );
    assert.match(
      fs.readFileSync(path.join(state, 'network.env'), 'utf8'),
      new RegExp(`^FABRIC_BIN_DIR=${bundleBin}$`, 'm'),
    );
    assert.match(
      fs.readFileSync(path.join(state, 'run', 'peer.org1.sh'), 'utf8'),
      new RegExp(`^exec ${bundleBin}/peer node start$`, 'm'),
    );
    const status = network(['status'], state, env);
    assert.equal(status.status, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /^peer\.org1 +\d+ +up .* height 1$/m);
  } finally {
    assert.equal(network(['down'], state, env).status, 0);
  }
  assert.equal(fs.existsSync(path.join(dir, 'no-cache')), false);
});

test('BFT: an orderer whose certificates are not in the consenter set fails the join step, by name', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const base = await freeBasePort(120);
  const env = { ...fakeWorld(dir), FAKE_FOLLOWER: `127.0.0.1:${base + 11}` };
  try {
    const up = network(['up', '-n', '3', '-p', String(base)], state, env);
    assert.equal(up.status, 1);
    assert.match(
      up.stderr,
      /ERROR \[step: check orderers joined fedledger as consenters\]: orderer2 joined fedledger as 'follower', not as a consenter: the certificates it runs with \(.*orderer2\.orderer\.org2\.example\.com-cert\.pem, .*\) do not match its ConsenterMapping/,
    );
  } finally {
    assert.equal(network(['down'], state, env).status, 0);
  }
});
