'use strict';
// edit-yaml.js and render-node-config.sh on small sample files written here.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, NETWORK_DIR, SCRIPTS_DIR } = require('./helpers');

const EDITOR = path.join(SCRIPTS_DIR, 'edit-yaml.js');

const SAMPLE = `# Sample in Fabric's layout
peer:

    # The Peer id
    id: jdoe
    tls:
        enabled:  false
        cert:
            file: tls/server.crt
vm:
    # Endpoint of the vm management system
    endpoint: unix:///var/run/docker.sock
    docker:
        attachStdout: false
chaincode:
    externalBuilders:
       - name: ccaas_builder
         path: /opt/hyperledger/ccaas_builder
         propagateEnvironment:
           - CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG

    # kept
    installTimeout: 300s
ledger:
  state:
    stateDatabase: CouchDB
`;

function edit(t, sets, source = SAMPLE) {
  const dir = tempDir(t);
  const input = path.join(dir, 'in.yaml');
  const output = path.join(dir, 'out.yaml');
  fs.writeFileSync(input, source);
  const args = [EDITOR, '--in', input, '--out', output];
  for (const set of sets) args.push('--set', set);
  const result = run(process.execPath, args);
  return { ...result, text: fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : null };
}

test('sets scalars, replaces a block sequence, keeps every other line and comment', (t) => {
  const result = edit(t, [
    'vm.endpoint=""',
    'peer.tls.enabled=true',
    'ledger.state.stateDatabase="goleveldb"',
    'chaincode.externalBuilders=[{"name":"ours","path":"/abs/builder"}]',
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(
    result.text,
    SAMPLE.replace('enabled:  false', 'enabled: true')
      .replace('endpoint: unix:///var/run/docker.sock', 'endpoint: ""')
      .replace('stateDatabase: CouchDB', 'stateDatabase: goleveldb')
      .replace(
        /externalBuilders:\n[\s\S]*?CONFIG\n/,
        'externalBuilders: [{"name":"ours","path":"/abs/builder"}]\n',
      ),
  );
});

test("a missing key is created under its nearest parent with the parent's indentation", (t) => {
  const result = edit(t, [
    'peer.gateway.enabled=true',
    'ledger.history.enableHistoryDatabase=true',
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /created peer\.gateway\.enabled \(not present in the source file\)/);
  assert.match(result.text, /^peer:\n    gateway:\n        enabled: true\n\n    # The Peer id/m);
  assert.match(result.text, /^ledger:\n  history:\n    enableHistoryDatabase: true\n  state:/m);
});

test('a key that holds a scalar cannot be treated as a mapping', (t) => {
  const result = edit(t, ['peer.id.name="x"']);
  assert.equal(result.status, 1);
  assert.equal(result.stderr, 'edit-yaml: peer.id holds a value, not a mapping\n');
  assert.equal(result.text, null);
});

test('values must be JSON and arguments complete', (t) => {
  const bad = edit(t, ['vm.endpoint=unix:///x']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'edit-yaml: value for vm.endpoint is not JSON: unix:///x\n');
  const usage = run(process.execPath, [EDITOR, '--in', 'a.yaml']);
  assert.equal(usage.status, 1);
  assert.equal(
    usage.stderr,
    'edit-yaml: usage: edit-yaml.js --in SRC --out DST --set path=JSON [--set ...]\n',
  );
  const dangling = run(process.execPath, [EDITOR, '--out']);
  assert.equal(dangling.stderr, 'edit-yaml: missing value after --out\n');
});

test('strings that YAML would misread are quoted', (t) => {
  const result = edit(t, ['peer.id="true"', 'vm.docker.attachStdout="a: b"']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.text, /^    id: "true"$/m);
  assert.match(result.text, /^        attachStdout: "a: b"$/m);
});

test('render-node-config.sh derives core.yaml and orderer.yaml with the required settings', (t) => {
  const dir = tempDir(t);
  const source = path.join(dir, 'sample');
  fs.mkdirSync(source);
  fs.writeFileSync(
    path.join(source, 'core.yaml'),
    `${SAMPLE}operations:\n    listenAddress: 127.0.0.1:9443\n`,
  );
  fs.writeFileSync(
    path.join(source, 'orderer.yaml'),
    'General:\n    ListenAddress: 0.0.0.0\n    BootstrapMethod: file\n    TLS:\n        Enabled: false\nChannelParticipation:\n    Enabled: false\nAdmin:\n    TLS:\n        Enabled: false\n        ClientAuthRequired: false\n',
  );
  const out = path.join(dir, 'config');

  const result = run('bash', [path.join(SCRIPTS_DIR, 'render-node-config.sh'), source], {
    env: { FABRIC_CONFIG_DIR: out },
  });

  assert.equal(result.status, 0, result.stderr);
  const core = fs.readFileSync(path.join(out, 'core.yaml'), 'utf8');
  const builder = path.join(NETWORK_DIR, 'builders', 'ccaas');
  for (const line of [
    '    endpoint: ""',
    `    externalBuilders: [{"name":"fedledger-ccaas","path":"${builder}"}]`,
    '        enabled: true', // peer.tls.enabled and peer.gateway.enabled
    '    stateDatabase: goleveldb',
    '    enableHistoryDatabase: true',
    '    listenAddress: "127.0.0.1:7051"',
    '    listenAddress: "127.0.0.1:9444"',
  ]) {
    assert.ok(core.split('\n').includes(line), `core.yaml lacks: ${line}`);
  }
  assert.match(core, /^    gateway:\n        enabled: true$/m);
  const orderer = fs.readFileSync(path.join(out, 'orderer.yaml'), 'utf8');
  assert.equal(
    orderer,
    'General:\n    ListenAddress: "127.0.0.1"\n    BootstrapMethod: none\n    TLS:\n        Enabled: true\nChannelParticipation:\n    Enabled: true\nAdmin:\n    TLS:\n        Enabled: true\n        ClientAuthRequired: true\n',
  );
});

test('render-node-config.sh names a missing sample file', (t) => {
  const dir = tempDir(t);
  const result = run('bash', [path.join(SCRIPTS_DIR, 'render-node-config.sh'), dir], {
    env: { FABRIC_CONFIG_DIR: path.join(dir, 'out') },
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`${dir}/core\\.yaml not found`));
});
