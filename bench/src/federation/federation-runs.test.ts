import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend } from '@fedledger/gateway/training';
import { runCoordinatorFederation } from './in-process-coordinator';
import { localSeed } from './round-loop';
import { runLedgerFederation } from './ledger-federation';
import { runPrivateFederation } from './private-coordinator';
import { medianTiming } from './round-timing';
import { buildScenario } from './scenario';
import { centralizedAccuracy, localOnlyAccuracies } from './baselines';
import { warmUp } from './warm-up';

const scenario = buildScenario({
  rows: 400,
  orgs: 3,
  split: 'iid',
  testFraction: 0.25,
  hiddenUnits: [6],
  seed: 9,
});
const hyperParameters = { epochs: 1, batchSize: 32, learningRate: 0.01 };

before(async () => {
  await initBackend({ requested: 'cpu' });
});

test('the in-process ledger and the coordinator produce the same global models', async () => {
  const options = { scenario, strategy: { name: 'fedavg' as const }, hyperParameters, rounds: 2 };
  const coordinator = await runCoordinatorFederation(options);
  const ledger = await runLedgerFederation({ ...options, federationId: 'test-fed' });
  assert.equal(coordinator.rounds.length, 2);
  assert.deepEqual(
    ledger.rounds.map((r) => [r.testAccuracy, r.testLoss]),
    coordinator.rounds.map((r) => [r.testAccuracy, r.testLoss]),
  );
  assert.equal(ledger.finalAccuracy, coordinator.finalAccuracy);
  for (const round of ledger.rounds) {
    assert.ok((round.timing.ledgerCalls ?? -1) > 0);
    assert.ok(round.timing.total >= round.timing.training);
  }
  assert.equal(coordinator.rounds[0]?.timing.ledgerCalls, undefined);
});

test('the secure-aggregation run masks, unmasks and times every round, landing near the plain FedAvg run', async () => {
  const options = { scenario, strategy: { name: 'fedavg' as const }, hyperParameters, rounds: 2 };
  const plain = await runCoordinatorFederation(options);
  const secure = await runPrivateFederation({
    ...options,
    minParticipants: 3,
    privacy: { secureAggregation: true, fixedPoint: { scale: 2 ** 16, range: 4 } },
  });
  assert.equal(secure.rounds.length, 2);
  assert.deepEqual(
    secure.maskSeconds,
    secure.rounds.map((round) => round.timing.submit),
  );
  assert.equal(secure.unmaskSeconds.length, 2);
  assert.deepEqual(
    secure.deltaNorms.map((norms) => norms.length),
    [3, 3],
  );
  // Fixed point at 2^-16 moves each weight by far less than one test prediction's margin.
  for (const [i, round] of secure.rounds.entries()) {
    assert.ok(Math.abs(round.testLoss - (plain.rounds[i]?.testLoss ?? Number.NaN)) < 1e-3);
  }
});

test('FedProx and FedAdam runs complete with accuracies in [0, 1] and report each round', async () => {
  const seen: number[] = [];
  const run = await runCoordinatorFederation({
    scenario,
    strategy: { name: 'fedadam' },
    hyperParameters: { ...hyperParameters, proximalMu: 0.01 },
    rounds: 2,
    onRound: (outcome) => seen.push(outcome.round),
  });
  assert.deepEqual(seen, [1, 2]);
  assert.ok(run.finalAccuracy >= 0 && run.finalAccuracy <= 1);
});

test('baselines: one local-only accuracy per org, a centralised accuracy', async () => {
  const local = await localOnlyAccuracies(scenario, hyperParameters, 1);
  assert.equal(local.length, 3);
  const central = await centralizedAccuracy(scenario, hyperParameters, 1);
  assert.ok(central >= 0 && central <= 1);
  await warmUp(scenario);
});

test('medianTiming takes the median of each phase and keeps ledgerCalls only when present', () => {
  const timing = (total: number, ledgerCalls?: number) => ({
    training: total / 2,
    submit: 0,
    aggregate: 0,
    evaluation: 0,
    total,
    ...(ledgerCalls !== undefined ? { ledgerCalls } : {}),
  });
  const run = (timings: ReturnType<typeof timing>[]) => ({
    rounds: timings.map((t, i) => ({ round: i + 1, testAccuracy: 0, testLoss: 0, timing: t })),
    finalAccuracy: 0,
    totalSeconds: 0,
  });
  assert.deepEqual(medianTiming(run([timing(1), timing(3), timing(2)])), {
    training: 1,
    submit: 0,
    aggregate: 0,
    evaluation: 0,
    total: 2,
  });
  assert.equal(medianTiming(run([timing(1, 0.5), timing(3, 0.1)])).ledgerCalls, 0.3);
});

test('localSeed differs per org and round', () => {
  assert.notEqual(localSeed(1, 0), localSeed(1, 1));
  assert.notEqual(localSeed(1, 0), localSeed(2, 0));
});
