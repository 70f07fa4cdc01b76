import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  assertError,
  bodyField,
  federationBody,
  ok,
  registerSynthetic,
} from '../../testing/api-helpers';
import { type ConsortiumFixture, FIXTURE_BODY_LIMIT, startConsortium } from './consortium-fixture';

interface FieldProblems {
  fields: Array<{ field: string; problems: string[] }>;
}

describe('bad input is a 4xx with a stable code and changes nothing', () => {
  let fx: ConsortiumFixture;
  let columns: { featureColumns: string[]; labelColumn: string };
  const body = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    federationBody(id, columns.featureColumns, columns.labelColumn, ['Org2MSP'], extra);
  const admin = (): { 'x-api-key': string } => ({ 'x-api-key': fx.org1.keys.admin });
  const assertNoFederation = async (id: string): Promise<void> => {
    assertError(await fx.org1.http().get(`/federations/${id}`).set(admin()), 404, 'NOT_FOUND');
  };

  before(async () => {
    fx = await startConsortium();
    columns = await registerSynthetic(fx.org1, 'syn', 0, 2, 60);
    ok(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send({ ...body('fed-ok'), datasetId: 'syn' }),
      201,
    );
  });
  after(async () => fx.close());

  it('rejects unknown fields with 400 INVALID_ARGUMENT naming them', async () => {
    const error = assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(body('fed-extra', { color: 'blue' })),
      400,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual((error.details as FieldProblems).fields, [
      { field: 'color', problems: ['property color should not exist'] },
    ]);
    const nested = assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(body('fed-extra', { strategy: { name: 'fedavg', secret: 1 } })),
      400,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual(
      (nested.details as FieldProblems).fields.map((field) => field.field),
      ['strategy.secret'],
    );
    await assertNoFederation('fed-extra');
  });

  it('rejects wrong types and out-of-range values per field', async () => {
    const error = assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(
          body('fed-types', {
            rounds: 'two',
            hyperParameters: { epochs: 0, batchSize: 8, learningRate: 0.1 },
            strategy: { name: 'best' },
          }),
        ),
      400,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual((error.details as FieldProblems).fields.map((field) => field.field).sort(), [
      'hyperParameters.epochs',
      'rounds',
      'strategy.name',
    ]);
    assertError(
      await fx.org1.http().post('/federations').set(admin()).send(body('Bad Id!')),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(
          body('fed-both', {
            model: { preset: 'mlp', topology: '{}', initialWeightsBase64: 'AAAA' },
          }),
        ),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(body('fed-nomodel', { model: {} })),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1.http().get('/federations?pageSize=0').set(admin()),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1.http().get('/federations/fed-ok/rounds/zero').set(admin()),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1.http().get('/federations/fed-ok/models/-1').set(admin()),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1.http().post('/models/verify').set(admin()).send({ modelHash: 'xyz' }),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1.http().post('/models/verify').set(admin()).send({}),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations/fed-ok/models/0/predictions')
        .set(admin())
        .send({ rows: [['a']] }),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations/fed-ok/models/0/predictions')
        .set(admin())
        .send({ rows: [] }),
      400,
      'INVALID_ARGUMENT',
    );
    for (const id of ['fed-types', 'fed-both', 'fed-nomodel']) await assertNoFederation(id);
  });

  it('rejects centered clipping with out-of-range params, naming the param; accepts its defaults', async () => {
    // The DTO checks the shape (400); the params' ranges are core's validateStrategyConfig, run at CreateFederation (422, as other spec rules).
    for (const [params, field] of [
      [{ radius: 0 }, 'radius'],
      [{ iterations: 11 }, 'iterations'],
      [{ beta: 0.2 }, 'beta'],
    ] as const) {
      const error = assertError(
        await fx.org1
          .http()
          .post('/federations')
          .set(admin())
          .send({
            ...body('fed-cc-bad', { strategy: { name: 'centered-clipping', params } }),
            datasetId: 'syn',
          }),
        422,
        'INVALID_ARGUMENT',
      );
      assert.match(error.message, new RegExp(`strategy\\.params\\.${field}`));
    }
    await assertNoFederation('fed-cc-bad');
    const created = ok<{ strategy?: unknown }>(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send({ ...body('fed-cc', { strategy: { name: 'centered-clipping' } }), datasetId: 'syn' }),
      201,
    );
    assert.deepEqual(created.strategy, { name: 'centered-clipping' });
  });

  it('rejects a custom model whose topology does not build or does not fit its weights or columns', async () => {
    const flw1 = await fx.org1
      .http()
      .get('/federations/fed-ok/models/0/weights.flw1')
      .set(admin())
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          callback(null, Buffer.concat(chunks));
        });
      });
    const weightsBase64 = (flw1.body as Buffer).toString('base64');
    const federation = ok<{ modelSpec: { topology: string } }>(
      await fx.org1.http().get('/federations/fed-ok').set(admin()),
    );
    const custom = (
      topology: string,
      initialWeightsBase64: string,
      extra: Record<string, unknown> = {},
    ): Record<string, unknown> =>
      body('fed-custom', { model: { topology, initialWeightsBase64 }, ...extra });
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(custom('{"not":"a model"}', weightsBase64)),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(custom('not json', weightsBase64)),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(custom(federation.modelSpec.topology, 'AAAA')),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(custom(federation.modelSpec.topology, weightsBase64, { featureColumns: ['a', 'b'] })),
      422,
      'SHAPE_MISMATCH',
    );
    await assertNoFederation('fed-custom');
  });

  it('takes the equal-size Dirichlet split and refuses an unknown split mode naming the modes it takes', async () => {
    const request = { orgIndex: 1, orgCount: 3, rows: 300, alpha: 0.5, seed: 4 };
    const equal = await fx.org1
      .http()
      .post('/datasets/synthetic')
      .set(admin())
      .send({ id: 'equal', mode: 'dirichlet-equal-size', ...request });
    assert.equal(equal.status, 201, JSON.stringify(equal.body));
    assert.equal(bodyField(equal, 'numRows'), 100);
    const error = assertError(
      await fx.org1
        .http()
        .post('/datasets/synthetic')
        .set(admin())
        .send({ id: 'odd', mode: 'balanced', ...request }),
      400,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual(error.details, {
      fields: [
        {
          field: 'mode',
          problems: [
            'mode must be one of the following values: iid, dirichlet, dirichlet-equal-size',
          ],
        },
      ],
    });
    assertError(await fx.org1.http().get('/datasets/odd').set(admin()), 404, 'NOT_FOUND');
  });

  it('never answers odd JSON bodies or query strings with a 5xx', async () => {
    const routes = [
      '/consortium/init',
      '/consortium/role-changes',
      '/datasets',
      '/datasets/synthetic',
      '/federations',
      '/federations/fed-ok/accept',
      '/federations/fed-ok/cancel',
      '/federations/fed-ok/models/0/predictions',
      '/models/verify',
      '/models/verify/file',
    ];
    for (const route of routes) {
      for (const text of [
        '[]',
        '"text"',
        '123',
        'null',
        'true',
        '{"__proto__":{"polluted":1}}',
        '{"id":{"$gt":""}}',
      ]) {
        const response = await fx.org1
          .http()
          .post(route)
          .set(admin())
          .set('content-type', 'application/json')
          .send(text);
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${route} ${text}: ${response.status} ${JSON.stringify(response.body)}`,
        );
        assert.equal(typeof bodyField(response, 'code'), 'string');
      }
    }
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    for (const query of [
      '/federations?pageSize=abc',
      '/federations?pageSize=1&pageSize=2',
      '/federations?bookmark[]=x',
      '/audit/history/fl.federation',
      '/audit/history/fl.federation?attributes=',
      '/federations/%00',
      `/federations/${'a'.repeat(300)}`,
    ]) {
      assertError(await fx.org1.http().get(query).set(admin()), 400, 'INVALID_ARGUMENT');
    }
  });

  it('rejects malformed JSON with 400 and unknown routes with 404', async () => {
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .set('content-type', 'application/json')
        .send('{"id": '),
      400,
      'INVALID_ARGUMENT',
    );
    assertError(await fx.org1.http().get('/no/such/route').set(admin()), 404, 'NOT_FOUND');
    assertError(await fx.org1.http().delete('/federations/fed-ok').set(admin()), 404, 'NOT_FOUND');
  });

  it('rejects bodies over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = 'x'.repeat(FIXTURE_BODY_LIMIT + 1);
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send(body('fed-huge', { description: huge })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    assertError(
      await fx.org1
        .http()
        .post('/models/verify/file')
        .set(admin())
        .set('content-type', 'application/octet-stream')
        .send(Buffer.alloc(FIXTURE_BODY_LIMIT + 1)),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await assertNoFederation('fed-huge');
  });

  it('answers unknown ids with 404 NOT_FOUND', async () => {
    assertError(await fx.org1.http().get('/federations/nope').set(admin()), 404, 'NOT_FOUND');
    assertError(
      await fx.org1.http().get('/federations/nope/status').set(admin()),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1.http().get('/federations/fed-ok/models/7').set(admin()),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1.http().get('/federations/fed-ok/models/7/model.json').set(admin()),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1.http().get('/federations/fed-ok/rounds/3').set(admin()),
      404,
      'NOT_FOUND',
    );
    assertError(await fx.org1.http().get('/datasets/nope').set(admin()), 404, 'NOT_FOUND');
    assertError(
      await fx.org1.http().get('/consortium/role-changes/nope').set(admin()),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1.http().post('/federations/nope/start').set(admin()).send({}),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations')
        .set(admin())
        .send({ ...body('fed-nodata'), datasetId: 'missing' }),
      404,
      'NOT_FOUND',
    );
    await assertNoFederation('fed-nodata');
  });

  it('rejects CSV datasets with missing columns, non-numeric values or a path outside the data dir', async () => {
    const dataDir = fx.org2.config.dataDir;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'missing.csv'), 'age,bmi\n1,2\n3,4\n');
    writeFileSync(join(dataDir, 'text.csv'), 'age,bmi,label\n1,abc,0\n3,4,1\n');
    writeFileSync(join(dataDir, '..', 'outside.csv'), 'age,label\n1,0\n2,1\n');
    const scientist = { 'x-api-key': fx.org2.keys.scientist };
    assertError(
      await fx.org2
        .http()
        .post('/datasets')
        .set(scientist)
        .send({ id: 'd-missing', path: 'missing.csv', labelColumn: 'label' }),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org2
        .http()
        .post('/datasets')
        .set(scientist)
        .send({ id: 'd-text', path: 'text.csv', labelColumn: 'label' }),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await fx.org2
        .http()
        .post('/datasets')
        .set(scientist)
        .send({ id: 'd-out', path: '../outside.csv', labelColumn: 'label' }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await fx.org2
        .http()
        .post('/datasets')
        .set(scientist)
        .send({ id: 'd-abs', path: join(dataDir, '..', 'outside.csv'), labelColumn: 'label' }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await fx.org2
        .http()
        .post('/datasets')
        .set(scientist)
        .send({ id: 'd-none', path: 'absent.csv', labelColumn: 'label' }),
      404,
      'NOT_FOUND',
    );
    assert.deepEqual(ok(await fx.org2.http().get('/datasets').set(scientist)), []);
  });

  it('refuses to start a federation twice or accept twice, leaving its state unchanged', async () => {
    ok(
      await fx.org2
        .http()
        .post('/federations/fed-ok/accept')
        .set('x-api-key', fx.org2.keys.admin)
        .send({}),
    );
    assertError(
      await fx.org2
        .http()
        .post('/federations/fed-ok/accept')
        .set('x-api-key', fx.org2.keys.admin)
        .send({}),
      409,
      'ALREADY_EXISTS',
    );
    ok(await fx.org1.http().post('/federations/fed-ok/start').set(admin()).send({}));
    const before = ok(await fx.org1.http().get('/federations/fed-ok/status').set(admin()));
    assertError(
      await fx.org1.http().post('/federations/fed-ok/start').set(admin()).send({}),
      409,
      'FAILED_PRECONDITION',
    );
    assert.deepEqual(
      ok(await fx.org1.http().get('/federations/fed-ok/status').set(admin())),
      before,
    );
    assertError(
      await fx.org1.http().post('/federations').set(admin()).send(body('fed-ok')),
      409,
      'ALREADY_EXISTS',
    );
    assertError(
      await fx.org1
        .http()
        .post('/consortium/init')
        .set(admin())
        .send({ members: [{ mspId: 'Org1MSP', role: 'member' }] }),
      409,
      'ALREADY_EXISTS',
    );
  });

  it('refuses predictions from an unknown or undeployed version', async () => {
    const rows = [new Array(columns.featureColumns.length).fill(0)];
    assertError(
      await fx.org1
        .http()
        .post('/federations/fed-ok/models/9/predictions')
        .set(admin())
        .send({ rows }),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations/nope/models/0/predictions')
        .set(admin())
        .send({ rows }),
      404,
      'NOT_FOUND',
    );
    assertError(
      await fx.org1
        .http()
        .post('/federations/fed-ok/models/0/predictions')
        .set(admin())
        .send({ rows }),
      409,
      'FAILED_PRECONDITION',
    );
    const audit = ok<{ items: Array<{ action: string }> }>(
      await fx.org1.http().get('/audit/federations/fed-ok/timeline').set(admin()),
    );
    assert.ok(!audit.items.some((entry) => entry.action === 'RecordPrediction'));
  });

  it('lets the ledger refuse what a role may not do on it (a non-participant reading weights)', async () => {
    assertError(
      await fx.org3
        .http()
        .get('/federations/fed-ok/models/0/weights.flw1')
        .set('x-api-key', fx.org3.keys.admin),
      403,
      'FORBIDDEN',
    );
  });
});
