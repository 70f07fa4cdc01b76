import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOrgCounts, sideBySideRows, steadyRound, type SystemRun } from './comparison';

test('parseOrgCounts keeps the order and rejects junk, out-of-range and repeated counts', () => {
  assert.deepEqual(parseOrgCounts('3, 5'), [3, 5]);
  assert.throws(() => parseOrgCounts(''), /no org count/);
  assert.throws(() => parseOrgCounts('3,x'), /integer from 2 to 10/);
  assert.throws(() => parseOrgCounts('1'), /integer from 2 to 10/);
  assert.throws(() => parseOrgCounts('3,3'), /listed twice/);
});

test('steadyRound leaves out round 1 unless it is the only one', () => {
  assert.equal(steadyRound([30, 4, 6, 5]), 5);
  assert.equal(steadyRound([7]), 7);
  assert.ok(Number.isNaN(steadyRound([])));
});

test('sideBySideRows: ratio against the peer at the same org count, MB and kB, accuracy per round', () => {
  const run = (system: string, orgs: number, rounds: number[], isPeer: boolean): SystemRun => ({
    orgs,
    system,
    startupSeconds: 60,
    roundSeconds: rounds,
    roundsSeconds: 40,
    endToEndSeconds: 120,
    startupBytes: 2_500_000,
    bytesByRound: [300_000, 100_000, 200_000],
    roundsBytes: 600_000,
    accuracyByRound: [0.5, 0.71234],
    isPeer,
  });
  const rows = sideBySideRows([
    run('fedledger', 3, [20, 4, 6], false),
    run('Flower', 3, [30, 10, 10], true),
    run('fedledger', 5, [9, 9], false),
  ]);
  assert.deepEqual(rows[0], [
    3,
    'fedledger',
    60,
    20,
    5,
    '0.50',
    40,
    120,
    2.5,
    200,
    0.6,
    '0.500 0.712',
  ]);
  assert.equal(rows[1]?.[5], '1.00');
  // No peer ran at 5 orgs.
  assert.equal(rows[2]?.[5], 'n/a');
});
