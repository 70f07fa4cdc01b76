import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVENT, sha256Hex, type FeatureScaling } from '@fedledger/core';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import { scalingFromStandardizer } from '../../ml/datasets/feature-scaling';
import { InProcessWorld, ManualClock } from '../../testing/world';
import {
  acceptAndStart,
  acceptFederation,
  bodyField,
  downloadModelWeights,
  federationBody,
  initConsortium,
  ok,
  registerSynthetic,
  settleUntil,
  startFederation,
} from '../../testing/api-helpers';
import { startTestGateway, type TestGateway } from '../../testing/test-gateway';
import { ParticipationService } from '../../participation/participation.service';
import { participationSeed } from '../../participation/participation-seed';
import { TrainingService } from '../../ml/training/training.service';
import { gatewaySuite } from '../../testing/gateway-suite';

const FEDERATION = 'fed-auto';
const MAX_POLLS = 600;

/** Waits until every listener handled every event and `done` holds, polling a bounded number of times. */
describe('two org gateways run a federation driven only by ledger events', () => {
  const world = new InProcessWorld();
  const suite = gatewaySuite(world, ['Org1MSP', 'Org2MSP'], {
    participation: true,
    auditors: ['AuditorMSP'],
  });

  it('trains, aggregates and evaluates two rounds without any further API call', async () => {
    const [org1, org2] = suite.gateways as [TestGateway, TestGateway];
    const dataset = await registerSynthetic(org1, 'local', 0, 2);
    await registerSynthetic(org2, 'local', 1, 2);
    ok(
      await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send({
          ...federationBody(FEDERATION, dataset.featureColumns, dataset.labelColumn, ['Org2MSP']),
          datasetId: 'local',
        }),
      201,
    );
    await acceptAndStart(org1, [org2], FEDERATION);

    const versions = async (): Promise<
      Array<{
        version: number;
        evaluations: unknown[];
        contributors: Array<{ mspId: string; accepted: boolean }>;
      }>
    > =>
      ok(
        await org1
          .http()
          .get(`/federations/${FEDERATION}/models`)
          .set('x-api-key', org1.keys.scientist),
      );
    await settleUntil(
      world,
      async () => {
        const list = await versions();
        return (
          list.length === 3 && list.slice(1).every((version) => version.evaluations.length === 2)
        );
      },
      MAX_POLLS,
    );

    const federation = ok<{ status: string; currentRound: number }>(
      await org2.http().get(`/federations/${FEDERATION}`).set('x-api-key', org2.keys.auditor),
    );
    assert.equal(federation.status, 'completed');
    assert.equal(federation.currentRound, 2);
    const list = await versions();
    assert.deepEqual(
      list.map((version) => version.version),
      [0, 1, 2],
    );
    for (const version of list.slice(1)) {
      assert.deepEqual(
        version.contributors.map((contribution) => [contribution.mspId, contribution.accepted]),
        [
          ['Org1MSP', true],
          ['Org2MSP', true],
        ],
      );
    }
    for (const round of [1, 2]) {
      const updates = ok<Array<{ mspId: string }>>(
        await org1
          .http()
          .get(`/federations/${FEDERATION}/rounds/${round}/updates`)
          .set('x-api-key', org1.keys.auditor),
      );
      assert.deepEqual(
        updates.map((update) => update.mspId),
        ['Org1MSP', 'Org2MSP'],
      );
    }
    const metrics = (await org1.http().get('/metrics')).text;
    assert.match(metrics, /^fedledger_rounds_participated_total 2$/m);
    assert.match(metrics, /^fedledger_training_seconds_count 2$/m);
    assert.match(metrics, /^fedledger_event_to_submit_seconds_count 2$/m);
  });

  it('records the creator dataset’s statistics as the federation scaling, and every org trains and evaluates with it', async () => {
    const [org1, org2] = suite.gateways as [TestGateway, TestGateway];
    const federation = ok<{
      featureScaling: FeatureScaling;
      featureColumns: string[];
      labelColumn: string;
      hyperParameters: { epochs: number; batchSize: number; learningRate: number };
      modelSpec: { topology: string };
    }>(await org2.http().get(`/federations/${FEDERATION}`).set('x-api-key', org2.keys.auditor));
    const creatorStatistics = scalingFromStandardizer(
      (await org1.app.get(DatasetsService).load('local')).standardizer,
    );
    assert.deepEqual(federation.featureScaling, creatorStatistics);
    const org2Statistics = scalingFromStandardizer(
      (await org2.app.get(DatasetsService).load('local')).standardizer,
    );
    assert.notDeepEqual(
      org2Statistics,
      creatorStatistics,
      'the orgs’ own statistics must differ for this test to mean anything',
    );

    // Org2's round-1 update is exactly what training on its data under the federation scaling gives.
    const job = {
      jobId: 'check',
      federationId: FEDERATION,
      round: 1,
      topology: federation.modelSpec.topology,
      weights: await downloadModelWeights(org2, FEDERATION, 0),
      datasetId: 'local',
      featureColumns: federation.featureColumns,
      labelColumn: federation.labelColumn,
      hyperParameters: federation.hyperParameters,
      seed: participationSeed(FEDERATION, 1, 'Org2MSP'),
    };
    const training = org2.app.get(TrainingService);
    const updates = ok<Array<{ mspId: string; digest: string }>>(
      await org2
        .http()
        .get(`/federations/${FEDERATION}/rounds/1/updates`)
        .set('x-api-key', org2.keys.auditor),
    );
    const submitted = updates.find((update) => update.mspId === 'Org2MSP')?.digest;
    assert.equal(
      submitted,
      sha256Hex(
        (await training.train({ ...job, featureScaling: federation.featureScaling })).weights,
      ),
    );
    assert.notEqual(submitted, sha256Hex((await training.train(job)).weights));

    // Its recorded evaluation of version 1 is on its validation rows under the same scaling.
    const evaluated = await training.evaluate({
      ...job,
      weights: await downloadModelWeights(org2, FEDERATION, 1),
      featureScaling: federation.featureScaling,
    });
    const models = ok<
      Array<{
        version: number;
        evaluations: Array<{ mspId: string; metrics: Record<string, number> }>;
      }>
    >(
      await org2
        .http()
        .get(`/federations/${FEDERATION}/models`)
        .set('x-api-key', org2.keys.scientist),
    );
    assert.deepEqual(
      models
        .find((model) => model.version === 1)
        ?.evaluations.find((evaluation) => evaluation.mspId === 'Org2MSP')?.metrics,
      evaluated.metrics,
    );
  });

  it('lets an auditor-role key read the federation timeline', async () => {
    const [, org2] = suite.gateways as [TestGateway, TestGateway];
    const timeline = ok<{ items: Array<{ action: string; actorMsp: string }> }>(
      await org2
        .http()
        .get(`/audit/federations/${FEDERATION}/timeline?pageSize=100`)
        .set('x-api-key', org2.keys.auditor),
    );
    const actions = timeline.items.map((entry) => entry.action);
    for (const action of [
      'CreateFederation',
      'AcceptInvitation',
      'StartFederation',
      'SubmitUpdate',
      'Aggregate',
      'RecordEvaluation',
    ]) {
      assert.ok(actions.includes(action), `timeline lacks ${action}: ${actions.join(', ')}`);
    }
    assert.equal(actions.filter((action) => action === 'SubmitUpdate').length, 4);
  });

  it('does not submit twice when a restarted gateway replays an old RoundOpened', async () => {
    const [, org2] = suite.gateways as [TestGateway, TestGateway];
    const opened = world.events.filter(
      (event) => event.name === EVENT.RoundOpened && event.payload.federationId === FEDERATION,
    );
    assert.ok(opened.length >= 1);
    const aggregated = world.events.filter(
      (event) => event.name === EVENT.RoundAggregated && event.payload.federationId === FEDERATION,
    );
    const before = world.committed.length;
    for (const event of [...opened, ...aggregated])
      await org2.app.get(ParticipationService).handle(event);
    await world.settled();
    assert.equal(world.committed.length, before, 'replayed events must not commit anything');
  });

  it('serves predictions from the deployed final model and records a receipt', async () => {
    const [org1, org2] = suite.gateways as [TestGateway, TestGateway];
    const undeployed = await org1
      .http()
      .post(`/federations/${FEDERATION}/models/2/predictions`)
      .set('x-api-key', org1.keys.scientist)
      .send({ rows: [new Array(12).fill(0)] });
    assert.equal(undeployed.status, 409);
    assert.equal(bodyField(undeployed, 'code'), 'FAILED_PRECONDITION');
    ok(
      await org1
        .http()
        .post(`/federations/${FEDERATION}/models/2/approve`)
        .set('x-api-key', org1.keys.admin)
        .send({}),
    );
    const approved = ok<{ deployed: boolean }>(
      await org2
        .http()
        .post(`/federations/${FEDERATION}/models/2/approve`)
        .set('x-api-key', org2.keys.admin)
        .send({}),
    );
    assert.equal(approved.deployed, true);
    const rows = [new Array(12).fill(0), new Array(12).fill(1)];
    type Prediction = {
      predictions: number[][];
      inputScaling: string;
      standardizedWith: string | null;
      receipt: { count: number; requesterMsp: string; version: number };
    };
    const result = ok<Prediction>(
      await org1
        .http()
        .post(`/federations/${FEDERATION}/models/2/predictions`)
        .set('x-api-key', org1.keys.scientist)
        .send({ rows }),
    );
    assert.equal(result.predictions.length, 2);
    for (const [probability] of result.predictions) assert.ok(probability > 0 && probability < 1);
    assert.equal(result.inputScaling, 'federation');
    assert.equal(result.standardizedWith, null);
    // The same raw rows get the same answer whichever org serves them.
    const atOrg2 = ok<Prediction>(
      await org2
        .http()
        .post(`/federations/${FEDERATION}/models/2/predictions`)
        .set('x-api-key', org2.keys.scientist)
        .send({ rows }),
    );
    assert.deepEqual(atOrg2.predictions, result.predictions);
    assert.equal(result.receipt.count, 2);
    assert.equal(result.receipt.requesterMsp, 'Org1MSP');
    assert.equal(result.receipt.version, 2);
  });
});

describe('a silent participant cannot stall a federation past the round deadline', () => {
  // Every transaction advances the ledger clock by 61 s, so a 60 s round deadline has passed by the
  // time the second update lands; the wall clock is far later than the ledger clock, too.
  const world = new InProcessWorld({ clock: new ManualClock('2026-01-01T00:00:00.000Z', 61_000) });
  const { gateways } = gatewaySuite(world, ['Org1MSP', 'Org2MSP', 'Org3MSP'], {
    participation: true,
  });

  it('aggregates each round with the two orgs that trained once the deadline passed', async () => {
    const [org1, org2, org3] = gateways as [TestGateway, TestGateway, TestGateway];
    const dataset = await registerSynthetic(org1, 'local', 0, 2, 80);
    await registerSynthetic(org2, 'local', 1, 2, 80);
    const body = {
      ...federationBody('fed-deadline', dataset.featureColumns, dataset.labelColumn, [
        'Org2MSP',
        'Org3MSP',
      ]),
      minParticipants: 2,
      roundDeadlineSeconds: 60,
      datasetId: 'local',
    };
    ok(await org1.http().post('/federations').set('x-api-key', org1.keys.admin).send(body), 201);
    await acceptFederation(org2, 'fed-deadline', 'local');
    // Org3 joins but binds no dataset: it never trains.
    await acceptFederation(org3, 'fed-deadline');
    await startFederation(org1, 'fed-deadline');
    await settleUntil(
      world,
      async () =>
        ok<{ status: string }>(
          await org3.http().get('/federations/fed-deadline').set('x-api-key', org3.keys.auditor),
        ).status === 'completed',
      MAX_POLLS,
    );
    const versions = ok<Array<{ version: number; contributors: Array<{ mspId: string }> }>>(
      await org3.http().get('/federations/fed-deadline/models').set('x-api-key', org3.keys.auditor),
    );
    assert.deepEqual(
      versions.map((version) => version.version),
      [0, 1, 2],
    );
    for (const version of versions.slice(1))
      assert.deepEqual(
        version.contributors.map((contribution) => contribution.mspId),
        ['Org1MSP', 'Org2MSP'],
      );
  });
});

describe('a gateway that was down catches up from the ledger after a restart', () => {
  const world = new InProcessWorld();
  let org1: TestGateway;
  let org2: TestGateway;

  before(async () => {
    org1 = await startTestGateway(world, 'Org1MSP', { participation: true });
    org2 = await startTestGateway(world, 'Org2MSP', { participation: true });
    await initConsortium([org1, org2]);
  });
  after(async () => {
    await org1.close();
    await org2.close();
  });

  it('trains the round it missed, exactly once, and the federation completes', async () => {
    const dataset = await registerSynthetic(org1, 'local', 0, 2, 80);
    await registerSynthetic(org2, 'local', 1, 2, 80);
    ok(
      await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send({
          ...federationBody('fed-restart', dataset.featureColumns, dataset.labelColumn, [
            'Org2MSP',
          ]),
          datasetId: 'local',
        }),
      201,
    );
    await acceptFederation(org2, 'fed-restart', 'local');
    await org2.close({ keepFiles: true });
    await startFederation(org1, 'fed-restart');
    await settleUntil(
      world,
      async () =>
        ok<unknown[]>(
          await org1
            .http()
            .get('/federations/fed-restart/rounds/1/updates')
            .set('x-api-key', org1.keys.auditor),
        ).length === 1,
      MAX_POLLS,
    );
    assert.deepEqual(
      ok<{ submitted: string[] }>(
        await org1
          .http()
          .get('/federations/fed-restart/rounds/1')
          .set('x-api-key', org1.keys.auditor),
      ).submitted,
      ['Org1MSP'],
    );

    org2 = await startTestGateway(world, 'Org2MSP', { participation: true, root: org2.root });
    await settleUntil(
      world,
      async () =>
        ok<{ status: string }>(
          await org1.http().get('/federations/fed-restart').set('x-api-key', org1.keys.auditor),
        ).status === 'completed',
      MAX_POLLS,
    );
    for (const round of [1, 2]) {
      const updates = ok<Array<{ mspId: string }>>(
        await org2
          .http()
          .get(`/federations/fed-restart/rounds/${round}/updates`)
          .set('x-api-key', org2.keys.auditor),
      );
      assert.deepEqual(
        updates.map((update) => update.mspId),
        ['Org1MSP', 'Org2MSP'],
      );
    }
    const status = ok<{ localDatasetId: string }>(
      await org2
        .http()
        .get('/federations/fed-restart/status')
        .set('x-api-key', org2.keys.scientist),
    );
    assert.equal(status.localDatasetId, 'local', 'the binding survived the restart');
  });
});
