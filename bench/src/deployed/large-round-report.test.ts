import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FabricRunResult } from './fabric-run-result';
import { largeRoundTable, targetVerdict } from './large-round-report';

test('targetVerdict: met at or under 5 %, not met above, n/a where training stayed under 10 s', () => {
  assert.equal(targetVerdict(0.05, 12), 'met');
  assert.equal(targetVerdict(0.051, 12), 'not met');
  assert.equal(targetVerdict(0.01, 9.5), 'n/a (training 9.5 s < 10 s)');
  assert.equal(targetVerdict(0.01, Number.NaN), 'n/a (training NaN s < 10 s)');
});

/** 3 orgs × 3 rounds of a 20 s round: 12 s training, 1 s fetch, 0.5 s submit, 0.8 s aggregate. */
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
  },
} as unknown as FabricRunResult;

test('largeRoundTable: one row per size with §4a\'s phases, both shares and the verdict', () => {
  const table = largeRoundTable([{ size: { targetParams: 1_000_000, hiddenUnits: [993, 993], params: 1_000_945 }, epochs: 3, fabric: FABRIC, load1: { start: 3.21, end: 4.5 } }]);
  const row = table.split('\n')[2] as string;
  const cells = row.split('|').map((c) => c.trim()).slice(1, -1);
  // round 20, training 12, fetch 13.5 − 12 − 0.5 = 1, submit 0.5, aggregate 0.8, wait 20 − 13.5 − 0.8 = 5.7; ledger calls (1 + 0.5 + 0.8) / 20 = 11.5 % → 12 %
  assert.deepEqual(cells, ['MLP 12→993→993→1', '1.00M', 'blob', '6000 × 3', '20', '12', '1', '0.500', '0.800', '5.70', '0.300', '3 / 1', '12 %', '40 %', 'not met', '3.2 → 4.5']);
});
