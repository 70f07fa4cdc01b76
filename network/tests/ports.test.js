'use strict';
// `up` checks every planned port before it needs any Fabric binary, so this runs here.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { network, tempDir, occupyPort, freeBasePort, writeExecutable } = require('./helpers');

const NO_TOOLS = { FABRIC_BIN: '/nonexistent/fabric/bin' };

test('up fails fast naming a port in use, before generating anything', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  await occupyPort(t, base + 112); // peer.org2's operations port with the default three orgs

  const result = network(['up', '--base-port', String(base)], state, NO_TOOLS);

  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(
      `port ${base + 112} \\(peer\\.org2 operations\\) is already in use on 127\\.0\\.0\\.1`,
    ),
  );
  assert.match(
    result.stderr,
    new RegExp(
      `ERROR \\[step: check ports\\]: port\\(s\\) ${base + 112} already in use on 127\\.0\\.0\\.1`,
    ),
  );
  assert.doesNotMatch(
    result.stderr,
    /FABRIC_BIN/,
    'the port check must come before the tool check',
  );
  assert.equal(fs.existsSync(state), false);
});

test('up checks the ports of every Raft node when -r 3 is given', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);
  await occupyPort(t, base + 21); // orderer3's admin port

  const result = network(
    ['up', '--consensus', 'raft', '-p', String(base), '-r', '3'],
    state,
    NO_TOOLS,
  );

  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(`port ${base + 21} \\(orderer3 admin\\) is already in use`),
  );
});

test('with free ports, up goes on to the Fabric tools and fails with their error', async (t) => {
  const state = path.join(tempDir(t), 'state');
  const base = await freeBasePort(120);

  // BFT by default: 4 orderers x 3 ports + 4 peers x 4 ports.
  const result = network(['up', '-p', String(base)], state, NO_TOOLS);

  assert.equal(result.status, 1);
  assert.match(result.stdout, new RegExp(`all 28 ports from ${base} free on 127\\.0\\.0\\.1`));
  assert.match(result.stderr, /FABRIC_BIN=\/nonexistent\/fabric\/bin has no executable 'peer'/);
  assert.match(result.stderr, /ERROR \[step: Fabric tools\]: Fabric tools are not available/);
  assert.equal(fs.existsSync(state), false, 'nothing is written before the tools are available');
});

test('up exits 3 when the Fabric tools cannot be obtained (here: Go too old)', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const base = await freeBasePort(120);
  writeExecutable(path.join(dir, 'stub', 'go'), '#!/bin/sh\necho go1.21.0\n');
  const result = network(['up', '-p', String(base)], state, {
    PATH: `${path.join(dir, 'stub')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    FABRIC_BIN: '',
    FABRIC_TOOLS_DIR: path.join(dir, 'bin'),
  });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /release bundle .*no-fabric-bundle\/v3\.1\.5: not found/);
  assert.match(result.stderr, /Go 1\.21\.0 is too old/);
  assert.match(
    result.stderr,
    /ERROR \[step: Fabric tools\]: the Fabric tools cannot be obtained on this machine/,
  );
  assert.equal(fs.existsSync(state), false);
});
