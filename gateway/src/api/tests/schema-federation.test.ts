import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeFlat, type Federation } from '@fedledger/core';
import {
  MULTISITE_SCHEMA,
  UNMEASURED_COLUMN,
  generateMultisiteSites,
} from '../../ml/datasets/synthetic-multisite';
import { generatedMultisiteYardstick, scoreUnderSchema } from '../../ml/schema/multisite-baseline';
import {
  acceptFederation,
  assertError,
  downloadModelWeights,
  initConsortium,
  ok,
  settleUntil,
  startFederation,
} from '../../testing/api-helpers';
import { startTestGateway, type TestGateway } from '../../testing/test-gateway';
import { InProcessWorld } from '../../testing/world';
import { gatewaySuite } from '../../testing/gateway-suite';

const MAX_POLLS = 2000;
const ROWS = 2400;
const SEED = 7;
const ROUNDS = 10;
const HYPER = { epochs: 1, batchSize: 32, learningRate: 0.05 };
const MODEL_SEED = 3;

function schemaFederation(
  id: string,
  invitedOrgs: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    name: `schema federation ${id}`,
    model: { preset: 'logistic-regression', seed: MODEL_SEED },
    dataSchema: MULTISITE_SCHEMA,
    datasetId: 'site',
    hyperParameters: HYPER,
    strategy: { name: 'fedavg' },
    invitedOrgs,
    minParticipants: invitedOrgs.length + 1,
    roundDeadlineSeconds: 3600,
    rounds: ROUNDS,
    ...extra,
  };
}

async function registerSite(
  gateway: TestGateway,
  orgIndex: number,
  orgCount: number,
): Promise<void> {
  ok(
    await gateway
      .http()
      .post('/datasets/synthetic')
      .set('x-api-key', gateway.keys.scientist)
      .send({ id: 'site', variant: 'multisite', orgIndex, orgCount, rows: ROWS, seed: SEED }),
    201,
  );
}

describe('a schema federation over raw multi-site CSVs (4 orgs, in-process ledger)', () => {
  const world = new InProcessWorld();
  const { gateways } = gatewaySuite(world, ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'], {
    participation: true,
    auditors: ['AuditorMSP'],
  });

  it('refuses an incompatible dataset at accept with every problem (422, nothing changes), then trains 10 rounds within 2 points of centralized training', async (t) => {
    const [org1, org2, org3, org4] = gateways as [
      TestGateway,
      TestGateway,
      TestGateway,
      TestGateway,
    ];
    for (const [index, gateway] of gateways.entries()) await registerSite(gateway, index, 4);
    const created = ok<Federation>(
      await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send(schemaFederation('fed-sites', ['Org2MSP', 'Org3MSP', 'Org4MSP'])),
      201,
    );
    assert.equal(created.featureColumns.length, 31, '10 numbers, 8 levels, 13 missing indicators');

    // Org4 first offers a file of its own that does not fit: every problem is listed, nothing changes.
    mkdirSync(org4.config.dataDir, { recursive: true });
    writeFileSync(
      join(org4.config.dataDir, 'export.csv'),
      'age,bmi,systolic_bp,heart_rate,hba1c,ldl_cholesterol,prior_admissions,length_of_stay,num_medications,sex,smoking_status,admission_type,readmitted\n' +
        '150,27,120,80,6,100,0,3,4,F,never,elective,no\n' +
        '60,27,120,80,6,100,0,3,4,X,sometimes,elective,maybe\n' +
        '70,27,120,80,6,100,0,3,4,M,sometimes,walk-in,yes\n',
    );
    ok(
      await org4
        .http()
        .post('/datasets')
        .set('x-api-key', org4.keys.scientist)
        .send({ id: 'export', path: 'export.csv', labelColumn: 'readmitted', format: 'raw' }),
      201,
    );
    const missingColumn = assertError(
      await org4
        .http()
        .post('/federations/fed-sites/accept')
        .set('x-api-key', org4.keys.admin)
        .send({ datasetId: 'export' }),
      422,
      'INVALID_ARGUMENT',
    );
    assert.deepEqual(
      (missingColumn.details as { problems: { column: string }[] }).problems.map((p) => p.column),
      ['egfr'],
    );
    writeFileSync(
      join(org4.config.dataDir, 'export.csv'),
      'egfr,' +
        'age,bmi,systolic_bp,heart_rate,hba1c,ldl_cholesterol,prior_admissions,length_of_stay,num_medications,sex,smoking_status,admission_type,readmitted\n' +
        '90,150,27,120,80,6,100,0,3,4,F,never,elective,no\n' +
        '90,60,27,120,80,6,100,0,3,4,X,sometimes,elective,maybe\n' +
        '90,70,27,120,80,6,100,0,3,4,M,sometimes,walk-in,yes\n',
    );
    ok(
      await org4
        .http()
        .put('/datasets/export')
        .set('x-api-key', org4.keys.scientist)
        .send({ id: 'export', path: 'export.csv', labelColumn: 'readmitted', format: 'raw' }),
    );
    const cells = assertError(
      await org4
        .http()
        .post('/federations/fed-sites/accept')
        .set('x-api-key', org4.keys.admin)
        .send({ datasetId: 'export' }),
      422,
      'INVALID_ARGUMENT',
    );
    const problems = (
      cells.details as { problems: { column: string; count: number; firstLines: number[] }[] }
    ).problems;
    assert.deepEqual(
      problems.map((p) => [p.column, p.count, p.firstLines]),
      [
        ['age', 1, [2]],
        ['sex', 1, [3]],
        ['smoking_status', 2, [3, 4]],
        ['readmitted', 1, [3]],
        ['admission_type', 1, [4]],
      ],
    );
    assert.match(
      cells.message,
      /column "smoking_status": values that are not a declared level \(never, former, current\) or a missing token ×2 \(lines 3, 4\) e\.g\. "sometimes"/,
    );
    assert.deepEqual(
      ok<Federation>(
        await org4.http().get('/federations/fed-sites').set('x-api-key', org4.keys.auditor),
      ).participants,
      ['Org1MSP'],
    );
    assertError(
      await org4
        .http()
        .post('/federations/fed-sites/accept')
        .set('x-api-key', org4.keys.admin)
        .send({}),
      400,
      'INVALID_ARGUMENT',
    );

    for (const gateway of [org2, org3, org4]) await acceptFederation(gateway, 'fed-sites', 'site');
    const profiles = ok<
      { mspId: string; rows: number; columns: { name: string; missingRate: number }[] }[]
    >(
      await org3
        .http()
        .get('/federations/fed-sites/data-profiles')
        .set('x-api-key', org3.keys.auditor),
    );
    assert.deepEqual(
      profiles.map((p) => p.mspId),
      ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'],
    );
    assert.equal(
      profiles[1]?.columns.find((c) => c.name === UNMEASURED_COLUMN)?.missingRate,
      1,
      'the consortium sees that site 2 never measured HbA1c',
    );
    // The dataset in use cannot be deleted; the federation is named.
    const inUse = assertError(
      await org2.http().delete('/datasets/site').set('x-api-key', org2.keys.scientist),
      409,
      'CONFLICT',
    );
    assert.match(inUse.message, /federation fed-sites \(pending\) trains on it/);

    await startFederation(org1, 'fed-sites');
    await settleUntil(
      world,
      async () =>
        ok<Federation>(
          await org1.http().get('/federations/fed-sites').set('x-api-key', org1.keys.auditor),
        ).status === 'completed',
      MAX_POLLS,
    );
    const federation = ok<Federation>(
      await org1.http().get('/federations/fed-sites').set('x-api-key', org1.keys.auditor),
    );
    assert.ok(federation.imputation !== undefined && federation.featureScaling !== undefined);

    // The yardstick: the same raw files pooled, the same schema, model and total epochs.
    const { heldOut, central } = await generatedMultisiteYardstick({
      rows: ROWS,
      sites: 4,
      seed: SEED,
      modelSeed: MODEL_SEED,
      inputDim: federation.featureColumns.length,
      hyperParameters: HYPER,
      rounds: ROUNDS,
    });
    // The consortium's preprocessing from four profiles is what one holder of all rows computes.
    for (const [name, value] of Object.entries(central.imputation.values))
      assert.ok(Math.abs(federation.imputation.values[name] - value) < 1e-6, name);
    const weights = await downloadModelWeights(org1, 'fed-sites', ROUNDS);
    assert.ok(decodeFlat(weights).flat.length > 0);
    const federated = await scoreUnderSchema(
      federation.modelSpec.topology,
      weights,
      heldOut,
      MULTISITE_SCHEMA,
      federation.imputation,
      federation.featureScaling,
    );
    t.diagnostic(
      `held-out accuracy: federated ${federated.accuracy.toFixed(4)}, centralized ${central.accuracy.toFixed(4)} (AUC ${federated.auc?.toFixed(4)} vs ${central.auc?.toFixed(4)})`,
    );
    assert.ok(
      Math.abs(federated.accuracy - central.accuracy) <= 0.02,
      `federated accuracy ${federated.accuracy.toFixed(4)} vs centralized ${central.accuracy.toFixed(4)}`,
    );
    assert.ok(
      central.accuracy > 0.7,
      `the task is learnable: centralized accuracy ${central.accuracy}`,
    );

    // Predictions take raw records by column name, encoded as in training; the same patient gets the same answer at every org.
    for (const gateway of [org1, org2, org3])
      ok(
        await gateway
          .http()
          .post(`/federations/fed-sites/models/${ROUNDS}/approve`)
          .set('x-api-key', gateway.keys.admin)
          .send({}),
      );
    const records = [
      {
        age: 81,
        sex: 'M',
        smoking_status: 'current',
        admission_type: 'emergency',
        prior_admissions: 4,
        egfr: 35,
        hba1c: '?',
      },
      {
        age: 35,
        sex: 'F',
        smoking_status: 'never',
        admission_type: 'elective',
        prior_admissions: 0,
        egfr: 110,
        hba1c: null,
      },
    ];
    const answers = [];
    for (const gateway of [org1, org4]) {
      answers.push(
        ok<{ predictions: number[][]; inputScaling: string }>(
          await gateway
            .http()
            .post(`/federations/fed-sites/models/${ROUNDS}/predictions`)
            .set('x-api-key', gateway.keys.scientist)
            .send({ records }),
        ),
      );
    }
    assert.deepEqual(answers[0]?.predictions, answers[1]?.predictions);
    assert.equal(answers[0]?.inputScaling, 'federation');
    const [older, younger] = (answers[0]?.predictions ?? []).map((p): number | undefined => p[0]);
    assert.ok(
      older !== undefined && younger !== undefined && older > younger,
      `risk ${older} (old, emergency, low eGFR) vs ${younger}`,
    );
    const badRecord = assertError(
      await org1
        .http()
        .post(`/federations/fed-sites/models/${ROUNDS}/predictions`)
        .set('x-api-key', org1.keys.scientist)
        .send({ records: [{ age: 300, sex: 'X' }] }),
      422,
      'INVALID_ARGUMENT',
    );
    assert.match(
      badRecord.message,
      /column "age": values outside the valid range \[18, 100\] \(line 1\)/,
    );
    // A one-element array is no number: it is refused, not read as its element.
    assertError(
      await org1
        .http()
        .post(`/federations/fed-sites/models/${ROUNDS}/predictions`)
        .set('x-api-key', org1.keys.scientist)
        .send({ records: [{ age: [70] }] }),
      422,
      'INVALID_ARGUMENT',
    );
    assertError(
      await org1
        .http()
        .post(`/federations/fed-sites/models/${ROUNDS}/predictions`)
        .set('x-api-key', org1.keys.scientist)
        .send({ rows: [[1, 2]] }),
      400,
      'INVALID_ARGUMENT',
    );
  });
});

describe('an accepted org whose training fails says why on the ledger', () => {
  const world = new InProcessWorld();
  const { gateways } = gatewaySuite(world, ['Org1MSP', 'Org2MSP'], { participation: true });

  it('the round shows the reason and aggregates without waiting for its deadline; the org binds a good dataset and trains again from a later round', async () => {
    const [org1, org2] = gateways as [TestGateway, TestGateway];
    for (const [index, gateway] of gateways.entries()) await registerSite(gateway, index, 2);
    ok(
      await org1
        .http()
        .post('/federations')
        .set('x-api-key', org1.keys.admin)
        .send(schemaFederation('fed-fail', ['Org2MSP'], { rounds: 200, minParticipants: 1 })),
      201,
    );
    await acceptFederation(org2, 'fed-fail', 'site');
    // Org2's file is rewritten behind the gateway's back after it accepted: its data no longer load.
    const file = join(org2.config.dataDir, 'synthetic', 'site.csv');
    const csv = generateMultisiteSites({ rows: ROWS, sites: 2, seed: SEED })[1];
    writeFileSync(file, csv.replace(/\r\n/g, '\n'));
    await startFederation(org1, 'fed-fail');
    await settleUntil(
      world,
      async () =>
        ok<{ status: string }>(
          await org1
            .http()
            .get('/federations/fed-fail/rounds/1')
            .set('x-api-key', org1.keys.auditor),
        ).status === 'aggregated',
      MAX_POLLS,
    );
    const round = ok<{
      submitted: string[];
      failed: { mspId: string; reason: string }[];
      deadline: string;
      aggregatedAt: string;
    }>(await org1.http().get('/federations/fed-fail/rounds/1').set('x-api-key', org1.keys.auditor));
    assert.deepEqual(round.submitted, ['Org1MSP']);
    assert.equal(round.failed.length, 1);
    assert.equal(round.failed[0]?.mspId, 'Org2MSP');
    assert.match(
      round.failed[0]?.reason ?? '',
      /training failed: .*dataset "site": synthetic\/site\.csv changed since it was registered/,
    );
    assert.ok(
      Date.parse(round.aggregatedAt) < Date.parse(round.deadline),
      'aggregated before the deadline',
    );

    // Between rounds Org2 binds a fresh, compatible dataset; round 2 has both updates.
    writeFileSync(join(org2.config.dataDir, 'site-2.csv'), csv);
    ok(
      await org2.http().post('/datasets').set('x-api-key', org2.keys.scientist).send({
        id: 'site-2',
        path: 'site-2.csv',
        labelColumn: 'readmitted',
        format: 'raw',
        seed: SEED,
      }),
      201,
    );
    const bound = ok<{ profileRecorded: boolean }>(
      await org2
        .http()
        .put('/federations/fed-fail/dataset')
        .set('x-api-key', org2.keys.admin)
        .send({ datasetId: 'site-2' }),
    );
    assert.equal(
      bound.profileRecorded,
      false,
      'after the start the consortium preprocessing is fixed',
    );
    // A later round trains on it: both orgs submit (the federation has rounds to spare; it is cancelled then).
    let bothRound = 0;
    await settleUntil(
      world,
      async () => {
        const { currentRound } = ok<Federation>(
          await org1.http().get('/federations/fed-fail').set('x-api-key', org1.keys.auditor),
        );
        for (let r = Math.max(2, currentRound - 2); r <= currentRound; r++) {
          if (
            ok<{ submitted: string[] }>(
              await org1
                .http()
                .get(`/federations/fed-fail/rounds/${r}`)
                .set('x-api-key', org1.keys.auditor),
            ).submitted.length === 2
          )
            bothRound = r;
        }
        return bothRound > 0;
      },
      MAX_POLLS,
    );
    ok(
      await org1
        .http()
        .post('/federations/fed-fail/cancel')
        .set('x-api-key', org1.keys.admin)
        .send({ reason: 'test done' }),
    );
    assert.ok(bothRound >= 2);
  });
});

describe('bad data schemas and files are refused before anything is created', () => {
  const world = new InProcessWorld();
  let org1: TestGateway;

  before(async () => {
    org1 = await startTestGateway(world, 'Org1MSP', { maxCsvBytes: 4096 });
    await initConsortium([org1]);
    await registerSite(org1, 0, 1);
  });
  after(async () => org1.close());

  const columns = MULTISITE_SCHEMA.columns;
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'a repeated column',
      {
        dataSchema: {
          ...MULTISITE_SCHEMA,
          columns: [...columns, { name: 'age', type: 'numeric' }],
        },
      },
      'dataSchema.columns[14].name',
      /repeats column "age" \(also columns\[0\]\)/,
    ],
    [
      'a categorical column without levels',
      {
        dataSchema: {
          ...MULTISITE_SCHEMA,
          columns: columns.map((c) =>
            c.name === 'sex' ? { name: 'sex', type: 'categorical' } : c,
          ),
        },
      },
      'dataSchema.columns[10].levels',
      /categorical column "sex" needs at least one level/,
    ],
    [
      'a label that is not in the schema',
      { dataSchema: { ...MULTISITE_SCHEMA, label: { column: 'died', positiveValues: ['yes'] } } },
      'dataSchema.label.column',
      /"died" is not a column of the schema/,
    ],
    [
      'a schema without the creator dataset',
      { datasetId: undefined },
      'datasetId',
      /needs the creator’s dataset/,
    ],
    [
      'a featureScaling with a schema',
      { featureScaling: { fromDataset: true } },
      'featureScaling',
      /computed at start/,
    ],
  ];
  for (const [what, change, field, problem] of cases) {
    it(`400 INVALID_ARGUMENT naming ${field}: ${what}`, async () => {
      const body = { ...schemaFederation('fed-bad', []), ...change };
      const error = assertError(
        await org1.http().post('/federations').set('x-api-key', org1.keys.admin).send(body),
        400,
        'INVALID_ARGUMENT',
      );
      const fields = (error.details as { fields: { field: string; problems: string[] }[] }).fields;
      assert.ok(
        fields.some((f) => f.field === field && f.problems.some((p) => problem.test(p))),
        JSON.stringify(fields),
      );
      assertError(
        await org1.http().get('/federations/fed-bad').set('x-api-key', org1.keys.admin),
        404,
        'NOT_FOUND',
      );
    });
  }

  it('413 for a CSV over FEDLEDGER_MAX_CSV_SIZE, from its size; the data directory is named when a path leaves it', async () => {
    mkdirSync(org1.config.dataDir, { recursive: true });
    writeFileSync(join(org1.config.dataDir, 'big.csv'), `a,y\n${'1,0\n'.repeat(2000)}`);
    const tooBig = assertError(
      await org1
        .http()
        .post('/datasets')
        .set('x-api-key', org1.keys.scientist)
        .send({ id: 'big', path: 'big.csv', labelColumn: 'y' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    assert.match(tooBig.message, /big\.csv has 8004 bytes; datasets are limited to 4096 bytes/);
    const outside = assertError(
      await org1
        .http()
        .post('/datasets')
        .set('x-api-key', org1.keys.scientist)
        .send({ id: 'out', path: '../x.csv', labelColumn: 'y' }),
      403,
      'FORBIDDEN',
    );
    assert.ok(outside.message.includes(org1.config.dataDir), outside.message);
  });
});
