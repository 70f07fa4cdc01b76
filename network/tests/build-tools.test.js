'use strict';
// build-fabric-tools.sh: the order of its sources (FABRIC_BIN, the cached build, a release bundle
// next to the checkout, the Go module, the release tarball) with fake installs, fake bundles, a
// stubbed `go` and `curl`, and the real Go module proxy's refusal; the list of places looked when
// every source fails; config derivation.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, writeExecutable, SCRIPTS_DIR, NETWORK_DIR } = require('./helpers');

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

/**
 * A fake Fabric install laid out like a release tarball: bin/ with six executables whose `peer
 * version` reports `version` (and, with `marker`, appends a line to that file whenever it runs),
 * and config/ with sample configs.
 */
function fakeInstall(root, version, { omit, marker } = {}) {
  for (const tool of TOOLS.filter((name) => name !== omit)) {
    const mark = marker ? `echo "${tool} $*" >> "${marker}"\n` : '';
    const body =
      tool === 'peer'
        ? `echo "peer:"; echo " Version: ${version}"; echo " Commit SHA: 0000000"`
        : 'exit 0';
    writeExecutable(path.join(root, 'bin', tool), `#!/bin/sh\n${mark}${body}\n`);
  }
  writeSampleConfig(path.join(root, 'config'));
  return path.join(root, 'bin');
}

/** A bundle root holding v3.1.5/{bin,config}, as ../shared/fabric holds it; returns the root. */
function fakeBundle(dir, version = '3.1.5', options = {}) {
  const root = path.join(dir, 'bundle');
  fakeInstall(path.join(root, 'v3.1.5'), version, options);
  return root;
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** sha256sum-style lines for the bundle's binaries, as the shared bundle's SHA256SUMS has them. */
function writeSums(root) {
  const lines = TOOLS.map((tool) => {
    const file = path.join(root, 'v3.1.5', 'bin', tool);
    return `${sha256(file)}  v3.1.5/bin/${tool}\n`;
  });
  fs.writeFileSync(path.join(root, 'SHA256SUMS'), lines.join(''));
}

/** Every file under `dir` with its size and mtime, to show a run wrote nothing there. */
function snapshot(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .sort()
    .map((name) => {
      const stat = fs.statSync(path.join(dir, name));
      return `${name} ${stat.size} ${stat.mtimeMs}`;
    });
}

/** A `go` that fails the test if it is ever asked anything. */
function forbiddenGo(dir) {
  writeExecutable(path.join(dir, 'stub', 'go'), '#!/bin/sh\necho "go must not run" >&2\nexit 99\n');
  return `${path.join(dir, 'stub')}:${NODE_DIR}:${SYSTEM_PATH}`;
}

/**
 * Isolation from this machine: a cache dir, a derived-config dir, an (empty) bundle root and a
 * release URL of the test's own, so neither network/bin, network/config nor ../shared/fabric is
 * read or written, and nothing is downloaded should a digest be pinned one day.
 */
function isolated(dir, env = {}) {
  return {
    FABRIC_BIN: '',
    FABRIC_CFG_SOURCE: '',
    FABRIC_TOOLS_DIR: path.join(dir, 'bin'),
    FABRIC_CONFIG_DIR: path.join(dir, 'config'),
    FABRIC_BUNDLE_DIR: path.join(dir, 'no-bundle'),
    FABRIC_RELEASE_URL: `file://${path.join(dir, 'no-release.tar.gz')}`,
    ...env,
  };
}

function build(env, args = []) {
  return run('bash', [BUILD, ...args], { env });
}

const GO_PLACE =
  'Go module github\\.com/hyperledger/fabric@86c1172bec37e6590c6b1ae6f847833df48d65fc';

/**
 * A copy of network/scripts (and the builder that render-node-config.sh checks) with
 * FABRIC_RELEASE_SHA256 set to `digest`, so the release tarball step can be tested whatever the
 * script pins: skipped with '', run against a local file:// URL otherwise.
 */
function scriptsWithDigest(dir, digest) {
  const copy = path.join(dir, 'net');
  fs.cpSync(SCRIPTS_DIR, path.join(copy, 'scripts'), { recursive: true });
  fs.cpSync(path.join(NETWORK_DIR, 'builders'), path.join(copy, 'builders'), { recursive: true });
  const script = path.join(copy, 'scripts', 'build-fabric-tools.sh');
  const text = fs.readFileSync(script, 'utf8');
  const pinned = /^FABRIC_RELEASE_SHA256="[0-9a-f]*"$/m;
  assert.match(text, pinned);
  fs.writeFileSync(script, text.replace(pinned, `FABRIC_RELEASE_SHA256="${digest}"`));
  return script;
}

// --- every source failing --------------------------------------------------------------------

test('with no source usable, exit 3 lists each place looked in order, why, and how to provide the tools', (t) => {
  const dir = tempDir(t);
  // No go on the PATH; a curl that records any call.
  writeExecutable(
    path.join(dir, 'path', 'curl'),
    `#!/bin/sh\necho "$@" >> "${path.join(dir, 'curl-called')}"\nexit 1\n`,
  );
  // The release URL is the real default: with no digest pinned, nothing may be downloaded from it.
  const env = isolated(dir, {
    PATH: `${path.join(dir, 'path')}:${NODE_DIR}:/usr/bin:/bin`,
    FABRIC_RELEASE_URL: '',
  });
  const result = run('bash', [scriptsWithDigest(dir, '')], { env });
  assert.equal(result.status, 3, result.stdout + result.stderr);
  const expected = [
    'ERROR \\[step: find the Fabric 3\\.1\\.5 tools\\]: the Fabric 3\\.1\\.5 tools cannot be obtained on this machine: no source below is usable\\. Looked in, in order:',
    '  1\\. FABRIC_BIN: not set',
    `  2\\. cached build in ${env.FABRIC_TOOLS_DIR}: none \\(no \\.fabric-version stamp\\)`,
    `  3\\. release bundle ${env.FABRIC_BUNDLE_DIR}/v3\\.1\\.5: not found \\(FABRIC_BUNDLE_DIR=${env.FABRIC_BUNDLE_DIR}\\)`,
    `  4\\. ${GO_PLACE}: Go is not installed \\(building Fabric v3\\.1\\.5 needs Go >= 1\\.26\\.4\\)`,
    '  5\\. release tarball https://github\\.com/hyperledger/fabric/releases/download/v3\\.1\\.5/hyperledger-fabric-linux-amd64-3\\.1\\.5\\.tar\\.gz: skipped: no pinned SHA-256 \\(FABRIC_RELEASE_SHA256 is empty in network/scripts/build-fabric-tools\\.sh\\)',
    'Provide them in one of these ways, then run again:',
    '  - FABRIC_BIN=/path/to/fabric/bin: an install of Fabric 3\\.1\\.5 .*',
    `  - Fabric's release tarball hyperledger-fabric-linux-amd64-3\\.1\\.5\\.tar\\.gz unpacked as ${env.FABRIC_BUNDLE_DIR}/v3\\.1\\.5/\\{bin,config\\}, or FABRIC_BUNDLE_DIR=/dir holding v3\\.1\\.5/`,
    '  - Go >= 1\\.26\\.4 with a module proxy \\(GOPROXY\\) that serves github\\.com/hyperledger/fabric: .*',
    '  - on a machine that reaches GitHub: pin FABRIC_RELEASE_SHA256 .*',
  ];
  assert.match(result.stderr, new RegExp(expected.join('\n')));
  assert.equal(
    fs.existsSync(path.join(dir, 'curl-called')),
    false,
    'nothing is downloaded without a pinned digest',
  );
  assert.equal(fs.existsSync(env.FABRIC_TOOLS_DIR), false);
  assert.equal(fs.existsSync(env.FABRIC_CONFIG_DIR), false);
});

test('a Go older than 1.26.4 is listed with its version and the next sources are still tried', (t) => {
  const dir = tempDir(t);
  writeExecutable(
    path.join(dir, 'stub', 'go'),
    `#!/bin/sh
case "$1 $2" in
  "env GOVERSION") echo go1.22.5 ;;
  "version ") echo "go version go1.22.5 linux/amd64" ;;
  *) echo "stub go must not be asked to $*" >&2; exit 99 ;;
esac
`,
  );
  const env = isolated(dir, { PATH: `${path.join(dir, 'stub')}:${NODE_DIR}:${SYSTEM_PATH}` });
  const result = build(env);
  assert.equal(result.status, 3, 'exit 3: tools unobtainable here');
  assert.match(
    result.stderr,
    new RegExp(
      `  4\\. ${GO_PLACE}: Go 1\\.22\\.5 is too old: Fabric v3\\.1\\.5 \\(go\\.mod: go 1\\.26\\.4\\) needs Go >= 1\\.26\\.4\\n  5\\. release tarball `,
    ),
  );
  assert.match(result.stderr, /FABRIC_BIN=\/path\/to\/fabric\/bin/);
  assert.equal(fs.existsSync(env.FABRIC_TOOLS_DIR), false);
});

// This contacts the real Go module proxy. On the development machine it answers 403 for every
// github.com/hyperledger module, which is exactly the message under test.
test('the real Go module proxy refusing the Fabric module is listed with its answer', (t) => {
  const dir = tempDir(t);
  const env = isolated(dir);
  const result = build(env);
  assert.equal(result.status, 3, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `  4\\. ${GO_PLACE}: the Go module proxy \\(.*\\) refused the Fabric module github\\.com/hyperledger/fabric@86c1172bec37e6590c6b1ae6f847833df48d65fc, so the tools cannot be built here \\(while trying to download the module\\)`,
    ),
  );
  assert.match(
    result.stderr,
    /Its answer: 'reading https:\/\/\S+\.info: 403 Forbidden — server response: This module version is not available\.'/,
  );
  assert.match(result.stderr, /FABRIC_BIN=\/path\/to\/fabric\/bin/);
  assert.equal(fs.existsSync(env.FABRIC_TOOLS_DIR), false);
});

// --- 1. FABRIC_BIN ---------------------------------------------------------------------------

test('FABRIC_BIN missing a tool is refused naming the tool', (t) => {
  const dir = tempDir(t);
  const bin = fakeInstall(dir, 'v3.1.5', { omit: 'osnadmin' });
  const result = build({ FABRIC_BIN: bin, FABRIC_CONFIG_DIR: path.join(dir, 'out') });
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `ERROR \\[step: check Fabric tools in FABRIC_BIN=${bin}\\]: FABRIC_BIN=${bin} has no executable 'osnadmin'`,
    ),
  );
});

for (const version of ['v2.4.9', 'v2.5.16', 'v3.1.4']) {
  test(`FABRIC_BIN with Fabric ${version} is refused naming what it reports and what is needed`, (t) => {
    const dir = tempDir(t);
    const bin = fakeInstall(dir, version);
    const result = build({ FABRIC_BIN: bin, FABRIC_CONFIG_DIR: path.join(dir, 'out') });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `FABRIC_BIN=${bin}: peer reports 'Version: ${version.replace(/\./g, '\\.')}', need Fabric 3\\.1\\.5`,
      ),
    );
  });
}

test('FABRIC_BIN with Fabric 3.1.5 is used and its config/ is derived into network/config', (t) => {
  const dir = tempDir(t);
  const bin = fakeInstall(dir, 'v3.1.5');
  const out = path.join(dir, 'out');
  const binDirFile = path.join(dir, 'bin-dir');
  const result = build(
    { FABRIC_BIN: bin, FABRIC_CONFIG_DIR: out, PATH: `${NODE_DIR}:${SYSTEM_PATH}` },
    ['--bin-dir-file', binDirFile],
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(`^using Fabric 3\\.1\\.5 from ${bin} \\(FABRIC_BIN\\)$`, 'm'),
  );
  assert.equal(fs.readFileSync(binDirFile, 'utf8'), `${bin}\n`);
  const core = fs.readFileSync(path.join(out, 'core.yaml'), 'utf8');
  assert.match(core, /^    endpoint: ""$/m);
  assert.match(core, /^# sample core\.yaml$/m);
  const orderer = fs.readFileSync(path.join(out, 'orderer.yaml'), 'utf8');
  assert.match(orderer, /^    BootstrapMethod: none$/m);
});

test('FABRIC_BIN wins over a release bundle, which is not even looked at', (t) => {
  const dir = tempDir(t);
  const marker = path.join(dir, 'bundle-ran');
  const bundle = fakeBundle(dir, '3.1.5', { marker });
  const bin = fakeInstall(path.join(dir, 'install'), '3.1.5');
  const result = build(
    isolated(dir, { FABRIC_BIN: bin, FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }),
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(`^using Fabric 3\\.1\\.5 from ${bin} \\(FABRIC_BIN\\)$`, 'm'),
  );
  assert.doesNotMatch(result.stdout, /release bundle/);
  assert.equal(fs.existsSync(marker), false, "the bundle's peer must not run");
});

test('a bad FABRIC_BIN is an error even when a release bundle would work', (t) => {
  const dir = tempDir(t);
  const bundle = fakeBundle(dir);
  const bin = fakeInstall(path.join(dir, 'install'), 'v2.4.9');
  const result = build(
    isolated(dir, { FABRIC_BIN: bin, FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }),
  );
  assert.equal(result.status, 1);
  assert.match(result.stderr, /peer reports 'Version: v2\.4\.9', need Fabric 3\.1\.5/);
});

// --- 2. the cached build ---------------------------------------------------------------------

function stampedCache(tools, stamp) {
  for (const tool of TOOLS) writeExecutable(path.join(tools, tool), '#!/bin/sh\nexit 0\n');
  writeSampleConfig(path.join(tools, 'sampleconfig'));
  fs.writeFileSync(path.join(tools, '.fabric-version'), stamp);
}

test('stamped binaries of the pinned version are reused without calling go', (t) => {
  const dir = tempDir(t);
  const env = isolated(dir, { PATH: forbiddenGo(dir) });
  stampedCache(
    env.FABRIC_TOOLS_DIR,
    'fabric v3.1.5 86c1172bec37e6590c6b1ae6f847833df48d65fc\nGo module build\n',
  );

  const reused = build(env);
  assert.equal(reused.status, 0, reused.stderr);
  assert.match(
    reused.stdout,
    /==> reuse Fabric tools in .*\n.*found fabric v3\.1\.5 86c1172bec37e6590c6b1ae6f847833df48d65fc/,
  );
  assert.match(
    reused.stdout,
    new RegExp(
      `^using Fabric 3\\.1\\.5 from ${env.FABRIC_TOOLS_DIR} \\(cached Go module build\\)$`,
      'm',
    ),
  );
  assert.ok(fs.existsSync(path.join(env.FABRIC_CONFIG_DIR, 'core.yaml')));

  fs.writeFileSync(path.join(env.FABRIC_TOOLS_DIR, '.fabric-version'), 'fabric v2.5.15 0000\n');
  const stale = build(env);
  assert.equal(
    stale.status,
    3,
    'a stamp of another version is not reused; the other sources are tried',
  );
  assert.match(
    stale.stderr,
    /  2\. cached build in .*: its stamp says 'fabric v2\.5\.15 0000', need 'fabric v3\.1\.5 86c1172bec37e6590c6b1ae6f847833df48d65fc'/,
  );
  assert.match(stale.stderr, /  4\. Go module .*: Go \(version unknown\) is too old/);
});

test('a one-line stamp written before the source was recorded is still reused', (t) => {
  const dir = tempDir(t);
  const env = isolated(dir, { PATH: forbiddenGo(dir) });
  stampedCache(env.FABRIC_TOOLS_DIR, 'fabric v3.1.5 86c1172bec37e6590c6b1ae6f847833df48d65fc\n');
  const result = build(env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\(cached build\)$/m);
});

test('the cached build comes before a release bundle', (t) => {
  const dir = tempDir(t);
  const marker = path.join(dir, 'bundle-ran');
  const env = isolated(dir, {
    FABRIC_BUNDLE_DIR: fakeBundle(dir, '3.1.5', { marker }),
    PATH: forbiddenGo(dir),
  });
  stampedCache(
    env.FABRIC_TOOLS_DIR,
    'fabric v3.1.5 86c1172bec37e6590c6b1ae6f847833df48d65fc\nGo module build\n',
  );
  const result = build(env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(
      `^using Fabric 3\\.1\\.5 from ${env.FABRIC_TOOLS_DIR} \\(cached Go module build\\)$`,
      'm',
    ),
  );
  assert.equal(fs.existsSync(marker), false);
});

// --- 3. the release bundle -------------------------------------------------------------------

test('with nothing set, a release bundle is found and used in place, read-only', (t) => {
  const dir = tempDir(t);
  const bundle = fakeBundle(dir);
  writeSums(bundle);
  const before = snapshot(bundle);
  const env = isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) });
  const binDirFile = path.join(dir, 'bin-dir');
  const result = build(env, ['--bin-dir-file', binDirFile]);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const bin = path.join(bundle, 'v3.1.5', 'bin');
  assert.match(result.stdout, /^  - FABRIC_BIN: not set$/m);
  assert.match(result.stdout, /^  - cached build in .*: none \(no \.fabric-version stamp\)$/m);
  assert.match(result.stdout, new RegExp(`^6 files match ${bundle}/SHA256SUMS$`, 'm'));
  assert.match(
    result.stdout,
    new RegExp(`^using Fabric 3\\.1\\.5 from ${bin} \\(release bundle\\)$`, 'm'),
  );
  assert.equal(fs.readFileSync(binDirFile, 'utf8'), `${bin}\n`);
  assert.match(
    fs.readFileSync(path.join(env.FABRIC_CONFIG_DIR, 'core.yaml'), 'utf8'),
    /^# sample core\.yaml$/m,
    "configs come from the bundle's config/",
  );
  assert.match(
    fs.readFileSync(path.join(env.FABRIC_CONFIG_DIR, 'orderer.yaml'), 'utf8'),
    /^    BootstrapMethod: none$/m,
  );
  assert.deepEqual(snapshot(bundle), before, 'nothing is written into the bundle');
  assert.equal(fs.existsSync(env.FABRIC_TOOLS_DIR), false, 'nothing is copied into the cache');
});

test('a release bundle without SHA256SUMS is used, saying its digests were not checked', (t) => {
  const dir = tempDir(t);
  const bundle = fakeBundle(dir);
  const result = build(isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^no ${bundle}/SHA256SUMS: digests not checked$`, 'm'));
  assert.match(result.stdout, /\(release bundle\)$/m);
});

test('a release bundle whose binaries do not match its SHA256SUMS is refused', (t) => {
  const dir = tempDir(t);
  const bundle = fakeBundle(dir);
  writeSums(bundle);
  fs.appendFileSync(path.join(bundle, 'v3.1.5', 'bin', 'orderer'), '# tampered\n');
  const env = isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) });
  const result = build(env);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `ERROR \\[step: check the release bundle in ${bundle}/v3\\.1\\.5\\]: the release bundle does not match ${bundle}/SHA256SUMS: .*v3\\.1\\.5/bin/orderer: FAILED`,
    ),
  );
  assert.equal(fs.existsSync(env.FABRIC_CONFIG_DIR), false);
});

for (const version of ['v2.4.9', '2.5.15']) {
  test(`a release bundle reporting Fabric ${version} is refused naming what it reports and what is needed`, (t) => {
    const dir = tempDir(t);
    const bundle = fakeBundle(dir, version);
    const result = build(isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }));
    assert.equal(
      result.status,
      1,
      'a broken bundle is an error, not a reason to try the next source',
    );
    assert.match(
      result.stderr,
      new RegExp(
        `ERROR \\[step: check the release bundle in ${bundle}/v3\\.1\\.5\\]: release bundle ${bundle}/v3\\.1\\.5/bin: peer reports 'Version: ${version.replace(/\./g, '\\.')}', need Fabric 3\\.1\\.5`,
      ),
    );
  });
}

test('a release bundle missing a tool or its config is refused naming what is missing', (t) => {
  const dir = tempDir(t);
  const bundle = fakeBundle(dir, '3.1.5', { omit: 'configtxgen' });
  const missingTool = build(isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }));
  assert.equal(missingTool.status, 1);
  assert.match(
    missingTool.stderr,
    new RegExp(`release bundle ${bundle}/v3\\.1\\.5/bin has no executable 'configtxgen'`),
  );

  writeExecutable(path.join(bundle, 'v3.1.5', 'bin', 'configtxgen'), '#!/bin/sh\nexit 0\n');
  fs.rmSync(path.join(bundle, 'v3.1.5', 'config', 'orderer.yaml'));
  const missingConfig = build(isolated(dir, { FABRIC_BUNDLE_DIR: bundle, PATH: forbiddenGo(dir) }));
  assert.equal(missingConfig.status, 1);
  assert.match(
    missingConfig.stderr,
    new RegExp(`release bundle ${bundle}/v3\\.1\\.5 has no config/orderer\\.yaml`),
  );
});

test('without FABRIC_BUNDLE_DIR the bundle is looked for at <repo>/../shared/fabric/v3.1.5', (t) => {
  const dir = tempDir(t);
  const result = build(isolated(dir, { PATH: forbiddenGo(dir), FABRIC_BUNDLE_DIR: '' }));
  const expected = path.join(path.dirname(path.dirname(NETWORK_DIR)), 'shared', 'fabric', 'v3.1.5');
  if (fs.existsSync(expected)) {
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^using Fabric 3\\.1\\.5 from ${expected}/bin \\(release bundle\\)$`, 'm'),
    );
  } else {
    assert.match(result.stderr, new RegExp(`release bundle ${expected}: not found`));
  }
});

// --- 5. the release tarball ------------------------------------------------------------------

/** A release tarball laid out like Fabric's (bin/, config/); returns its path and SHA-256. */
function fakeTarball(dir, version = '3.1.5') {
  const root = path.join(dir, 'release-src');
  fakeInstall(root, version);
  const tarball = path.join(dir, 'hyperledger-fabric-linux-amd64-3.1.5.tar.gz');
  const packed = run('tar', ['-czf', tarball, '-C', root, 'bin', 'config']);
  assert.equal(packed.status, 0, packed.stderr);
  return { tarball, digest: sha256(tarball) };
}

const onLinuxAmd64 =
  process.platform === 'linux' && process.arch === 'x64'
    ? false
    : 'the pinned release tarball is linux-amd64 only';

test(
  'with a pinned digest, a matching release tarball is unpacked into network/bin and then reused',
  { skip: onLinuxAmd64 },
  (t) => {
    const dir = tempDir(t);
    const { tarball, digest } = fakeTarball(dir);
    const script = scriptsWithDigest(dir, digest);
    fs.mkdirSync(path.join(dir, 'nogo'));
    const env = isolated(dir, {
      PATH: `${path.join(dir, 'nogo')}:${NODE_DIR}:/usr/bin:/bin`,
      FABRIC_RELEASE_URL: `file://${tarball}`,
    });
    const first = run('bash', [script], { env });
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.match(first.stdout, new RegExp(`^SHA-256 ${digest} matches the pinned digest$`, 'm'));
    assert.match(
      first.stdout,
      new RegExp(
        `^using Fabric 3\\.1\\.5 from ${env.FABRIC_TOOLS_DIR} \\(release tarball, SHA-256 verified\\)$`,
        'm',
      ),
    );
    for (const tool of TOOLS) assert.ok(fs.existsSync(path.join(env.FABRIC_TOOLS_DIR, tool)), tool);
    assert.equal(
      fs.readFileSync(path.join(env.FABRIC_TOOLS_DIR, '.fabric-version'), 'utf8'),
      'fabric v3.1.5 86c1172bec37e6590c6b1ae6f847833df48d65fc\nrelease tarball\n',
    );

    fs.rmSync(tarball);
    const second = run('bash', [script], { env });
    assert.equal(second.status, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /\(cached release tarball\)$/m);
  },
);

test(
  'with a pinned digest, a release tarball that does not match is refused and not unpacked',
  { skip: onLinuxAmd64 },
  (t) => {
    const dir = tempDir(t);
    const { tarball, digest } = fakeTarball(dir);
    const script = scriptsWithDigest(dir, '0'.repeat(64));
    fs.mkdirSync(path.join(dir, 'nogo'));
    const env = isolated(dir, {
      PATH: `${path.join(dir, 'nogo')}:${NODE_DIR}:/usr/bin:/bin`,
      FABRIC_RELEASE_URL: `file://${tarball}`,
    });
    const result = run('bash', [script], { env });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `file://${tarball} has SHA-256 ${digest}, but 0{64} is pinned: refusing to unpack it`,
      ),
    );
    assert.equal(fs.existsSync(env.FABRIC_TOOLS_DIR), false);
  },
);

test(
  'with a pinned digest, a failed download counts as unobtainable (exit 3)',
  { skip: onLinuxAmd64 },
  (t) => {
    const dir = tempDir(t);
    const script = scriptsWithDigest(dir, 'a'.repeat(64));
    fs.mkdirSync(path.join(dir, 'nogo'));
    const url = `file://${path.join(dir, 'missing.tar.gz')}`;
    const env = isolated(dir, {
      PATH: `${path.join(dir, 'nogo')}:${NODE_DIR}:/usr/bin:/bin`,
      FABRIC_RELEASE_URL: url,
    });
    const result = run('bash', [script], { env });
    assert.equal(result.status, 3, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`  5\\. release tarball ${url}: download failed: curl: \\(37\\)`),
    );
  },
);
