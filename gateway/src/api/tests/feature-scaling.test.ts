import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FeatureScaling } from '@fedledger/core';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import { scalingFromStandardizer } from '../../ml/datasets/feature-scaling';
import { assertError, federationBody, ok, registerSynthetic } from '../../testing/api-helpers';
import type { TestGateway } from '../../testing/test-gateway';
import { type ConsortiumFixture, startConsortium } from './consortium-fixture';

interface FieldProblems {
  fields: Array<{ field: string; problems: string[] }>;
}

interface FederationBody {
  featureScaling?: FeatureScaling;
}

interface PredictionBody {
  predictions: number[][];
  inputScaling: string;
  standardizedWith: string | null;
}

describe('POST /federations featureScaling', () => {
  let fx: ConsortiumFixture;
  let columns: { featureColumns: string[]; labelColumn: string };
  const admin = (gateway: TestGateway = fx.org1): { 'x-api-key': string } => ({
    'x-api-key': gateway.keys.admin,
  });
  const body = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    federationBody(id, columns.featureColumns, columns.labelColumn, ['Org2MSP'], extra);
  const explicit = (): FeatureScaling => ({
    center: columns.featureColumns.map((_, c) => 10 * c),
    scale: columns.featureColumns.map((_, c) => c + 0.5),
  });
  const create = async (id: string, extra: Record<string, unknown>): Promise<FederationBody> =>
    ok<FederationBody>(
      await fx.org1.http().post('/federations').set(admin()).send(body(id, extra)),
      201,
    );
  const read = async (id: string, gateway: TestGateway): Promise<FederationBody> =>
    ok<FederationBody>(
      await gateway.http().get(`/federations/${id}`).set('x-api-key', gateway.keys.auditor),
    );
  const localStatistics = async (
    gateway: TestGateway,
    datasetId: string,
  ): Promise<FeatureScaling> =>
    scalingFromStandardizer((await gateway.app.get(DatasetsService).load(datasetId)).standardizer);

  before(async () => {
    fx = await startConsortium();
    columns = await registerSynthetic(fx.org1, 'syn', 0, 2, 80);
    await registerSynthetic(fx.org2, 'syn', 1, 2, 80);
  });
  after(async () => fx.close());

  describe('valid', () => {
    it('records explicit center and scale, visible to the other orgs and the auditor role', async () => {
      const created = await create('fed-explicit', {
        datasetId: 'syn',
        featureScaling: explicit(),
      });
      assert.deepEqual(created.featureScaling, explicit());
      assert.deepEqual((await read('fed-explicit', fx.org2)).featureScaling, explicit());
    });

    it('computes fromDataset from the bound dataset’s training split', async () => {
      const created = await create('fed-from-dataset', {
        datasetId: 'syn',
        featureScaling: { fromDataset: true },
      });
      assert.deepEqual(created.featureScaling, await localStatistics(fx.org1, 'syn'));
    });

    it('follows the federation’s column order, not the dataset’s', async () => {
      const reversed = [...columns.featureColumns].reverse();
      const created = ok<FederationBody>(
        await fx.org1
          .http()
          .post('/federations')
          .set(admin())
          .send({
            ...federationBody('fed-reversed', reversed, columns.labelColumn, []),
            minParticipants: 1,
            datasetId: 'syn',
          }),
        201,
      );
      const statistics = await localStatistics(fx.org1, 'syn');
      assert.deepEqual(created.featureScaling, {
        center: [...statistics.center].reverse(),
        scale: [...statistics.scale].reverse(),
      });
    });

    it('defaults to fromDataset when a dataset is bound, so federations are consistent by default', async () => {
      const created = await create('fed-default', { datasetId: 'syn' });
      assert.deepEqual(created.featureScaling, await localStatistics(fx.org1, 'syn'));
    });

    it('has none without a dataset and without the field (each org then uses its own statistics)', async () => {
      const created = await create('fed-none', {});
      assert.equal('featureScaling' in created, false);
      assert.equal('featureScaling' in (await read('fed-none', fx.org2)), false);
    });
  });

  describe('predictions', () => {
    /** Starts a federation of Org1 and Org2 (Org2 binds its dataset) and deploys version 0. */
    const deploy = async (id: string, extra: Record<string, unknown>): Promise<void> => {
      await create(id, extra);
      ok(
        await fx.org2
          .http()
          .post(`/federations/${id}/accept`)
          .set(admin(fx.org2))
          .send({ datasetId: 'syn' }),
      );
      ok(await fx.org1.http().post(`/federations/${id}/start`).set(admin()).send({}));
      ok(await fx.org1.http().post(`/federations/${id}/models/0/approve`).set(admin()).send({}));
      ok(
        await fx.org2
          .http()
          .post(`/federations/${id}/models/0/approve`)
          .set(admin(fx.org2))
          .send({}),
      );
    };
    const predict = async (
      gateway: TestGateway,
      id: string,
      rows: number[][],
    ): Promise<PredictionBody> =>
      ok<PredictionBody>(
        await gateway
          .http()
          .post(`/federations/${id}/models/0/predictions`)
          .set('x-api-key', gateway.keys.scientist)
          .send({ rows }),
      );
    const rows = (): number[][] => [
      columns.featureColumns.map((_, c) => 40 + c),
      columns.featureColumns.map(() => 1),
    ];

    it('are the same at every org with a federation scaling, even where no dataset is bound', async () => {
      await deploy('fed-serve', { featureScaling: explicit() });
      const atOrg1 = await predict(fx.org1, 'fed-serve', rows());
      const atOrg2 = await predict(fx.org2, 'fed-serve', rows());
      assert.deepEqual(atOrg2.predictions, atOrg1.predictions);
      assert.deepEqual(
        [
          atOrg1.inputScaling,
          atOrg1.standardizedWith,
          atOrg2.inputScaling,
          atOrg2.standardizedWith,
        ],
        ['federation', null, 'federation', null],
      );
    });

    it('fall back to the bound dataset’s statistics (or none) only for a federation without a scaling', async () => {
      await deploy('fed-legacy', {});
      const atOrg1 = await predict(fx.org1, 'fed-legacy', rows());
      const atOrg2 = await predict(fx.org2, 'fed-legacy', rows());
      assert.deepEqual(
        [
          atOrg1.inputScaling,
          atOrg1.standardizedWith,
          atOrg2.inputScaling,
          atOrg2.standardizedWith,
        ],
        ['none', null, 'local-dataset', 'syn'],
      );
      assert.notDeepEqual(atOrg2.predictions, atOrg1.predictions);
    });
  });

  describe('invalid: a 4xx with a stable code, and nothing created or bound', () => {
    const rejected = async (
      id: string,
      send: () => Promise<import('supertest').Response>,
      status: number,
    ): Promise<ReturnType<typeof assertError>> => {
      const committed = fx.world.committed.length;
      const error = assertError(await send(), status, 'INVALID_ARGUMENT');
      assert.equal(
        fx.world.committed.length,
        committed,
        'a rejected creation committed a transaction',
      );
      assertError(await fx.org1.http().get(`/federations/${id}`).set(admin()), 404, 'NOT_FOUND');
      assert.equal(fx.org1.app.get(DatasetBindingsStore).get(id), undefined);
      return error;
    };
    const post =
      (
        id: string,
        featureScaling: unknown,
        extra: Record<string, unknown> = { datasetId: 'syn' },
      ) =>
      (): Promise<import('supertest').Response> =>
        fx.org1
          .http()
          .post('/federations')
          .set(admin())
          .send(body(id, { ...extra, featureScaling }));
    const fieldsOf = (error: ReturnType<typeof assertError>): string[] =>
      (error.details as FieldProblems).fields.map((field) => field.field);

    const cases: Array<[string, unknown, string[]]> = [
      [
        'center shorter than featureColumns',
        { center: [0], scale: new Array(12).fill(1) },
        ['featureScaling.center'],
      ],
      [
        'both of the wrong length',
        { center: [0, 0], scale: [1] },
        ['featureScaling.center', 'featureScaling.scale'],
      ],
      [
        'a zero scale',
        { center: new Array(12).fill(0), scale: [...new Array<number>(11).fill(1), 0] },
        ['featureScaling.scale'],
      ],
      [
        'a negative scale',
        { center: new Array(12).fill(0), scale: [-1, ...new Array<number>(11).fill(1)] },
        ['featureScaling.scale'],
      ],
      [
        'a string in center',
        { center: ['0', ...new Array<number>(11).fill(0)], scale: new Array(12).fill(1) },
        ['featureScaling.center'],
      ],
      ['scale missing', { center: new Array(12).fill(0) }, ['featureScaling.scale']],
      ['fromDataset false', { fromDataset: false }, ['featureScaling.fromDataset']],
      [
        'fromDataset together with center and scale',
        { fromDataset: true, center: new Array(12).fill(0), scale: new Array(12).fill(1) },
        ['featureScaling'],
      ],
      ['an unknown field', { fromDataset: true, method: 'robust' }, ['featureScaling.method']],
      ['not an object', 'z-score', ['featureScaling']],
    ];
    for (const [name, featureScaling, fields] of cases) {
      it(`400 INVALID_ARGUMENT naming the field: ${name}`, async () => {
        const id = `fed-bad-${name.replace(/[^a-z]+/g, '-')}`.slice(0, 60);
        const error = await rejected(id, post(id, featureScaling), 400);
        assert.deepEqual(fieldsOf(error), fields);
      });
    }

    it('400 for fromDataset without a datasetId', async () => {
      const error = await rejected(
        'fed-bad-nodataset',
        post('fed-bad-nodataset', { fromDataset: true }, {}),
        400,
      );
      assert.deepEqual((error.details as FieldProblems).fields, [
        {
          field: 'featureScaling.fromDataset',
          problems: ['featureScaling.fromDataset needs a datasetId to compute the scaling from'],
        },
      ]);
    });

    it('400 for an infinite value (a JSON number that overflows a double)', async () => {
      const json = JSON.stringify(
        body('fed-bad-infinite', {
          featureScaling: { center: new Array(12).fill(0), scale: new Array(12).fill(1) },
        }),
      ).replace('"scale":[1,', '"scale":[1e999,');
      const error = await rejected(
        'fed-bad-infinite',
        () =>
          fx.org1
            .http()
            .post('/federations')
            .set(admin())
            .set('content-type', 'application/json')
            .send(json),
        400,
      );
      assert.deepEqual(fieldsOf(error), ['featureScaling.scale']);
    });

    it('422 when the bound dataset lacks a federation column (every missing column listed)', async () => {
      const dataDir = fx.org1.config.dataDir;
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'narrow.csv'), 'age,y\n50,1\n60,0\n70,1\n');
      ok(
        await fx.org1
          .http()
          .post('/datasets')
          .set('x-api-key', fx.org1.keys.scientist)
          .send({ id: 'narrow', path: 'narrow.csv', labelColumn: 'y' }),
        201,
      );
      const send = () =>
        fx.org1
          .http()
          .post('/federations')
          .set(admin())
          .send({
            ...federationBody('fed-bad-narrow', ['age', 'bmi', 'hr'], 'y', []),
            minParticipants: 1,
            datasetId: 'narrow',
          });
      const error = await rejected('fed-bad-narrow', send, 422);
      assert.equal(
        error.message,
        'dataset "narrow" (narrow.csv) does not fit the federation: 2 problem(s): column "bmi": the dataset has no such feature column (line 1); column "hr": the dataset has no such feature column (line 1)',
      );
    });
  });
});
