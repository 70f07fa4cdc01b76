'use strict';
// down / restart / logs / status against a state directory built by hand: recorded PIDs of
// processes this test started, garbage files, a launcher that runs a small TCP server in place
// of a chaincode server. No Fabric binary is involved.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {
  network,
  tempDir,
  startProcess,
  exited,
  isAlive,
  startTime,
  freeBasePort,
} = require('./helpers');

function recordPid(state, component, pid, start = startTime(pid)) {
  fs.mkdirSync(path.join(state, 'pids'), { recursive: true });
  fs.writeFileSync(path.join(state, 'pids', `${component}.pid`), `${pid} ${start}\n`);
}

/** The settings file `up` writes, for a network with one member org on `basePort`. */
function writeRecordedSettings(state, basePort) {
  fs.mkdirSync(state, { recursive: true });
  fs.writeFileSync(
    path.join(state, 'network.env'),
    [
      'MEMBER_ORGS=1',
      'RAFT_NODES=1',
      'CHANNEL_NAME=fedledger',
      `BASE_PORT=${basePort}`,
      'BATCH_TIMEOUT=250ms',
      'BATCH_MAX_MESSAGES=50',
      'CHAINCODE_NAME=fedledger',
      'CHAINCODE_VERSION=1.0',
      'HOST=127.0.0.1',
      'DOMAIN=example.com',
      'WAIT_ATTEMPTS=50',
      'WAIT_DELAY=0.2',
      `FABRIC_BIN_DIR=${path.join(state, 'no-fabric-bin')}`,
      '',
    ].join('\n'),
  );
}

/** A launcher like the ones network.sh writes, running a TCP server instead of the real process. */
function writeFakeLauncher(state, component, port) {
  fs.mkdirSync(path.join(state, 'run'), { recursive: true });
  const server = `require("net").createServer((s) => s.end()).listen(${port}, "127.0.0.1"); console.log("fake ${component} listening")`;
  fs.writeFileSync(
    path.join(state, 'run', `${component}.sh`),
    `#!/usr/bin/env bash\nset -euo pipefail\nexec ${process.execPath} -e '${server}'\n`,
    { mode: 0o755 },
  );
}

test('down with nothing running and no state exits 0', (t) => {
  const state = path.join(tempDir(t), 'state');
  const result = network(['down'], state);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /nothing to remove/);
});

test('down kills only recorded processes and removes a damaged state directory', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const recorded = startProcess(t, 'sleep', ['300']);
  const legacyRecord = startProcess(t, 'sleep', ['300']);
  const bystander = startProcess(t, 'sleep', ['300']);
  const reusedPid = startProcess(t, 'sleep', ['300']);
  recordPid(state, 'peer.org1', recorded.pid);
  // A record without start time (older format or hand-written) is still honoured.
  fs.writeFileSync(path.join(state, 'pids', 'orderer1.pid'), `${legacyRecord.pid}\n`);
  // Same PID, different start time: the PID now belongs to someone else and must be left alone.
  recordPid(state, 'peer.org2', reusedPid.pid, '1');
  fs.writeFileSync(path.join(state, 'pids', 'garbage.pid'), 'not a pid\n');
  fs.writeFileSync(path.join(state, 'pids', 'empty.pid'), '');
  fs.writeFileSync(path.join(state, 'pids', 'gone.pid'), '4194999 123\n');
  fs.writeFileSync(path.join(state, 'network.env'), '((( this is not bash');
  fs.mkdirSync(path.join(state, 'crypto', 'half-written'), { recursive: true });

  const result = network(['down'], state);

  assert.equal(result.status, 0, result.stderr);
  await Promise.all([exited(recorded), exited(legacyRecord)]);
  assert.equal(recorded.signalCode, 'SIGTERM');
  assert.equal(legacyRecord.signalCode, 'SIGTERM');
  assert.ok(isAlive(bystander.pid), 'an unrecorded process must survive');
  assert.ok(isAlive(reusedPid.pid), 'a PID whose start time differs must survive');
  assert.match(result.stderr, /ignoring .*garbage\.pid: it does not hold a PID/);
  assert.match(
    result.stderr,
    /ignoring .*peer\.org2\.pid: PID \d+ now belongs to a different process/,
  );
  assert.match(result.stdout, new RegExp(`stopped peer\\.org1 \\(pid ${recorded.pid}\\)`));
  assert.equal(fs.existsSync(state), false);
});

test('down removes a state path that is a plain file', (t) => {
  const state = path.join(tempDir(t), 'state');
  fs.writeFileSync(state, 'corrupt');
  const result = network(['down'], state);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(fs.existsSync(state), false);
});

test('up refuses to run over an existing state directory', (t) => {
  const state = path.join(tempDir(t), 'state');
  fs.mkdirSync(state);
  const result = network(['up'], state);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /ERROR \[step: check for an existing network\]: .* already exists .*run '\.\/network\.sh down' first/,
  );
});

test('restart, logs and status drive a recorded component through its launcher', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  const ccPort = base + 100 + 3; // cc.org1: peer port of org1 + 3
  writeRecordedSettings(state, base);
  writeFakeLauncher(state, 'cc.org1', ccPort);
  const stale = startProcess(t, 'sleep', ['300']);
  recordPid(state, 'cc.org1', stale.pid);

  const restart = network(['restart', 'cc.org1'], state);
  assert.equal(restart.status, 0, restart.stderr);
  await exited(stale);
  assert.equal(stale.signalCode, 'SIGTERM');
  assert.match(restart.stdout, /cc\.org1 restarted/);
  const [newPid] = fs.readFileSync(path.join(state, 'pids', 'cc.org1.pid'), 'utf8').split(' ');
  assert.ok(isAlive(Number(newPid)));

  assert.doesNotMatch(restart.stderr, /ERROR|status 141/);

  const logs = network(['logs', 'cc.org1', '--lines', '1'], state);
  assert.equal(logs.status, 0, logs.stderr);
  assert.equal(logs.stdout, 'fake cc.org1 listening\n');
  assert.equal(logs.stderr, '');

  const status = network(['status'], state);
  assert.equal(status.status, 1, 'orderer and peers are down, so status must fail');
  assert.match(
    status.stdout,
    new RegExp(`^cc\\.org1 +${newPid} +up +127\\.0\\.0\\.1:${ccPort}`, 'm'),
  );
  assert.match(status.stdout, new RegExp(`^orderer1 +- +down +127\\.0\\.0\\.1:${base} `, 'm'));
  assert.match(status.stdout, /^peer\.auditor +- +down /m);
  assert.match(status.stdout, /^cc\.auditor +- +- +.*chaincode not deployed/m);

  const unknown = network(['restart', 'peer.org7'], state);
  assert.equal(unknown.status, 2);
  assert.match(
    unknown.stderr,
    /unknown component 'peer\.org7'; this network has: orderer1 peer\.org1 peer\.auditor cc\.org1 cc\.auditor/,
  );

  const down = network(['down'], state);
  assert.equal(down.status, 0, down.stderr);
  assert.equal(isAlive(Number(newPid)), false);
  assert.equal(fs.existsSync(state), false);
});

// Regression: looking a component up in the list of components returned as soon as it matched,
// while the list (a process substitution with a `sed`) was still being written; the `sed` died of
// SIGPIPE and the ERR trap inherited under `set -E` printed
// "ERROR [step: check the network is up]: command failed with status 141" after a successful
// restart or logs. orderer1 comes first in the list, so it left the loop earliest.
test('restart and logs of the first component print no false "status 141" error', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  writeRecordedSettings(state, base);
  fs.mkdirSync(path.join(state, 'run'), { recursive: true });
  const health = `require("http").createServer((q, s) => s.end("{}")).listen(${base + 2}, "127.0.0.1"); console.log("fake orderer1 healthy")`;
  fs.writeFileSync(
    path.join(state, 'run', 'orderer1.sh'),
    `#!/usr/bin/env bash\nset -euo pipefail\nexec ${process.execPath} -e '${health}'\n`,
    { mode: 0o755 },
  );
  try {
    for (let i = 0; i < 3; i++) {
      const restart = network(['restart', 'orderer1'], state);
      assert.equal(restart.status, 0, restart.stderr);
      assert.match(restart.stdout, /orderer1 restarted/);
      assert.doesNotMatch(restart.stderr, /ERROR|status 141/);

      const logs = network(['logs', 'orderer1', '-l', '1'], state);
      assert.equal(logs.status, 0, logs.stderr);
      assert.equal(logs.stdout, 'fake orderer1 healthy\n');
      assert.equal(logs.stderr, '');
    }
  } finally {
    assert.equal(network(['down'], state).status, 0);
  }
});

test('restart of a component that never comes up fails naming what it waited for', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  writeRecordedSettings(state, base);
  fs.writeFileSync(path.join(state, 'network.env'), 'WAIT_ATTEMPTS=3\nWAIT_DELAY=0.1\n', {
    flag: 'a',
  });
  fs.mkdirSync(path.join(state, 'run'), { recursive: true });
  fs.writeFileSync(path.join(state, 'run', 'cc.org1.sh'), '#!/usr/bin/env bash\nexec sleep 300\n', {
    mode: 0o755,
  });

  const result = network(['restart', 'cc.org1'], state);
  const [pid] = fs.readFileSync(path.join(state, 'pids', 'cc.org1.pid'), 'utf8').split(' ');
  assert.equal(network(['down'], state).status, 0);

  assert.equal(isAlive(Number(pid)), false, 'down stops the process restart left running');
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `ERROR \\[step: restart cc\\.org1\\]: timed out waiting for cc\\.org1 to listen on 127\\.0\\.0\\.1:${base + 103} \\(3 attempts, 0\\.1s apart\\)`,
    ),
  );
});

test('restart of a chaincode server before deployCC says which mode writes its launcher', async (t) => {
  const state = path.join(tempDir(t), 'state');
  writeRecordedSettings(state, await freeBasePort(120));
  const result = network(['restart', 'cc.org1'], state);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /ERROR \[step: restart cc\.org1\]: no launcher for cc\.org1 at .*run\/cc\.org1\.sh \('up' writes those of orderers and peers, 'deployCC' those of chaincode servers\)/,
  );
});
