import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { networkConfigWith, parseConsensusList } from './consensus';

test('parseConsensusList keeps the order and refuses unknown or repeated kinds', () => {
  assert.deepEqual(parseConsensusList('bft,raft'), ['bft', 'raft']);
  assert.deepEqual(parseConsensusList(' raft , '), ['raft']);
  assert.throws(() => parseConsensusList('pbft'), /consensus must be bft or raft \(got 'pbft'\)/);
  assert.throws(() => parseConsensusList('bft,bft'), /consensus bft is listed twice/);
  assert.throws(() => parseConsensusList(','), /no consensus given/);
});

test('networkConfigWith copies network.config and sets CONSENSUS last, so it wins', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fedledger-consensus-'));
  try {
    const text = readFileSync(networkConfigWith('raft', dir), 'utf8');
    assert.match(text, /^MEMBER_ORGS=3$/m);
    assert.match(text, /\nCONSENSUS=raft\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
