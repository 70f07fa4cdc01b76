import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FabricRunResult } from './fabric-run-result';
import { blobRoundAnatomy, largeRoundTable, targetVerdict } from './large-round-report';

test('targetVerdict: met at or under 5 %, not met above, n/a where training stayed under 10 s', () => {
  assert.equal(targetVerdict(0.05, 12), 'met');
  assert.equal(targetVerdict(0.051, 12), 'not met');
  assert.equal(targetVerdict(0.01, 9.5), 'n/a (training 9.5 s < 10 s)');
  assert.equal(targetVerdict(0.01, Number.NaN), 'n/a (training NaN s < 10 s)');
});

/** 3 orgs × 3 rounds of a 20 s round: 12 s training, 1 s fetch, 0.5 s submit, 0.8 s accepting aggregate, 6 attesting calls of 1.2 s. */
const FABRIC = {
  orgs: 3,
  rounds: 3,
  hyperParameters: { epochs: 3, batchSize: 32, learningRate: 0.01 },
  roundSeconds: [20, 20, 20],
  model: { hiddenUnits: [993, 993], rows: 6000, weightsPath: 'blob' },
  roundMetrics: {
    aggregations: { succeeded: 3, failed: 1 },
    training: { count: 9, seconds: 108 },
    submitUpdate: { count: 9, seconds: 4.5 },
    aggregate: { count: 3, seconds: 2.4 },
    recordEvaluation: { count: 9, seconds: 2.7 },
    eventToSubmit: { count: 9, seconds: 121.5 },
    turnaround: { count: 6, seconds: 6 },
    trainedAhead: { used: 0, discarded: 0, failed: 0 },
  },
  aggregateOutcomes: {
    ok: { count: 3, seconds: 2.4 },
    QUORUM_NOT_MET: { count: 6, seconds: 7.2 },
    ROUND_CLOSED: { count: 1, seconds: 0.3 },
  },
} as unknown as FabricRunResult;

test('blobRoundAnatomy moves the attesting calls out of wait + notify into the ledger share', () => {
  const a = blobRoundAnatomy(FABRIC);
  assert.ok(Math.abs(a.attest - 1.2) < 1e-12);
  // wait + notify: 20 − 13.5 − 0.8 = 5.7 in §4a, less the attestation
  assert.ok(Math.abs(a.waitAndNotify - 4.5) < 1e-12);
  assert.ok(Math.abs(a.ledgerShare - (1 + 0.5 + 1.2 + 0.8) / 20) < 1e-12);
  assert.deepEqual(a.calls, { ok: 3, quorumNotMet: 6, other: 1 });
  // on the path: the submit and the turnaround (round complete → next training), 0.5 + 1 of 20 s
  assert.ok(Math.abs(a.turnaround - 1) < 1e-12);
  assert.ok(Math.abs(a.pathShare - 1.5 / 20) < 1e-12);
  const older = blobRoundAnatomy({ ...FABRIC, aggregateOutcomes: undefined });
  assert.equal(older.attest, 0);
  assert.ok(Math.abs(older.ledgerShare - 2.3 / 20) < 1e-12);
});

/** The same federation trained ahead: 16 s rounds, the turnaround down to 0.2 s, every org's training ahead used. */
const AHEAD = {
  ...FABRIC,
  roundSeconds: [16, 16, 16],
  roundMetrics: {
    ...FABRIC.roundMetrics,
    turnaround: { count: 6, seconds: 1.2 },
    trainedAhead: { used: 6, discarded: 0, failed: 0 },
  },
};

test("largeRoundTable: one row per size and setting with §4a's phases, the shares, the ratio to not training ahead and the verdict", () => {
  const size = { targetParams: 1_000_000, hiddenUnits: [993, 993], params: 1_000_945 };
  const load1 = { start: 3.21, end: 4.5 };
  const table = largeRoundTable([
    { sizeIndex: 0, size, epochs: 3, trainAhead: true, fabric: AHEAD, load1 },
    { sizeIndex: 0, size, epochs: 3, trainAhead: false, fabric: FABRIC, load1 },
    // A second run of the same size is compared with its own baseline, not the first one's.
    { sizeIndex: 1, size, epochs: 3, trainAhead: true, fabric: FABRIC, load1 },
    { sizeIndex: 1, size, epochs: 3, trainAhead: false, fabric: AHEAD, load1 },
  ]);
  const cells = (line: number): string[] =>
    (table.split('\n')[line] ?? '')
      .split('|')
      .map((c) => c.trim())
      .slice(1, -1);
  const common = ['MLP 12→993→993→1', '1.00M', 'blob', '6000 × 3'];
  // round 16 (0.8 of 20), fetch 13.5 − 12 − 0.5 = 1, wait 16 − 13.5 − 0.8 − 1.2 = 0.5; all calls 3.5 / 16;
  // on path (0.5 + 0.2) / 16 = 4.4 %: met
  assert.deepEqual(cells(2), [
    ...common,
    'on (6 / 0)',
    '16',
    '0.800',
    '12',
    '1',
    '0.500',
    '1.20',
    '0.800',
    '0.500',
    '0.300',
    '3 / 6 / 1',
    '0.200',
    '22 %',
    '4.4 %',
    '25 %',
    'met',
    '3.2 → 4.5',
  ]);
  // round 20, wait 4.5; all calls 3.5 / 20 = 18 %; on path (0.5 + 1) / 20 = 7.5 %
  assert.deepEqual(cells(3), [
    ...common,
    'off',
    '20',
    '1 (baseline)',
    '12',
    '1',
    '0.500',
    '1.20',
    '0.800',
    '4.50',
    '0.300',
    '3 / 6 / 1',
    '1',
    '18 %',
    '7.5 %',
    '40 %',
    'not met',
    '3.2 → 4.5',
  ]);
  assert.equal(cells(4)[6], '1.25');
});
