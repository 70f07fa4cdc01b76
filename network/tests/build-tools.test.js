'use strict';
// build-fabric-tools.sh: Go version check with a stubbed `go`, the real Go module proxy's refusal,
// FABRIC_BIN validation with fake installs, reuse of stamped binaries, config derivation.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, writeExecutable, SCRIPTS_DIR } = require('./helpers');

const BUILD = path.join(SCRIPTS_DIR, 'build-fabric-tools.sh');
const TOOLS = ['peer', 'orderer', 'osnadmin', 'configtxgen', 'cryptogen', 'configtxlator'];
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const NODE_DIR = path.dirname(process.execPath);

const SAMPLE_CORE = `# sample core.yaml
peer:
    id: jdoe
    listenAddress: 0.0.0.0:7051
    gateway:
        # gateway service
        enabled: false
    tls:
        enabled:  false
vm:
    endpoint: unix:///var/run/docker.sock
chaincode:
    externalBuilders:
       - name: ccaas_builder
         path: /opt/hyperledger/ccaas_builder
    installTimeout: 300s
ledger:
  state:
    stateDatabase: CouchDB
  history:
    enableHistoryDatabase: false
operations:
    listenAddress: 127.0.0.1:9443
`;
const SAMPLE_ORDERER = `General:
    ListenAddress: 0.0.0.0
    BootstrapMethod: file
    TLS:
        Enabled: false
ChannelParticipation:
    Enabled: false
Admin:
    ListenAddress: 127.0.0.1:9443
    TLS:
        Enabled: false
        ClientAuthRequired: false
`;

function writeSampleConfig(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'core.yaml'), SAMPLE_CORE);
  fs.writeFileSync(path.join(dir, 'orderer.yaml'), SAMPLE_ORDERER);
}

/** A fake Fabric install: six executables, `peer version` reporting `version`. */
function fakeInstall(root, version, { omit } = {}) {
  for (const tool of TOOLS.filter((name) => name !== omit)) {
    const body = tool === 'peer' ? `echo "peer:"; echo " Version: ${version}"; echo " Commit SHA: 0000000"` : 'exit 0';
    writeExecutable(path.join(root, 'bin', tool), `#!/bin/sh\n${body}\n`);
  }
  writeSampleConfig(path.join(root, 'config'));
  return path.join(root, 'bin');
}

function build(env) {
  return run('bash', [BUILD], { env });
}

test('a Go older than 1.26.4 is refused with the version and the FABRIC_BIN alternative', (t) => {
  const dir = tempDir(t);
  writeExecutable(path.join(dir, 'stub', 'go'), `#!/bin/sh
case "$1 $2" in
  "env GOVERSION") echo go1.22.5 ;;
  "version ") echo "go version go1.22.5 linux/amd64" ;;
  *) echo "stub go must not be asked to $*" >&2; exit 99 ;;
esac
`);
  const result = build({
    PATH: `${path.join(dir, 'stub')}:${NODE_DIR}:${SYSTEM_PATH}`,
    FABRIC_TOOLS_DIR: path.join(dir, 'bin'),
    FABRIC_CONFIG_DIR: path.join(dir, 'config'),
  });
  assert.equal(result.status, 3, 'exit 3: tools unobtainable here');
  assert.match(
    result.stderr,
    /ERROR \[step: check the Go toolchain\]: Go 1\.22\.5 is too old: Fabric v2\.5\.16 \(go\.mod: go 1\.26\.4\) needs Go >= 1\.26\.4\. Alternative: .*FABRIC_BIN=\/path\/to\/fabric\/bin/,
  );
  assert.equal(fs.existsSync(path.join(dir, 'bin')), false);
});

test('a missing Go is reported with the FABRIC_BIN alternative', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'empty'));
  const result = build({
    PATH: `${path.join(dir, 'empty')}:${NODE_DIR}:/usr/bin:/bin`,
    FABRIC_TOOLS_DIR: path.join(dir, 'bin'),
    FABRIC_CONFIG_DIR: path.join(dir, 'config'),
  });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /Go is not installed: building Fabric v2\.5\.16 needs Go >= 1\.26\.4\. Alternative: .*FABRIC_BIN=/);
});

// This contacts the real Go module proxy. On the development machine it answers 403 for every
// github.com/hyperledger module, which is exactly the message under test.
test('the real Go module proxy refusing the Fabric module gives a clear error', (t) => {
  const dir = tempDir(t);
  const result = build({ FABRIC_TOOLS_DIR: path.join(dir, 'bin'), FABRIC_CONFIG_DIR: path.join(dir, 'config') });
  assert.equal(result.status, 3);
  assert.match(
    result.stderr,
    /ERROR \[step: download github\.com\/hyperledger\/fabric@f871cf92a026aba7b12e6f06d71ded3e6e659d71\]: the Go module proxy \(.*\) refused the Fabric module github\.com\/hyperledger\/fabric@f871cf92a026aba7b12e6f06d71ded3e6e659d71, so the tools cannot be built here/,
  );
  assert.match(result.stderr, /Its answer: 'reading https:\/\/\S+\.info: 403 Forbidden — server response: This module version is not available\.'/);
  assert.match(result.stderr, /FABRIC_BIN=\/path\/to\/fabric\/bin/);
  assert.equal(fs.existsSync(path.join(dir, 'bin')), false);
});

test('FABRIC_BIN missing a tool is refused naming the tool', (t) => {
  const dir = tempDir(t);
  const bin = fakeInstall(dir, 'v2.5.16', { omit: 'osnadmin' });
  const result = build({ FABRIC_BIN: bin, FABRIC_CONFIG_DIR: path.join(dir, 'out') });
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`FABRIC_BIN=${bin} has no executable 'osnadmin'`));
});

test('FABRIC_BIN with a Fabric other than 2.5 is refused with the version it reports', (t) => {
  const dir = tempDir(t);
  const bin = fakeInstall(dir, 'v2.4.9');
  const result = build({ FABRIC_BIN: bin, FABRIC_CONFIG_DIR: path.join(dir, 'out') });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /peer reports 'Version: v2\.4\.9', need Fabric 2\.5\.x/);
});

test('FABRIC_BIN with Fabric 2.5 is used and its config/ is derived into network/config', (t) => {
  const dir = tempDir(t);
  const bin = fakeInstall(dir, 'v2.5.16');
  const out = path.join(dir, 'out');
  const result = build({ FABRIC_BIN: bin, FABRIC_CONFIG_DIR: out, PATH: `${NODE_DIR}:${SYSTEM_PATH}` });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`using Fabric tools from ${bin}`));
  const core = fs.readFileSync(path.join(out, 'core.yaml'), 'utf8');
  assert.match(core, /^    endpoint: ""$/m);
  assert.match(core, /^# sample core\.yaml$/m);
  const orderer = fs.readFileSync(path.join(out, 'orderer.yaml'), 'utf8');
  assert.match(orderer, /^    BootstrapMethod: none$/m);
});

test('stamped binaries of the pinned version are reused without calling go', (t) => {
  const dir = tempDir(t);
  const tools = path.join(dir, 'bin');
  for (const tool of TOOLS) writeExecutable(path.join(tools, tool), '#!/bin/sh\nexit 0\n');
  writeSampleConfig(path.join(tools, 'sampleconfig'));
  fs.writeFileSync(path.join(tools, '.fabric-version'), 'fabric v2.5.16 f871cf92a026aba7b12e6f06d71ded3e6e659d71\n');
  writeExecutable(path.join(dir, 'stub', 'go'), '#!/bin/sh\necho "go must not run" >&2\nexit 99\n');
  const env = {
    PATH: `${path.join(dir, 'stub')}:${NODE_DIR}:${SYSTEM_PATH}`,
    FABRIC_TOOLS_DIR: tools,
    FABRIC_CONFIG_DIR: path.join(dir, 'config'),
  };

  const reused = build(env);
  assert.equal(reused.status, 0, reused.stderr);
  assert.match(reused.stdout, /==> reuse Fabric tools in .*\n.*found fabric v2\.5\.16 f871cf92a026aba7b12e6f06d71ded3e6e659d71/);
  assert.ok(fs.existsSync(path.join(dir, 'config', 'core.yaml')));

  fs.writeFileSync(path.join(tools, '.fabric-version'), 'fabric v2.5.15 0000\n');
  const stale = build(env);
  assert.equal(stale.status, 3, 'a stamp of another version triggers a rebuild, which needs go');
  assert.match(stale.stderr, /check the Go toolchain/);
});
