import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MASKED_MAGIC, epsilonAfterRounds } from '@fedledger/core';
import { InProcessWorld } from '../../testing/world';
import {
  acceptAndStart,
  acceptFederation,
  assertError,
  federationBody,
  ok,
  registerSynthetic,
  settleUntil,
  startFederation,
} from '../../testing/api-helpers';
import { gatewaySuite } from '../../testing/gateway-suite';

interface FederationBody {
  status: string;
  currentRound: number;
  privacy?: {
    secureAggregation?: boolean;
    fixedPoint?: { scale: number; range: number };
    dp?: Record<string, number>;
  };
}

describe('privacy through three org gateways (in-process ledger, real training)', () => {
  const world = new InProcessWorld();
  const { gateways } = gatewaySuite(world, ['Org1MSP', 'Org2MSP', 'Org3MSP'], {
    participation: true,
    auditors: ['AuditorMSP'],
  });
  let columns: { featureColumns: string[]; labelColumn: string };

  before(async () => {
    for (const [i, gateway] of gateways.entries())
      columns = await registerSynthetic(gateway, 'local', i, 3);
  });

  const [org1, org2, org3] = [0, 1, 2].map((i) => () => gateways[i]);
  const body = (id: string, extra: Record<string, unknown>) => ({
    ...federationBody(id, columns.featureColumns, columns.labelColumn, ['Org2MSP', 'Org3MSP']),
    datasetId: 'local',
    ...extra,
  });

  async function createAcceptStart(
    id: string,
    extra: Record<string, unknown>,
  ): Promise<FederationBody> {
    const created = ok<FederationBody>(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(body(id, extra)),
      201,
    );
    // The gateways register their masking keys while answering create and accept, so the start succeeds at once.
    await acceptAndStart(org1(), [org2(), org3()], id);
    return created;
  }

  it('an org that never submits: after the deadline the gateways fix the submitter set, reveal, and aggregate the others', async () => {
    const id = 'fed-dropout';
    ok(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(
          body(id, {
            rounds: 1,
            minParticipants: 2,
            roundDeadlineSeconds: 2,
            privacy: { secureAggregation: true },
          }),
        ),
      201,
    );
    await acceptFederation(org2(), id, 'local');
    // Org3 joins (and registers its key) but binds no dataset: it never trains, so it drops out.
    await acceptFederation(org3(), id);
    await startFederation(org1(), id);
    await settleUntil(
      world,
      async () =>
        ok<FederationBody>(
          await org1().http().get(`/federations/${id}`).set('x-api-key', org1().keys.auditor),
        ).status === 'completed',
    );
    const ledger = world.ledger({ mspId: 'Org1MSP', role: 'client' });
    const set = await ledger.getSubmitterSet(id, 1);
    assert.deepEqual([set.submitters, set.dropped], [['Org1MSP', 'Org2MSP'], ['Org3MSP']]);
    assert.deepEqual(
      (await ledger.listPairSeedReveals(id, 1)).map((r) => [r.mspId, Object.keys(r.seeds)]),
      [
        ['Org1MSP', ['Org3MSP']],
        ['Org2MSP', ['Org3MSP']],
      ],
    );
    const version = ok<{ contributors: Array<{ mspId: string }> }>(
      await org2().http().get(`/federations/${id}/models/1`).set('x-api-key', org2().keys.auditor),
    );
    assert.deepEqual(
      version.contributors.map((c) => c.mspId),
      ['Org1MSP', 'Org2MSP'],
    );
  });

  it('refuses bad privacy settings with the field named (400 from the request check, 422 from the chaincode)', async () => {
    const zero = assertError(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(
          body('bad-1', {
            privacy: {
              secureAggregation: true,
              dp: { epsilon: 0, delta: 1e-5, clipNorm: 1, noiseMultiplier: 1 },
            },
          }),
        ),
      400,
      'INVALID_ARGUMENT',
    );
    assert.match(JSON.stringify(zero), /epsilon must be greater than 0/);
    const delta = assertError(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(
          body('bad-2', {
            privacy: {
              secureAggregation: true,
              dp: { epsilon: 3, delta: 0.4, clipNorm: 1, noiseMultiplier: 1 },
            },
          }),
        ),
      422,
      'INVALID_ARGUMENT',
    );
    assert.match(
      delta.message,
      /spec\.privacy\.dp\.delta must be greater than 0 and below 1\/n = 1\/3/,
    );
    const robust = assertError(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(
          body('bad-3', {
            strategy: { name: 'trimmed-mean' },
            privacy: { secureAggregation: true },
          }),
        ),
      422,
      'INVALID_ARGUMENT',
    );
    assert.match(robust.message, /spec\.strategy\.name trimmed-mean needs individual updates/);
    const clip = assertError(
      await org1()
        .http()
        .post('/federations')
        .set('x-api-key', org1().keys.admin)
        .send(
          body('bad-4', {
            privacy: {
              secureAggregation: true,
              dp: { epsilon: 3, delta: 1e-5, clipNorm: -1, noiseMultiplier: 1 },
            },
          }),
        ),
      400,
      'INVALID_ARGUMENT',
    );
    assert.match(JSON.stringify(clip), /clipNorm must be greater than 0/);
  });

  it('a secure-aggregation federation and a DP one run side by side; the DP one stops when its budget is spent', async () => {
    const secure = await createAcceptStart('fed-secure', {
      rounds: 2,
      privacy: { secureAggregation: true, fixedPoint: { scale: 65536, range: 4 } },
    });
    assert.deepEqual(secure.privacy, {
      secureAggregation: true,
      fixedPoint: { scale: 65536, range: 4 },
    });
    const z = 2;
    const budget =
      (epsilonAfterRounds(1, z, 1e-5).epsilon + epsilonAfterRounds(2, z, 1e-5).epsilon) / 2;
    await createAcceptStart('fed-dp', {
      rounds: 3,
      privacy: {
        secureAggregation: true,
        dp: { epsilon: budget, delta: 1e-5, clipNorm: 1, noiseMultiplier: z },
      },
    });

    const status = async (id: string) =>
      ok<FederationBody>(
        await org2().http().get(`/federations/${id}`).set('x-api-key', org2().keys.auditor),
      );
    await settleUntil(
      world,
      async () =>
        (await status('fed-secure')).status === 'completed' &&
        (await status('fed-dp')).status === 'completed',
    );
    assert.equal((await status('fed-secure')).currentRound, 2);
    assert.equal(
      (await status('fed-dp')).currentRound,
      1,
      'the budget paid for one round of three',
    );

    const versions = ok<
      Array<{
        version: number;
        contributors: Array<{ mspId: string; score?: number; weight: number }>;
      }>
    >(
      await org1()
        .http()
        .get('/federations/fed-secure/models')
        .set('x-api-key', org1().keys.auditor),
    );
    assert.deepEqual(
      versions.map((v) => v.version),
      [0, 1, 2],
    );
    for (const version of versions.slice(1)) {
      assert.deepEqual(
        version.contributors.map((c) => c.mspId),
        ['Org1MSP', 'Org2MSP', 'Org3MSP'],
      );
      assert.ok(
        version.contributors.every((c) => c.score === undefined),
        'no individual score under secure aggregation',
      );
    }
    // What the ledger holds for Org1's update is masked, even for a fellow participant.
    const stored = await world
      .ledger({ mspId: 'Org2MSP', role: 'client' })
      .getStoredUpdate('fed-secure', 1, 'Org1MSP');
    assert.equal(Buffer.from(stored.subarray(0, 4)).toString('latin1'), MASKED_MAGIC);

    const view = ok<{
      roundsAllowed: number;
      spends: Array<{ round: number }>;
      epsilonSpent: number;
      epsilonRemaining: number;
    }>(
      await org3().http().get('/federations/fed-dp/privacy').set('x-api-key', org3().keys.auditor),
    );
    assert.equal(view.roundsAllowed, 1);
    assert.deepEqual(
      view.spends.map((s) => s.round),
      [1],
    );
    assert.equal(view.epsilonSpent, epsilonAfterRounds(1, z, 1e-5).epsilon);
    assert.ok(view.epsilonRemaining > 0 && view.epsilonRemaining < budget);
    const metadata = ok<Array<{ metrics: Record<string, number>; masked: boolean; norm: number }>>(
      await org1()
        .http()
        .get('/federations/fed-dp/rounds/1/updates')
        .set('x-api-key', org1().keys.auditor),
    );
    assert.ok(
      metadata.every((m) => Object.keys(m.metrics).length === 0),
      'under DP the local training metrics stay local',
    );
    assert.ok(
      metadata.every((m) => m.masked && m.norm === 0),
      'updates are marked masked, with no norm',
    );
  });
});
