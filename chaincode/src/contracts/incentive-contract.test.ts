import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { allCoalitions, coalitionMembers, sha256Hex, type FederationSpec } from '@fedledger/core';
import {
  ManualClock,
  SAMPLE_ORGS,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
  type SampleConsortium,
} from '../test-support';

const FED = 'fed-1';
const ORGS = [SAMPLE_ORGS.org1, SAMPLE_ORGS.org2, SAMPLE_ORGS.org3];

/** Org1..3 in a federation with incentives; round 1 aggregated from updates of value 1, 2, 3 (rows 10, 20, 30). */
async function aggregatedRound(
  spec: Partial<FederationSpec> = {},
  clock = new ManualClock(),
  values = [1, 2, 3],
): Promise<SampleConsortium> {
  const c = await sampleConsortium({ clock });
  await c.admin.org1.createFederation(
    sampleSpec({ incentives: { creditsPerRound: 100 }, ...spec }),
    sampleWeights(0),
  );
  await c.admin.org2.acceptInvitation(FED);
  await c.admin.org3.acceptInvitation(FED);
  await c.admin.org1.startFederation(FED);
  for (const [k, ledger] of [c.client.org1, c.client.org2, c.client.org3].entries()) {
    const w = sampleWeights(values[k]);
    await ledger.submitUpdate(
      { federationId: FED, round: 1, numSamples: 10 * (k + 1), digest: sha256Hex(w), metrics: {} },
      w,
    );
  }
  await c.client.org1.aggregate(FED, 1);
  return c;
}

/** Utilities of a game where Org1 and Org2 each add 0.2 and Org3 subtracts 0.1, from 0.5. */
function utilities(noise = 0): Record<string, number> {
  const worth: Record<string, number> = {
    [SAMPLE_ORGS.org1]: 0.2,
    [SAMPLE_ORGS.org2]: 0.2,
    [SAMPLE_ORGS.org3]: -0.1,
  };
  return Object.fromEntries(
    allCoalitions(ORGS).map((key) => [
      key,
      0.5 + noise + coalitionMembers(key).reduce((s, org) => s + worth[org], 0),
    ]),
  );
}

describe('contribution scoring and rewards', () => {
  let c: SampleConsortium;
  beforeEach(async () => {
    c = await aggregatedRound();
  });

  test('plan: the 2^3 coalitions of the round, exact; every org records once; settle computes Shapley, signals and credits', async () => {
    const plan = await c.client.org2.getCoalitionPlan(FED, 1);
    assert.deepEqual(plan.contributors, ORGS);
    assert.equal(plan.coalitions.length, 8);
    assert.equal(plan.method, 'exact');
    await c.client.org1.recordUtilities(FED, 1, 100, utilities());
    await c.client.org2.recordUtilities(FED, 1, 100, utilities());
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.settleContributions(FED, 1),
    );
    await c.client.org3.recordUtilities(FED, 1, 200, utilities(0.1));
    const report = await c.client.org3.settleContributions(FED, 1);
    assert.equal(report.method, 'exact');
    assert.deepEqual(report.recorders, ORGS);
    const byOrg = new Map(report.contributions.map((x) => [x.mspId, x]));
    // A missing org reads as NaN, which fails every comparison below.
    assert.ok(Math.abs((byOrg.get(SAMPLE_ORGS.org1)?.shapley ?? NaN) - 0.2) < 1e-12);
    assert.ok(Math.abs((byOrg.get(SAMPLE_ORGS.org3)?.shapley ?? NaN) + 0.1) < 1e-12);
    // Consortium utility weighted by validation rows: (100·0.5 + 100·0.5 + 200·0.6) / 400.
    assert.ok(Math.abs(report.baselineUtility - 0.55) < 1e-12);
    assert.deepEqual(
      report.contributions.map((x) => x.credits),
      [50, 50, 0],
    );
    assert.equal(report.creditsAllocated, 100);
    assert.deepEqual(
      report.contributions.map((x) => x.numSamples),
      [10, 20, 30],
    );
    assert.equal(byOrg.get(SAMPLE_ORGS.org1)?.cosineToAggregate, 1);
    const balances = await c.client.auditor.getRewardBalances(FED);
    assert.deepEqual(
      balances.map((b) => [b.mspId, b.credits, b.rounds]),
      [
        [SAMPLE_ORGS.org1, 50, [1]],
        [SAMPLE_ORGS.org2, 50, [1]],
        [SAMPLE_ORGS.org3, 0, [1]],
      ],
    );
    assert.deepEqual(await c.client.auditor.listContributions(FED), [report]);
    assert.deepEqual(await c.client.auditor.getContributions(FED, 1), report);
    assert.equal((await c.client.auditor.listUtilities(FED, 1)).length, 3);
    await expectRejection(c.world, 'ALREADY_EXISTS', () =>
      c.client.org1.settleContributions(FED, 1),
    );
  });

  test('ALREADY_EXISTS for a second RecordUtilities, nothing changed', async () => {
    const first = await c.client.org1.recordUtilities(FED, 1, 100, utilities());
    const before = c.world.state.snapshot();
    await expectRejection(c.world, 'ALREADY_EXISTS', () =>
      c.client.org1.recordUtilities(FED, 1, 100, utilities(0.1)),
    );
    assert.deepEqual(c.world.state.snapshot(), before);
    assert.deepEqual(await c.client.org1.listUtilities(FED, 1), [first]);
  });

  const bad: [string, () => Record<string, number>, RegExp][] = [
    ['a utility above 1', () => ({ ...utilities(), '': 1.5 }), /must be a number in \[0, 1\]/],
    [
      'a negative utility',
      () => ({ ...utilities(), [SAMPLE_ORGS.org1]: -0.1 }),
      /must be a number in \[0, 1\]/,
    ],
    [
      'an unknown coalition',
      () => ({ ...utilities(), Org9MSP: 0.5 }),
      /unknown coalition "Org9MSP"/,
    ],
    [
      'an unsorted coalition key',
      () => ({ ...utilities(), 'Org2MSP,Org1MSP': 0.5 }),
      /unknown coalition "Org2MSP,Org1MSP"/,
    ],
    [
      'a missing coalition',
      () => Object.fromEntries(Object.entries(utilities()).slice(1)),
      /misses 1 of the 8 planned coalitions/,
    ],
  ];
  for (const [name, build, message] of bad) {
    test(`INVALID_ARGUMENT for ${name}, nothing stored`, async () => {
      const before = c.world.state.snapshot();
      const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
        c.client.org1.recordUtilities(FED, 1, 100, build()),
      );
      assert.match(error.message, message);
      assert.deepEqual(c.world.state.snapshot(), before);
    });
  }

  test('refused: the auditor, a round not aggregated yet, an unknown update, utilities after settlement', async () => {
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.auditor.recordUtilities(FED, 1, 100, utilities()),
    );
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.recordUtilities(FED, 2, 100, utilities()),
    );
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.getContributions(FED, 1));
    await expectRejection(c.world, 'NOT_FOUND', () =>
      c.client.org1.getUpdateWeights(FED, 1, 'Org9MSP'),
    );
    assert.deepEqual(
      await c.client.org2.getUpdateWeights(FED, 1, SAMPLE_ORGS.org1),
      sampleWeights(1),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.auditor.getUpdateWeights(FED, 1, SAMPLE_ORGS.org1),
    );
  });
});

describe('settling with a silent org, and federations without incentives', () => {
  test('after the deadline length a majority of recorders suffices', async () => {
    const clock = new ManualClock();
    const c = await aggregatedRound({}, clock);
    await c.client.org1.recordUtilities(FED, 1, 100, utilities());
    await c.client.org2.recordUtilities(FED, 1, 100, utilities());
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.settleContributions(FED, 1),
    );
    clock.advance(601_000);
    const report = await c.client.org1.settleContributions(FED, 1);
    assert.deepEqual(report.recorders, [SAMPLE_ORGS.org1, SAMPLE_ORGS.org2]);
  });

  test('no incentives: FAILED_PRECONDITION; no pool: scores without credits', async () => {
    const plain = await aggregatedRound({ incentives: undefined });
    await expectRejection(plain.world, 'FAILED_PRECONDITION', () =>
      plain.client.org1.getCoalitionPlan(FED, 1),
    );
    await expectRejection(plain.world, 'FAILED_PRECONDITION', () =>
      plain.client.org1.recordUtilities(FED, 1, 1, utilities()),
    );
    const unpaid = await aggregatedRound({ incentives: {} });
    for (const ledger of [unpaid.client.org1, unpaid.client.org2, unpaid.client.org3])
      await ledger.recordUtilities(FED, 1, 100, utilities());
    const report = await unpaid.client.org1.settleContributions(FED, 1);
    assert.equal(report.creditsAllocated, 0);
    assert.equal(report.creditsPerRound, undefined);
    assert.deepEqual(
      (await unpaid.client.org1.getRewardBalances(FED)).map((b) => b.credits),
      [0, 0, 0],
    );
  });

  test('a free rider (returns the global model: cosine 0) earns nothing even with a positive Shapley value', async () => {
    const c = await aggregatedRound({}, new ManualClock(), [1, 2, 0]);
    const generous = Object.fromEntries(
      allCoalitions(ORGS).map((key) => [key, 0.3 + 0.2 * coalitionMembers(key).length]),
    );
    for (const ledger of [c.client.org1, c.client.org2, c.client.org3])
      await ledger.recordUtilities(FED, 1, 100, generous);
    const report = await c.client.org1.settleContributions(FED, 1);
    const rider = report.contributions.find((x) => x.mspId === SAMPLE_ORGS.org3);
    assert.ok(rider, 'the free rider has a contribution entry');
    assert.ok(Math.abs(rider.shapley - 0.2) < 1e-12);
    assert.equal(rider.cosineToAggregate, 0);
    assert.equal(rider.credits, 0);
    assert.deepEqual(
      report.contributions.map((x) => x.credits),
      [50, 50, 0],
    );
  });

  const badPools: [string, unknown][] = [
    ['zero', 0],
    ['negative', -5],
    ['fractional', 2.5],
    ['text', '10'],
  ];
  for (const [name, credits] of badPools) {
    test(`INVALID_ARGUMENT for a ${name} reward pool`, async () => {
      const c = await sampleConsortium();
      const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
        c.admin.org1.createFederation(
          sampleSpec({ incentives: { creditsPerRound: credits as number } }),
          sampleWeights(0),
        ),
      );
      assert.match(error.message, /spec\.incentives\.creditsPerRound/);
    });
  }
});
