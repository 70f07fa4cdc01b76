import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RoundMetrics } from '@fedledger/demo';
import { bytesByRound, roundAnatomy } from './round-anatomy';

/** 3 orgs × 4 rounds: 12 trainings of 2 s, submits of 0.5 s, event → committed 3 s; 4 aggregates of 0.6 s. */
const METRICS: RoundMetrics = {
  aggregations: { succeeded: 4, failed: 2 },
  training: { count: 12, seconds: 24 },
  submitUpdate: { count: 12, seconds: 6 },
  aggregate: { count: 4, seconds: 2.4 },
  recordEvaluation: { count: 12, seconds: 4.8 },
  eventToSubmit: { count: 12, seconds: 36 },
  turnaround: { count: 9, seconds: 9 },
  trainedAhead: { used: 0, discarded: 0, failed: 0 },
};

test('roundAnatomy splits a 5 s round into training, ledger calls and waiting', () => {
  const a = roundAnatomy(5, METRICS);
  assert.equal(a.training, 2);
  assert.equal(a.submit, 0.5);
  assert.equal(a.eventToTraining, 0.5);
  assert.ok(Math.abs(a.aggregate - 0.6) < 1e-12);
  assert.ok(Math.abs(a.waitAndNotify - 1.4) < 1e-12);
  assert.ok(Math.abs(a.recordEvaluation - 0.4) < 1e-12);
  assert.ok(Math.abs(a.ledgerShareLow - 1.6 / 5) < 1e-12);
  assert.equal(a.ledgerShareHigh, 3 / 5);
});

test('roundAnatomy never reports negative residues and gives n/a for steps never taken', () => {
  const a = roundAnatomy(1, { ...METRICS, recordEvaluation: { count: 0, seconds: 0 } });
  assert.equal(a.waitAndNotify, 0);
  assert.ok(Number.isNaN(a.recordEvaluation));
});

test('bytesByRound differences consecutive marks from round 0 and stops at the first gap', () => {
  const mark = (round: number, loBytes: number): { round: number; t: number; loBytes: number } => ({
    round,
    t: round,
    loBytes,
  });
  assert.deepEqual(
    bytesByRound([mark(0, 100), mark(1, 400), mark(2, 1000), mark(4, 5000)]),
    [300, 600],
  );
  assert.deepEqual(bytesByRound([mark(1, 400)]), []);
});
