'use strict';
// The netns host layout's own logic (network/scripts/hosts.sh) without Fabric: the address plan,
// which namespace each component's launcher enters, and `up --hosts netns` where namespaces cannot
// be created (a fake `ip` that refuses, as it does without CAP_NET_ADMIN): a clear error naming the
// capability, and nothing created or left behind. The real layout is exercised by the end-to-end
// test test/src/hosts-netns.e2e.test.ts on a real network.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, network, tempDir, writeExecutable, SCRIPTS_DIR } = require('./helpers');

function hostsShell(lines, env = {}) {
  const script = [
    'set -euo pipefail',
    `source ${SCRIPTS_DIR}/utils.sh`,
    `source ${SCRIPTS_DIR}/settings.sh`,
    `source ${SCRIPTS_DIR}/hosts.sh`,
    `source ${SCRIPTS_DIR}/process.sh`,
    'load_settings',
    ...lines,
  ].join('\n');
  return run('bash', ['-c', script], { env: { NETWORK_CONFIG: '/dev/null', ...env } });
}

test('netns layout: one host per org (and the Raft ordering org), addresses on one /24, orderers on their org’s host', () => {
  const bft = hostsShell([
    'HOSTS=netns',
    'apply_host_layout',
    'netns_host_keys | tr "\\n" " "; echo',
    'for c in orderer1 orderer4 peer.org2 cc.auditor; do echo "$c $(component_namespace $c) $(node_address ${c#*.})"; done',
    'echo "root $HOST"',
  ]);
  assert.equal(bft.status, 0, bft.stderr);
  const lines = bft.stdout.trim().split('\n');
  assert.equal(lines[0]?.trim(), 'org1 org2 org3 auditor');
  assert.deepEqual(lines.slice(1), [
    'orderer1 fl-org1 10.213.0.11',
    'orderer4 fl-auditor 10.213.0.14',
    'peer.org2 fl-org2 10.213.0.12',
    'cc.auditor fl-auditor 10.213.0.14',
    'root 10.213.0.1',
  ]);
  const raft = hostsShell([
    'CONSENSUS=raft HOSTS=netns',
    'apply_host_layout',
    'netns_host_keys | tr "\\n" " "; echo "$(component_namespace orderer1) $(node_address orderer1)"',
  ]);
  assert.equal(raft.status, 0, raft.stderr);
  assert.equal(raft.stdout.trim(), 'org1 org2 org3 auditor ordering fl-ordering 10.213.0.9');
});

test('loopback layout: launchers enter no namespace', (t) => {
  const state = path.join(tempDir(t), 'state');
  const result = hostsShell(
    ['write_launcher peer.org1 /tmp A=1 -- /bin/true', 'cat "$(launcher_path peer.org1)"'],
    { NETWORK_STATE_DIR: state },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^exec \/bin\/true$/m);
});

test('netns layout: a launcher execs its process inside the org’s namespace (so the recorded PID is the process)', (t) => {
  const state = path.join(tempDir(t), 'state');
  const result = hostsShell(
    [
      'HOSTS=netns',
      'write_launcher cc.org3 /tmp A=1 -- /bin/true x',
      'cat "$(launcher_path cc.org3)"',
    ],
    { NETWORK_STATE_DIR: state },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^exec ip netns exec fl-org3 \/bin\/true x$/m);
});

test('up --hosts netns without the capability to create namespaces: the error names it, nothing is created', (t) => {
  const dir = tempDir(t);
  const fakeBin = path.join(dir, 'fake-bin');
  const calls = path.join(dir, 'ip-calls.log');
  // What `ip netns add` prints for a user without CAP_NET_ADMIN.
  writeExecutable(
    path.join(fakeBin, 'ip'),
    `#!/bin/sh\necho "$@" >>"${calls}"\necho "mount --make-shared /run/netns failed: Operation not permitted" >&2\nexit 1\n`,
  );
  const state = path.join(dir, 'state');
  const result = network(['up', '--hosts', 'netns'], state, {
    PATH: `${fakeBin}:${process.env.PATH}`,
  });
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /--hosts netns needs CAP_NET_ADMIN \(root\) to create network namespaces.*Operation not permitted.*Run as root or use --hosts loopback/,
  );
  assert.equal(fs.existsSync(state), false, 'no network state was created');
  assert.match(
    fs.readFileSync(calls, 'utf8'),
    /^netns add fl-probe-\d+\n$/,
    'the only ip call is the probe: no bridge, namespace or link was made',
  );
});
