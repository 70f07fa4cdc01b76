import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessWorld } from '../../testing/world';
import {
  bodyField,
  federationBody,
  ok,
  registerSynthetic,
  settleUntil,
  acceptAndStart,
} from '../../testing/api-helpers';
import { type TestGateway } from '../../testing/test-gateway';
import { gatewaySuite } from '../../testing/gateway-suite';

const FEDERATION = 'fed-incentives';
interface Report {
  round: number;
  recorders: string[];
  contributions: Array<{
    mspId: string;
    shapley: number;
    credits: number;
    numSamples: number;
    cosineToAggregate: number;
  }>;
  creditsAllocated: number;
}

describe('contribution scoring and rewards through the gateways (in-process ledger)', () => {
  const world = new InProcessWorld();
  const suite = gatewaySuite(world, ['Org1MSP', 'Org2MSP'], {
    participation: true,
    auditors: ['AuditorMSP'],
  });

  it('every round is scored and settled without further calls; balances add up; the auditor reads the history', async () => {
    const [org1, org2] = suite.gateways as [TestGateway, TestGateway];
    const dataset = await registerSynthetic(org1, 'local', 0, 2);
    await registerSynthetic(org2, 'local', 1, 2);
    const body = {
      ...federationBody(FEDERATION, dataset.featureColumns, dataset.labelColumn, ['Org2MSP']),
      datasetId: 'local',
      incentives: { creditsPerRound: 100 },
    };
    const created = ok<{ incentives?: { creditsPerRound: number } }>(
      await org1.http().post('/federations').set('x-api-key', org1.keys.admin).send(body),
      201,
    );
    assert.deepEqual(created.incentives, { creditsPerRound: 100 });
    await acceptAndStart(org1, [org2], FEDERATION);

    const history = async (): Promise<Report[]> =>
      ok<Report[]>(
        await org2
          .http()
          .get(`/federations/${FEDERATION}/contributions`)
          .set('x-api-key', org2.keys.auditor),
      );
    await settleUntil(world, async () => (await history()).length === 2);
    const reports = await history();
    assert.deepEqual(
      reports.map((r) => r.round),
      [1, 2],
    );
    for (const report of reports) {
      assert.deepEqual(report.recorders, ['Org1MSP', 'Org2MSP']);
      assert.deepEqual(
        report.contributions.map((c) => c.mspId),
        ['Org1MSP', 'Org2MSP'],
      );
      const positive = report.contributions.some((c) => c.shapley > 0 && c.cosineToAggregate > 0);
      assert.equal(report.creditsAllocated, positive ? 100 : 0);
      for (const c of report.contributions)
        if (c.shapley <= 0 || c.cosineToAggregate <= 0)
          assert.equal(
            c.credits,
            0,
            'a non-positive contribution or a step against the aggregate earns nothing',
          );
    }
    const balances = ok<Array<{ mspId: string; credits: number; rounds: number[] }>>(
      await org1
        .http()
        .get(`/federations/${FEDERATION}/rewards`)
        .set('x-api-key', org1.keys.auditor),
    );
    for (const balance of balances) {
      const earned = reports.reduce(
        (sum, r) => sum + (r.contributions.find((c) => c.mspId === balance.mspId)?.credits ?? 0),
        0,
      );
      assert.equal(balance.credits, earned, `${balance.mspId}'s balance is the sum of its credits`);
      assert.deepEqual(balance.rounds, [1, 2]);
    }
    const status = ok<{ settled: boolean; txId?: string; recorded: string[]; missing: string[] }>(
      await org2
        .http()
        .get(`/federations/${FEDERATION}/rounds/2/settlement`)
        .set('x-api-key', org2.keys.auditor),
    );
    assert.deepEqual(
      { ...status, majorityFrom: undefined },
      {
        federationId: FEDERATION,
        round: 2,
        settled: true,
        txId: (reports[1] as Report & { txId: string }).txId,
        recorded: ['Org1MSP', 'Org2MSP'],
        missing: [],
        settleableNow: false,
        majorityNeeded: 2,
        majorityFrom: undefined,
      },
      'a settled round: no follow-up left on the gateway',
    );
    const notAggregated = await org1
      .http()
      .get(`/federations/${FEDERATION}/rounds/3/settlement`)
      .set('x-api-key', org1.keys.scientist);
    assert.equal(notAggregated.status, 409);
    assert.equal(bodyField(notAggregated, 'code'), 'FAILED_PRECONDITION');
    assert.match(String(bodyField(notAggregated, 'message')), /round 3 .* is not aggregated yet/);
    const plan = ok<{ coalitions: string[]; method: string }>(
      await org1
        .http()
        .get(`/federations/${FEDERATION}/rounds/1/coalitions`)
        .set('x-api-key', org1.keys.scientist),
    );
    assert.deepEqual(plan.coalitions, ['', 'Org1MSP', 'Org2MSP', 'Org1MSP,Org2MSP']);
    assert.equal(plan.method, 'exact');

    const selection = ok<{
      best?: { version: number };
      versions: Array<{ version: number; value: number; eligible: boolean }>;
    }>(
      await org1
        .http()
        .get(`/federations/${FEDERATION}/model-selection?metric=accuracy`)
        .set('x-api-key', org1.keys.auditor),
    );
    assert.deepEqual(
      selection.versions.map((v) => v.version),
      [1, 2],
    );
    const bestValue = Math.max(...selection.versions.map((v) => v.value));
    assert.equal(
      selection.versions.find((v) => v.version === selection.best?.version)?.value,
      bestValue,
    );
    ok(
      await org1
        .http()
        .post(`/federations/${FEDERATION}/models/${selection.best?.version}/approve`)
        .set('x-api-key', org1.keys.admin)
        .send({}),
    );
  });

  it('bad input: a second record, malformed utilities, a bad metric, a non-positive pool — stable codes, nothing changed', async () => {
    const [org1] = suite.gateways as [TestGateway];
    const twice = await org1
      .http()
      .post(`/federations/${FEDERATION}/rounds/1/utilities`)
      .set('x-api-key', org1.keys.scientist)
      .send({ numSamples: 5, utilities: { '': 0.5 } });
    assert.equal(twice.status, 409);
    assert.equal(bodyField(twice, 'code'), 'ALREADY_EXISTS');
    const badMetric = await org1
      .http()
      .get(`/federations/${FEDERATION}/model-selection?metric=f1`)
      .set('x-api-key', org1.keys.scientist);
    assert.equal(badMetric.status, 400);
    assert.equal(bodyField(badMetric, 'code'), 'INVALID_ARGUMENT');
    const noNumbers = await org1
      .http()
      .post(`/federations/${FEDERATION}/rounds/1/utilities`)
      .set('x-api-key', org1.keys.scientist)
      .send({ numSamples: 0, utilities: 'x' });
    assert.equal(noNumbers.status, 400);
    for (const creditsPerRound of [0, -3, 2.5]) {
      const refused = await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send({
          ...federationBody('fed-bad-pool', ['a'], 'y', ['Org2MSP']),
          incentives: { creditsPerRound },
        });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(bodyField(refused, 'code'), 'INVALID_ARGUMENT');
      assert.match(JSON.stringify(refused.body), /creditsPerRound/);
    }
    const missing = await org1
      .http()
      .get('/federations/fed-bad-pool')
      .set('x-api-key', org1.keys.scientist);
    assert.equal(missing.status, 404);
  });
});
