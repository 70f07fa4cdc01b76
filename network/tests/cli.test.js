'use strict';
// network.sh argument handling: help for every mode, usage errors exit 2, modes that need a
// running network refuse cleanly. No Fabric binary is involved.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { network, tempDir } = require('./helpers');

const MODES = ['up', 'deployCC', 'down', 'status', 'restart', 'logs', 'partition', 'heal', 'help'];

test('help lists every mode and exits 0', (t) => {
  const state = path.join(tempDir(t), 'state');
  const result = network(['help'], state);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^Usage: network\.sh <mode> \[flags\]/);
  for (const mode of MODES) assert.match(result.stdout, new RegExp(`^  ${mode}\\b`, 'm'));
});

for (const mode of MODES) {
  test(`help ${mode} and ${mode} --help print the mode's usage`, (t) => {
    const state = path.join(tempDir(t), 'state');
    const expected =
      mode === 'help'
        ? /^Usage: network\.sh <mode>/
        : new RegExp(`^Usage: network\\.sh ${mode}\\b`);
    for (const args of [
      ['help', mode],
      [mode, '--help'],
      [mode, '-h'],
    ]) {
      const result = network(args, state);
      assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, expected, args.join(' '));
      assert.equal(result.stderr, '');
    }
  });
}

test('up --help documents every flag', (t) => {
  const result = network(['up', '--help'], path.join(tempDir(t), 'state'));
  for (const flag of [
    '--consensus',
    '--allow-no-fault-tolerance',
    '--orgs',
    '--raft',
    '--channel',
    '--base-port',
    '--batch-timeout',
    '--hosts',
  ]) {
    assert.match(result.stdout, new RegExp(flag));
  }
});

const USAGE_ERRORS = [
  [[], /no mode given/],
  [['bogus'], /unknown mode 'bogus'/],
  [['up', '--nope'], /unknown flag '--nope' for mode 'up'/],
  [['down', '-n', '3'], /unknown flag '-n' for mode 'down'/],
  [['deployCC', '--orgs', '3'], /unknown flag '--orgs' for mode 'deployCC'/],
  [['up', '--orgs'], /flag '--orgs' needs a value/],
  [['up', '--consensus', 'raft', '-r', '2'], /raft nodes must be 1 or 3 \(got '2'\)/],
  [['up', '--consensus', 'pbft'], /consensus must be bft or raft \(got 'pbft'\)/],
  [
    ['up', '-r', '3'],
    /-r\/--raft sets the Raft node count; with --consensus bft every member org and the auditor runs one orderer/,
  ],
  [
    ['up', '-n', '2'],
    /BFT ordering with 3 orderer node\(s\) \(one per member org plus the auditor\) tolerates no faulty node: n = 3f \+ 1 nodes tolerate f faulty ones, so f = 1 needs 4 nodes.*--allow-no-fault-tolerance/,
  ],
  [['up', '--consensus', 'bft', '-n', '1'], /BFT ordering with 2 orderer node\(s\)/],
  [['up', '--consensus'], /flag '--consensus' needs a value/],
  [['up', '-n', '0'], /member orgs must be 1-9 \(got '0'\)/],
  [['up', '-p', '80'], /base port must be a number in 1024-65300 \(got '80'\)/],
  [['up', '-c', 'Bad_Name'], /channel name must be lower case/],
  [['up', '-t', 'soon'], /batch timeout must look like 250ms or 2s \(got 'soon'\)/],
  [['up', 'extra'], /unexpected argument 'extra' for mode 'up'/],
  [['restart'], /mode 'restart' needs a component/],
  [['logs'], /mode 'logs' needs a component/],
  [['logs', 'peer.org1', '--lines', 'x'], /--lines needs a positive number/],
  [['help', 'nosuchmode'], /unknown mode 'nosuchmode'/],
  [['up', '--hosts', 'vm'], /hosts must be loopback or netns \(got 'vm'\)/],
  [['partition'], /mode 'partition' needs an organization/],
  [['heal'], /mode 'heal' needs an organization/],
  [['partition', 'org2', '--seconds', 'soon'], /--seconds needs a positive number/],
  [['heal', 'org2', '--seconds', '3'], /unknown flag '--seconds' for mode 'heal'/],
];

for (const [args, message] of USAGE_ERRORS) {
  test(`usage error: network.sh ${args.join(' ') || '(nothing)'} exits 2 with usage`, (t) => {
    const result = network(args, path.join(tempDir(t), 'state'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /Usage: network\.sh <mode> \[flags\]/);
  });
}

for (const args of [
  ['deployCC'],
  ['restart', 'peer.org2'],
  ['logs', 'orderer1'],
  ['partition', 'org2'],
  ['heal', 'org2'],
]) {
  test(`${args.join(' ')} before up fails naming the missing network`, (t) => {
    const result = network(args, path.join(tempDir(t), 'state'));
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /ERROR \[step: check the network is up\]: the network is not up \(no .*network\.env\); run '\.\/network\.sh up' first/,
    );
  });
}

test('status before up reports the network down and exits 1', (t) => {
  const result = network(['status'], path.join(tempDir(t), 'state'));
  assert.equal(result.status, 1);
  assert.match(result.stdout, /network: down/);
});
