'use strict';
// The chaincode-as-a-service external builder (builders/ccaas/bin) on package layouts laid out the
// way the peer presents them, including one produced by package-ccaas.sh.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { run, tempDir, BUILDER_BIN, SCRIPTS_DIR } = require('./helpers');

const CONNECTION = '{"address":"127.0.0.1:7153","dial_timeout":"10s","tls_required":false}\n';

function builder(step, args) {
  return run(path.join(BUILDER_BIN, step), args);
}

/** Source and metadata directories as the peer extracts them from a package. */
function packageLayout(t, { type = 'ccaas', connection = CONNECTION, metaInf = false } = {}) {
  const dir = tempDir(t);
  const src = path.join(dir, 'src');
  const meta = path.join(dir, 'meta');
  fs.mkdirSync(src);
  fs.mkdirSync(meta);
  fs.writeFileSync(
    path.join(meta, 'metadata.json'),
    `{ "type": "${type}", "label": "fedledger_1.0" }\n`,
  );
  if (connection !== null) fs.writeFileSync(path.join(src, 'connection.json'), connection);
  if (metaInf) {
    const indexes = path.join(src, 'META-INF', 'statedb', 'couchdb', 'indexes');
    fs.mkdirSync(indexes, { recursive: true });
    fs.writeFileSync(path.join(indexes, 'byRound.json'), '{"index":{"fields":["round"]}}');
  }
  return { dir, src, meta };
}

test('detect claims ccaas packages in any letter case and nothing else', (t) => {
  for (const type of ['ccaas', 'CCaaS']) {
    const { src, meta } = packageLayout(t, { type });
    assert.equal(builder('detect', [src, meta]).status, 0, type);
  }
  for (const type of ['node', 'golang', 'ccaas-like']) {
    const { src, meta } = packageLayout(t, { type });
    assert.equal(builder('detect', [src, meta]).status, 1, type);
  }
  const { src, dir } = packageLayout(t);
  assert.equal(builder('detect', [src, path.join(dir, 'no-metadata')]).status, 1);
  const usage = builder('detect', [src]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^usage: detect CHAINCODE_SOURCE_DIR CHAINCODE_METADATA_DIR/);
});

test('build copies connection.json and META-INF; release places them where the peer reads them', (t) => {
  const { dir, src, meta } = packageLayout(t, { metaInf: true });
  const out = path.join(dir, 'build');
  const release = path.join(dir, 'release');

  const built = builder('build', [src, meta, out]);
  assert.equal(built.status, 0, built.stderr);
  assert.equal(fs.readFileSync(path.join(out, 'connection.json'), 'utf8'), CONNECTION);
  assert.ok(
    fs.existsSync(path.join(out, 'META-INF', 'statedb', 'couchdb', 'indexes', 'byRound.json')),
  );

  const released = builder('release', [out, release]);
  assert.equal(released.status, 0, released.stderr);
  assert.equal(
    fs.readFileSync(path.join(release, 'chaincode', 'server', 'connection.json'), 'utf8'),
    CONNECTION,
  );
  assert.equal(
    fs.readFileSync(path.join(release, 'statedb', 'couchdb', 'indexes', 'byRound.json'), 'utf8'),
    '{"index":{"fields":["round"]}}',
  );
});

test('build without META-INF produces only connection.json', (t) => {
  const { dir, src, meta } = packageLayout(t);
  const out = path.join(dir, 'build');
  assert.equal(builder('build', [src, meta, out]).status, 0);
  assert.deepEqual(fs.readdirSync(out), ['connection.json']);
  const release = path.join(dir, 'release');
  assert.equal(builder('release', [out, release]).status, 0);
  assert.deepEqual(fs.readdirSync(release), ['chaincode']);
});

test('build rejects a package without connection.json or without an address', (t) => {
  const missing = packageLayout(t, { connection: null });
  const noFile = builder('build', [missing.src, missing.meta, path.join(missing.dir, 'out')]);
  assert.equal(noFile.status, 1);
  assert.match(
    noFile.stderr,
    /ccaas build: .*connection\.json not found; a ccaas package's code\.tar\.gz must contain connection\.json/,
  );

  const noAddress = packageLayout(t, { connection: '{"dial_timeout":"10s"}' });
  const result = builder('build', [noAddress.src, noAddress.meta, path.join(noAddress.dir, 'out')]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /has no "address"/);
});

test('release without a build output fails clearly', (t) => {
  const dir = tempDir(t);
  const result = builder('release', [path.join(dir, 'nothing'), path.join(dir, 'release')]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /ccaas release: .*connection\.json not found \(did build run\?\)/);
});

test('package-ccaas.sh builds a reproducible package whose id is label:sha256, accepted by the builder', (t) => {
  const dir = tempDir(t);
  const first = path.join(dir, 'a', 'fedledger.tgz');
  const second = path.join(dir, 'b', 'fedledger.tgz');
  const pkg = (out) =>
    run('bash', [
      path.join(SCRIPTS_DIR, 'package-ccaas.sh'),
      'fedledger_1.0',
      '127.0.0.1:7153',
      out,
    ]);

  const a = pkg(first);
  const b = pkg(second);
  assert.equal(a.status, 0, a.stderr);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(first)).digest('hex');
  assert.equal(a.stdout, `fedledger_1.0:${sha}\n`);
  assert.equal(b.stdout, a.stdout, 'same inputs, same package id');

  // Unpack the way the peer does: metadata.json beside the extracted code.tar.gz.
  const meta = path.join(dir, 'meta');
  const src = path.join(dir, 'src');
  fs.mkdirSync(meta);
  fs.mkdirSync(src);
  assert.equal(run('tar', ['-xzf', first, '-C', meta]).status, 0);
  assert.deepEqual(fs.readdirSync(meta).sort(), ['code.tar.gz', 'metadata.json']);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(meta, 'metadata.json'), 'utf8')), {
    type: 'ccaas',
    label: 'fedledger_1.0',
  });
  assert.equal(run('tar', ['-xzf', path.join(meta, 'code.tar.gz'), '-C', src]).status, 0);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(src, 'connection.json'), 'utf8')), {
    address: '127.0.0.1:7153',
    dial_timeout: '10s',
    tls_required: false,
  });
  assert.equal(builder('detect', [src, meta]).status, 0);
  assert.equal(builder('build', [src, meta, path.join(dir, 'out')]).status, 0);
});

test('package-ccaas.sh rejects bad labels and addresses', (t) => {
  const out = path.join(tempDir(t), 'p.tgz');
  const badLabel = run('bash', [
    path.join(SCRIPTS_DIR, 'package-ccaas.sh'),
    'bad label',
    '127.0.0.1:1',
    out,
  ]);
  assert.equal(badLabel.status, 2);
  assert.match(badLabel.stderr, /label 'bad label' is not a valid Fabric package label/);
  const badAddress = run('bash', [
    path.join(SCRIPTS_DIR, 'package-ccaas.sh'),
    'fedledger_1.0',
    '127.0.0.1',
    out,
  ]);
  assert.equal(badAddress.status, 2);
  assert.match(badAddress.stderr, /address '127\.0\.0\.1' is not HOST:PORT/);
});
