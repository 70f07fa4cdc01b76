'use strict';
// crypto-config.yaml and configtx.yaml generated from the settings (scripts/artifacts.sh), and the
// port layout (scripts/settings.sh). Checked as text: these are the inputs cryptogen/configtxgen get.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, SCRIPTS_DIR } = require('./helpers');

/** Source the libraries with the given settings and run `body` (bash). */
function withSettings(t, settings, body) {
  const dir = tempDir(t);
  const script = [
    'set -euo pipefail',
    `source ${SCRIPTS_DIR}/utils.sh`,
    `source ${SCRIPTS_DIR}/settings.sh`,
    `source ${SCRIPTS_DIR}/ordering.sh`,
    `source ${SCRIPTS_DIR}/artifacts.sh`,
    'load_settings',
    ...Object.entries(settings).map(([k, v]) => `${k}=${v}`),
    body,
  ].join('\n');
  const result = run('bash', ['-c', script], {
    env: { NETWORK_STATE_DIR: path.join(dir, 'state'), NETWORK_CONFIG: '/dev/null' },
  });
  assert.equal(result.status, 0, result.stderr);
  return { dir, stdout: result.stdout };
}

test('crypto-config (raft): NodeOUs on, SANs with the node address, one peer and two users per org', (t) => {
  const { dir } = withSettings(
    t,
    { CONSENSUS: 'raft', MEMBER_ORGS: 5, RAFT_NODES: 3 },
    'write_crypto_config "$NETWORK_STATE_DIR.crypto.yaml"',
  );
  const text = fs.readFileSync(path.join(dir, 'state.crypto.yaml'), 'utf8');
  assert.equal((text.match(/EnableNodeOUs: true/g) || []).length, 7);
  assert.equal((text.match(/- Hostname: orderer\d/g) || []).length, 3);
  for (const name of ['Org1', 'Org2', 'Org3', 'Org4', 'Org5', 'Auditor']) {
    assert.match(
      text,
      new RegExp(
        `  - Name: ${name}\\n    Domain: ${name.toLowerCase()}\\.example\\.com\\n    EnableNodeOUs: true\\n    Specs:\\n      - Hostname: peer0\\n        SANS: \\["127\\.0\\.0\\.1", localhost\\]\\n    Users:\\n      Count: 2\\n`,
      ),
    );
  }
});

test('configtx (raft): Raft consenters, BatchTimeout, every org in the application group, MAJORITY policies', (t) => {
  const { dir } = withSettings(
    t,
    { CONSENSUS: 'raft', MEMBER_ORGS: 3, RAFT_NODES: 3, BASE_PORT: 8000, BATCH_TIMEOUT: '300ms' },
    'write_configtx "$NETWORK_STATE_DIR.configtx.yaml"',
  );
  const text = fs.readFileSync(path.join(dir, 'state.configtx.yaml'), 'utf8');
  const state = path.join(dir, 'state');
  assert.match(
    text,
    /OrdererEndpoints:\n      - 127\.0\.0\.1:8000\n      - 127\.0\.0\.1:8010\n      - 127\.0\.0\.1:8020\n/,
  );
  for (const [i, port] of [
    [1, 8000],
    [2, 8010],
    [3, 8020],
  ]) {
    const cert = `${state}/crypto/ordererOrganizations/example.com/orderers/orderer${i}.example.com/tls/server.crt`;
    assert.ok(
      text.includes(
        `          - Host: 127.0.0.1\n            Port: ${port}\n            ClientTLSCert: ${cert}\n            ServerTLSCert: ${cert}\n`,
      ),
    );
  }
  assert.match(text, /BatchTimeout: 300ms\n/);
  assert.match(text, /OrdererType: etcdraft\n/);
  assert.match(
    text,
    /    Application:\n      Organizations:\n        - \*Org1\n        - \*Org2\n        - \*Org3\n        - \*Auditor\n/,
  );
  assert.match(
    text,
    /LifecycleEndorsement: \{ Type: ImplicitMeta, Rule: "MAJORITY Endorsement" \}/,
  );
  assert.match(text, /        Endorsement: \{ Type: ImplicitMeta, Rule: "MAJORITY Endorsement" \}/);
  assert.match(text, /Capabilities: \{ V2_5: true \}/);
  assert.match(text, /Endorsement: \{ Type: Signature, Rule: "OR\('AuditorMSP\.peer'\)" \}/);
  assert.match(
    text,
    /AnchorPeers:\n      - \{ Host: 127\.0\.0\.1, Port: 8130 \}\n/,
    'auditor anchor peer after three members',
  );
  assert.doesNotMatch(text, /Consortium/, 'no system channel, no consortium');
});

test('port layout (raft): orderers from the base, peers from base+100, the auditor after the last member', (t) => {
  const { stdout } = withSettings(
    t,
    { CONSENSUS: 'raft', MEMBER_ORGS: 5, RAFT_NODES: 3, BASE_PORT: 7050 },
    'planned_ports; all_components | tr "\\n" " "',
  );
  const lines = stdout.split('\n');
  assert.equal(lines.filter((l) => /^\d+\t/.test(l)).length, 3 * 3 + 6 * 4);
  for (const expected of [
    '7050\torderer1 listen',
    '7051\torderer1 admin',
    '7052\torderer1 operations',
    '7071\torderer3 admin',
    '7150\tpeer.org1 listen',
    '7151\tpeer.org1 chaincode listener',
    '7152\tpeer.org1 operations',
    '7153\tcc.org1 chaincode server',
    '7190\tpeer.org5 listen',
    '7200\tpeer.auditor listen',
    '7203\tcc.auditor chaincode server',
  ]) {
    assert.ok(lines.includes(expected), expected);
  }
  const ports = lines.filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t')[0]);
  assert.equal(new Set(ports).size, ports.length, 'no port is used twice');
  assert.equal(
    lines.at(-1),
    'orderer1 orderer2 orderer3 peer.org1 peer.org2 peer.org3 peer.org4 peer.org5 peer.auditor cc.org1 cc.org2 cc.org3 cc.org4 cc.org5 cc.auditor ',
  );
});

test("multi-host: HOST_<NODE> overrides a node's address everywhere it is advertised", (t) => {
  const { dir, stdout } = withSettings(
    t,
    { MEMBER_ORGS: 2, HOST_ORG2: '10.0.0.12', HOST_ORDERER1: '10.0.0.5' },
    'write_configtx "$NETWORK_STATE_DIR.configtx.yaml"; write_crypto_config "$NETWORK_STATE_DIR.crypto.yaml"; peer_endpoint org2; peer_endpoint org1; orderer_endpoint 1',
  );
  assert.equal(stdout, '10.0.0.12:7160\n127.0.0.1:7150\n10.0.0.5:7050\n');
  const configtx = fs.readFileSync(path.join(dir, 'state.configtx.yaml'), 'utf8');
  assert.match(configtx, /AnchorPeers:\n      - \{ Host: 10\.0\.0\.12, Port: 7160 \}/);
  assert.match(configtx, /- ID: 1\n          Host: 10\.0\.0\.5\n          Port: 7050\n/);
  assert.match(configtx, /OrdererEndpoints:\n      - 10\.0\.0\.5:7050\n/);
  const crypto = fs.readFileSync(path.join(dir, 'state.crypto.yaml'), 'utf8');
  assert.match(
    crypto,
    /Domain: org2\.example\.com\n    EnableNodeOUs: true\n    Specs:\n      - Hostname: peer0\n        SANS: \["10\.0\.0\.12", localhost\]/,
  );
});

test('record_settings writes a file that load_recorded_settings reads back', (t) => {
  const { stdout } = withSettings(
    t,
    { MEMBER_ORGS: 4, CHANNEL_NAME: 'trial-1', HOST_AUDITOR: '10.0.0.20' },
    'mkdir -p "$NETWORK_STATE_DIR"; record_settings; MEMBER_ORGS=1; CHANNEL_NAME=x; unset HOST_AUDITOR; load_recorded_settings; echo "$MEMBER_ORGS $CHANNEL_NAME $HOST_AUDITOR $(member_msp_ids_csv)"',
  );
  assert.equal(stdout, '4 trial-1 10.0.0.20 Org1MSP,Org2MSP,Org3MSP,Org4MSP\n');
});

test('crypto-config (bft): one ordering organization per peer org, each with its own node', (t) => {
  const { dir } = withSettings(
    t,
    { MEMBER_ORGS: 3 },
    'write_crypto_config "$NETWORK_STATE_DIR.crypto.yaml"',
  );
  const text = fs.readFileSync(path.join(dir, 'state.crypto.yaml'), 'utf8');
  const [orderers] = text.split('PeerOrgs:');
  for (const [i, name, domain] of [
    [1, 'Org1Orderer', 'org1'],
    [2, 'Org2Orderer', 'org2'],
    [3, 'Org3Orderer', 'org3'],
    [4, 'AuditorOrderer', 'auditor'],
  ]) {
    assert.ok(
      orderers.includes(
        `  - Name: ${name}\n    Domain: orderer.${domain}.example.com\n    EnableNodeOUs: true\n    Specs:\n      - Hostname: orderer${i}\n        SANS: ["127.0.0.1", localhost]\n`,
      ),
      name,
    );
  }
  assert.equal((orderers.match(/- Hostname:/g) || []).length, 4);
});

test('configtx (bft): V3_0, ConsenterMapping with identity and TLS certs, endpoints per ordering org, SmartBFT options', (t) => {
  const { dir } = withSettings(
    t,
    { MEMBER_ORGS: 3, BASE_PORT: 8000, BATCH_TIMEOUT: '30ms' },
    'write_configtx "$NETWORK_STATE_DIR.configtx.yaml"',
  );
  const text = fs.readFileSync(path.join(dir, 'state.configtx.yaml'), 'utf8');
  const state = path.join(dir, 'state');
  assert.match(text, /OrdererType: BFT\n/);
  assert.match(text, /  FedLedgerChannel:\n    Capabilities: \{ V3_0: true \}\n/);
  assert.doesNotMatch(
    text,
    /EtcdRaft|Addresses:/,
    'no Raft section, no global orderer addresses under V3_0',
  );
  for (const [i, port, org, domain] of [
    [1, 8000, 'Org1', 'org1'],
    [2, 8010, 'Org2', 'org2'],
    [3, 8020, 'Org3', 'org3'],
    [4, 8030, 'Auditor', 'auditor'],
  ]) {
    const node = `${state}/crypto/ordererOrganizations/orderer.${domain}.example.com/orderers/orderer${i}.orderer.${domain}.example.com`;
    assert.ok(
      text.includes(
        `        - ID: ${i}\n          Host: 127.0.0.1\n          Port: ${port}\n          MSPID: ${org}OrdererMSP\n` +
          `          Identity: ${node}/msp/signcerts/orderer${i}.orderer.${domain}.example.com-cert.pem\n` +
          `          ClientTLSCert: ${node}/tls/server.crt\n          ServerTLSCert: ${node}/tls/server.crt\n`,
      ),
      `consenter ${i}`,
    );
    assert.ok(text.includes(`    ID: ${org}OrdererMSP\n`), `${org}OrdererMSP defined`);
    assert.ok(
      text.includes(`    OrdererEndpoints:\n      - 127.0.0.1:${port}\n  - &`),
      `${org}OrdererMSP lists only its own node`,
    );
    assert.ok(text.includes(`        - *${org}Orderer\n`), `${org}Orderer in the Orderer group`);
  }
  assert.match(
    text,
    /RequestBatchMaxInterval: 30ms\n/,
    'the batch timeout setting drives the BFT batch interval',
  );
  assert.match(text, /LeaderHeartbeatTimeout: 3s\n        LeaderHeartbeatCount: 10\n/);
  assert.match(text, /LeaderRotation: 1 /);
  assert.match(text, /SpeedUpViewChange: true\n/);
});

test('orderer count and fault tolerance: bft runs one orderer per peer org, n = 3f + 1', (t) => {
  const { stdout } = withSettings(
    t,
    {},
    'for n in 1 2 3 6; do MEMBER_ORGS=$n; echo "$n $(orderer_count) $(bft_fault_tolerance_text)"; done; CONSENSUS=raft RAFT_NODES=3; orderer_count',
  );
  const lines = stdout.trim().split('\n');
  assert.match(
    lines[0],
    /^1 2 BFT ordering with 2 orderer node\(s\) .*tolerates no faulty node: n = 3f \+ 1 nodes tolerate f faulty ones, so f = 1 needs 4 nodes/,
  );
  assert.match(
    lines[2],
    /^3 4 BFT ordering with 4 orderer nodes tolerates f = 1 faulty node\(s\) \(n >= 3f \+ 1\)\.$/,
  );
  assert.match(lines[3], /^6 7 BFT ordering with 7 orderer nodes tolerates f = 2 /);
  assert.equal(lines[4], '3');
});
