import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  CONTRACT,
  MEMBER_COLLECTION,
  TX,
  TRANSIENT,
  encodeFlat,
  sha256Hex,
  type SubmitUpdateInput,
} from '@fedledger/core';
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

function input(weights: Uint8Array, overrides: Partial<SubmitUpdateInput> = {}): SubmitUpdateInput {
  return {
    federationId: FED,
    round: 1,
    numSamples: 10,
    digest: sha256Hex(weights),
    metrics: { loss: 1 },
    ...overrides,
  };
}

/** Org1 creates (limit 200 bytes), Org2 accepts, round 1 is open; Org3 was invited but did not accept. */
async function runningFederation(clock = new ManualClock()): Promise<SampleConsortium> {
  const consortium = await sampleConsortium({ clock });
  await consortium.admin.org1.createFederation(
    sampleSpec({ maxUpdateBytes: 200 }),
    sampleWeights(0),
  );
  await consortium.admin.org2.acceptInvitation(FED);
  await consortium.admin.org1.startFederation(FED);
  return consortium;
}

describe('SubmitUpdate', () => {
  let c: SampleConsortium;
  const weights = sampleWeights(1);
  beforeEach(async () => {
    c = await runningFederation();
  });

  test('two submissions in one round write disjoint keys and never the round or federation record', async () => {
    await c.client.org1.submitUpdate(input(weights), weights);
    await c.client.org2.submitUpdate(input(sampleWeights(2)), sampleWeights(2));
    const written = c.world.committed.slice(-2).map((tx) => tx.writtenKeys);
    assert.equal(written.length, 2);
    const [first, second] = written;
    assert.deepEqual(
      first.filter((k) => second.includes(k)),
      [],
    );
    for (const keys of [first, second]) {
      assert.ok(
        !keys.some((k) => k.includes('fl.round') || k.includes('fl.federation')),
        keys.join(' | '),
      );
      assert.ok(
        keys.some((k) => k.startsWith(`${MEMBER_COLLECTION} `)),
        'weights go to the private collection',
      );
    }
  });

  test('stores weights privately and metadata with the norm from the starting model', async () => {
    const metadata = await c.client.org1.submitUpdate(
      input(weights, { metrics: { loss: 0.25, accuracy: 0.5 } }),
      weights,
    );
    assert.equal(metadata.norm, Math.sqrt(6));
    assert.equal(metadata.byteLength, weights.length);
    assert.deepEqual(metadata.metrics, { loss: 0.25, accuracy: 0.5 });
    assert.deepEqual(await c.client.org3.listUpdates(FED, 1), [metadata]);
    const publicValues = [...c.world.state.snapshot().entries()]
      .filter(([k]) => k.startsWith('public '))
      .map(([, v]) => v);
    assert.ok(
      !publicValues.includes(Buffer.from(weights).toString('base64')),
      'weights never in public state',
    );
  });

  const badArguments: [string, () => SubmitUpdateInput, Uint8Array | undefined][] = [
    ['round not an integer', () => input(weights, { round: 1.5 }), weights],
    ['round zero', () => input(weights, { round: 0 }), weights],
    ['numSamples zero', () => input(weights, { numSamples: 0 }), weights],
    ['digest not hex', () => input(weights, { digest: 'abc' }), weights],
    ['bad federation id', () => input(weights, { federationId: 'has space' }), weights],
    [
      'metrics not numbers',
      () => input(weights, { metrics: { loss: 'low' as unknown as number } }),
      weights,
    ],
    ['missing transient weights', () => input(weights), undefined],
    ['malformed weights', () => input(new Uint8Array([1, 2, 3])), new Uint8Array([1, 2, 3])],
  ];
  for (const [name, build, payload] of badArguments) {
    test(`INVALID_ARGUMENT: ${name}`, async () => {
      await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
        c.client.org1.submitUpdate(build(), payload ?? new Uint8Array(0)),
      );
    });
  }

  test('INVALID_ARGUMENT: a metric named __proto__ (it would be dropped silently)', async () => {
    const error = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.world.invoke(c.client.org1.identity, {
        contract: CONTRACT.round,
        fcn: TX.round.SubmitUpdate,
        params: [FED, '1', '10', sha256Hex(weights), '{"loss":1,"__proto__":2}'],
        transient: { [TRANSIENT.weights]: weights },
        mode: 'submit',
      }),
    );
    assert.match(error.message, /metricsJson key "__proto__" is not allowed/);
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.world.invoke(c.client.org1.identity, {
        contract: CONTRACT.round,
        fcn: TX.round.RecordEvaluation,
        params: [FED, '0', '10', '{"__proto__":0.5}'],
        mode: 'submit',
      }),
    );
  });

  test('INVALID_ARGUMENT: malformed metrics JSON', async () => {
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.world.invoke(c.client.org1.identity, {
        contract: CONTRACT.round,
        fcn: TX.round.SubmitUpdate,
        params: [FED, '1', '10', sha256Hex(weights), '{loss:'],
        transient: { [TRANSIENT.weights]: weights },
        mode: 'submit',
      }),
    );
  });

  test('NOT_FOUND: unknown federation', async () => {
    await expectRejection(c.world, 'NOT_FOUND', () =>
      c.client.org1.submitUpdate(input(weights, { federationId: 'nope' }), weights),
    );
  });

  test('FORBIDDEN: invited org that did not accept, outsider, auditor', async () => {
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.org3.submitUpdate(input(weights), weights),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.outsider.submitUpdate(input(weights), weights),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.auditor.submitUpdate(input(weights), weights),
    );
  });

  test('ALREADY_EXISTS: second submission of the same org in a round', async () => {
    await c.client.org1.submitUpdate(input(weights), weights);
    await expectRejection(c.world, 'ALREADY_EXISTS', () =>
      c.admin.org1.submitUpdate(input(weights), weights),
    );
  });

  test('ROUND_NOT_OPEN: future round; ROUND_CLOSED: past round', async () => {
    await expectRejection(c.world, 'ROUND_NOT_OPEN', () =>
      c.client.org1.submitUpdate(input(weights, { round: 2 }), weights),
    );
    await c.client.org1.submitUpdate(input(weights), weights);
    await c.client.org2.submitUpdate(input(weights), weights);
    await c.client.org1.aggregate(FED, 1);
    await expectRejection(c.world, 'ROUND_CLOSED', () =>
      c.client.org1.submitUpdate(input(weights, { round: 1 }), weights),
    );
  });

  test('SHAPE_MISMATCH, NON_FINITE_VALUE, DIGEST_MISMATCH, PAYLOAD_TOO_LARGE', async () => {
    const wrongShape = sampleWeights(1, [[3], [2]]);
    await expectRejection(c.world, 'SHAPE_MISMATCH', () =>
      c.client.org1.submitUpdate(input(wrongShape), wrongShape),
    );
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const nonFinite = sampleWeights((i) => (i === 3 ? bad : 1));
      await expectRejection(c.world, 'NON_FINITE_VALUE', () =>
        c.client.org1.submitUpdate(input(nonFinite), nonFinite),
      );
    }
    await expectRejection(c.world, 'DIGEST_MISMATCH', () =>
      c.client.org1.submitUpdate(input(weights, { digest: sha256Hex('other') }), weights),
    );
    const large = encodeFlat([[60]], new Float32Array(60));
    await expectRejection(c.world, 'PAYLOAD_TOO_LARGE', () =>
      c.client.org1.submitUpdate(input(large), large),
    );
  });

  test('ROUND_NOT_OPEN before start; FAILED_PRECONDITION after cancel', async () => {
    const pending = await sampleConsortium();
    await pending.admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await expectRejection(pending.world, 'ROUND_NOT_OPEN', () =>
      pending.client.org1.submitUpdate(input(weights), weights),
    );
    await c.admin.org1.cancelFederation(FED, 'data issue');
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.submitUpdate(input(weights), weights),
    );
  });
});

describe('Aggregate', () => {
  test('QUORUM_NOT_MET before everyone submitted and before the deadline; allowed after the deadline', async () => {
    const clock = new ManualClock();
    const c = await runningFederation(clock);
    const weights = sampleWeights(1);
    await c.client.org1.submitUpdate(input(weights), weights);
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org2.aggregate(FED, 1));
    clock.advanceSeconds(601);
    // minParticipants is 2: one update is still not enough after the deadline.
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org2.aggregate(FED, 1));
    await c.client.org2.submitUpdate(input(weights), weights);
    await c.client.org2.aggregate(FED, 1);
  });

  test('after the deadline with at least minParticipants of more participants', async () => {
    const clock = new ManualClock();
    const c = await sampleConsortium({ clock });
    await c.admin.org1.createFederation(sampleSpec({ minParticipants: 2 }), sampleWeights(0));
    await c.admin.org2.acceptInvitation(FED);
    await c.admin.org3.acceptInvitation(FED);
    await c.admin.org1.startFederation(FED);
    const weights = sampleWeights(2);
    await c.client.org1.submitUpdate(input(weights), weights);
    await c.client.org3.submitUpdate(input(weights), weights);
    await expectRejection(c.world, 'QUORUM_NOT_MET', () => c.client.org2.aggregate(FED, 1));
    clock.advanceSeconds(600);
    const version = await c.client.org2.aggregate(FED, 1);
    assert.deepEqual(
      version.contributors.map((x) => x.mspId),
      [SAMPLE_ORGS.org1, SAMPLE_ORGS.org3],
    );
    assert.equal((await c.client.org1.getRound(FED, 2)).status, 'open');
  });

  test('ROUND_CLOSED when aggregated twice; ROUND_NOT_OPEN for a future round; FORBIDDEN for non-participants', async () => {
    const c = await runningFederation();
    const weights = sampleWeights(1);
    await expectRejection(c.world, 'ROUND_NOT_OPEN', () => c.client.org1.aggregate(FED, 2));
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.org3.aggregate(FED, 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.client.auditor.aggregate(FED, 1));
    await c.client.org1.submitUpdate(input(weights), weights);
    await c.client.org2.submitUpdate(input(weights), weights);
    await c.client.org1.aggregate(FED, 1);
    await expectRejection(c.world, 'ROUND_CLOSED', () => c.client.org2.aggregate(FED, 1));
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org2.aggregate('fed-2', 1));
    await expectRejection(c.world, 'INVALID_ARGUMENT', () => c.client.org2.aggregate(FED, -1));
  });

  test('keeps server optimizer state between rounds (FedAvgM)', async () => {
    const c = await sampleConsortium();
    await c.admin.org1.createFederation(
      sampleSpec({
        strategy: { name: 'fedavgm', params: { serverLearningRate: 1, momentum: 0.5 } },
        rounds: 3,
      }),
      sampleWeights(0),
    );
    await c.admin.org2.acceptInvitation(FED);
    await c.admin.org1.startFederation(FED);
    for (const round of [1, 2]) {
      const start = await c.client.org1.getGlobalWeights(FED, round - 1);
      const next = sampleWeights(1);
      assert.ok(start.length > 0);
      await c.client.org1.submitUpdate(input(next, { round }), next);
      await c.client.org2.submitUpdate(input(next, { round }), next);
      await c.client.org2.aggregate(FED, round);
    }
    const privateKeys = [...c.world.state.snapshot().keys()].filter((k) =>
      k.includes('fl.weights.serverState'),
    );
    assert.ok(privateKeys.length >= 2, 'server state saved for each version');
    const [v1, v2] = [
      await c.client.org1.getModelVersion(FED, 1),
      await c.client.org1.getModelVersion(FED, 2),
    ];
    assert.notEqual(
      v1.modelHash,
      v2.modelHash,
      'momentum carries the model past the updates in round 2',
    );
  });
});

describe('client-chosen timestamps', () => {
  test('a participant cannot pass the round deadline early by dating its Aggregate in the future', async () => {
    const clock = new ManualClock();
    let forgedAheadMs = 0;
    const c = await sampleConsortium({
      clock,
      peerTime: (txTimestamp) => new Date(txTimestamp.getTime() - forgedAheadMs),
    });
    await c.admin.org1.createFederation(sampleSpec({ minParticipants: 1 }), sampleWeights(0));
    await c.admin.org2.acceptInvitation(FED);
    await c.admin.org1.startFederation(FED);
    const w = sampleWeights(1);
    await c.client.org1.submitUpdate(input(w), w);
    // Org1's client stamps its proposal 601 s ahead (past the 600 s deadline); the peers' clocks are not.
    clock.advanceSeconds(601);
    forgedAheadMs = 601_000;
    const error = await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org1.aggregate(FED, 1),
    );
    assert.match(
      error.message,
      /is 601000 ms ahead of this peer's clock; at most 60000 ms are tolerated/,
    );
    const backdated = sampleWeights(2);
    forgedAheadMs = -61_000;
    await expectRejection(c.world, 'FAILED_PRECONDITION', () =>
      c.client.org2.submitUpdate(input(backdated), backdated),
    );
    // Once the deadline has really passed on the peers, the same call goes through.
    forgedAheadMs = 0;
    assert.deepEqual(
      (await c.client.org1.aggregate(FED, 1)).contributors.map((x) => x.mspId),
      [SAMPLE_ORGS.org1],
    );
  });
});

describe('RecordEvaluation, GetRound, ListUpdates', () => {
  test('one evaluation per org and version; errors', async () => {
    const c = await runningFederation();
    await c.client.org2.recordEvaluation(FED, 0, 10, { accuracy: 0.5 });
    await expectRejection(c.world, 'ALREADY_EXISTS', () =>
      c.client.org2.recordEvaluation(FED, 0, 10, { accuracy: 0.6 }),
    );
    await expectRejection(c.world, 'NOT_FOUND', () =>
      c.client.org2.recordEvaluation(FED, 5, 10, { accuracy: 0.6 }),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.org3.recordEvaluation(FED, 0, 10, { accuracy: 0.6 }),
    );
    await expectRejection(c.world, 'FORBIDDEN', () =>
      c.client.auditor.recordEvaluation(FED, 0, 10, { accuracy: 0.6 }),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org2.recordEvaluation(FED, 0, 0, { accuracy: 0.6 }),
    );
    await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org2.recordEvaluation(FED, 0, 10, [] as unknown as Record<string, number>),
    );
    const model = await c.client.auditor.getModelVersion(FED, 0);
    assert.deepEqual(
      model.evaluations.map((e) => e.metrics),
      [{ accuracy: 0.5 }],
    );
    assert.equal(model.evaluations[0]?.backend, undefined, 'no backend stated, none stored');
  });

  test('an evaluation names the backend it ran on; an unknown backend is INVALID_ARGUMENT and stores nothing', async () => {
    const c = await runningFederation();
    const rejected = await expectRejection(c.world, 'INVALID_ARGUMENT', () =>
      c.client.org2.recordEvaluation(FED, 0, 10, { accuracy: 0.5 }, 'gpu' as 'wasm'),
    );
    assert.match(
      rejected.message,
      /backend must be one of tensorflow, wasm, cpu or empty, got "gpu"/,
    );
    assert.deepEqual((await c.client.auditor.getModelVersion(FED, 0)).evaluations, []);
    const evaluation = await c.client.org2.recordEvaluation(
      FED,
      0,
      10,
      { accuracy: 0.5 },
      'tensorflow',
    );
    assert.equal(evaluation.backend, 'tensorflow');
    assert.deepEqual(
      (await c.client.auditor.getModelVersion(FED, 0)).evaluations.map((e) => [e.mspId, e.backend]),
      [[SAMPLE_ORGS.org2, 'tensorflow']],
    );
  });

  test('GetRound and ListUpdates of unknown rounds are NOT_FOUND', async () => {
    const c = await runningFederation();
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.getRound(FED, 2));
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.listUpdates(FED, 2));
    await expectRejection(c.world, 'NOT_FOUND', () => c.client.org1.getRound('nope', 1));
    await expectRejection(c.world, 'FORBIDDEN', () => c.outsider.getRound(FED, 1));
    assert.deepEqual((await c.client.auditor.getRound(FED, 1)).submitted, []);
  });
});

describe('determinism', () => {
  test('the aggregate does not depend on submission order (same hash, same bytes)', async () => {
    const results: string[] = [];
    for (const order of [
      ['org1', 'org2', 'org3'],
      ['org3', 'org1', 'org2'],
    ] as const) {
      const c = await sampleConsortium();
      await c.admin.org1.createFederation(
        sampleSpec({
          minParticipants: 3,
          strategy: { name: 'trimmed-mean', params: { beta: 0.34 } },
        }),
        sampleWeights(0),
      );
      await c.admin.org2.acceptInvitation(FED);
      await c.admin.org3.acceptInvitation(FED);
      await c.admin.org1.startFederation(FED);
      const values = {
        org1: (i: number) => 0.1 * i,
        org2: (i: number) => 1 / (i + 3),
        org3: (i: number) => -0.7 + i,
      };
      for (const org of order) {
        const w = sampleWeights(values[org]);
        await c.client[org].submitUpdate(input(w, { numSamples: 7 }), w);
      }
      const version = await c.client.org2.aggregate(FED, 1);
      results.push(
        `${version.modelHash} ${Buffer.from(await c.client.org1.getGlobalWeights(FED, 1)).toString('base64')}`,
      );
    }
    assert.equal(results[0], results[1]);
  });
});
