import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consortiumPreprocessing, sha256Hex, type DataSchema } from '@fedledger/core';
import {
  SAMPLE_ORGS,
  expectRejection,
  sampleConsortium,
  sampleProfile,
  sampleSchema,
  sampleSchemaSpec,
  sampleSpec,
  sampleWeights,
} from '../test-support';

describe('data schema at CreateFederation', () => {
  const bad: [string, (schema: DataSchema) => DataSchema, RegExp][] = [
    [
      'a repeated column',
      (s) => ({ ...s, columns: [...s.columns, { name: 'age', type: 'numeric' }] }),
      /spec\.dataSchema\.columns\[3\]\.name repeats column "age" \(also columns\[0\]\)/,
    ],
    [
      'a categorical without levels',
      (s) => ({
        ...s,
        columns: [s.columns[0], { name: 'smoker', type: 'categorical', levels: [] }, s.columns[2]],
      }),
      /spec\.dataSchema\.columns\[1\]\.levels is required: categorical column "smoker" needs at least one level/,
    ],
    [
      'a label that is not in the schema',
      (s) => ({ ...s, label: { column: 'died', positiveValues: ['yes'] } }),
      /spec\.dataSchema\.label\.column "died" is not a column of the schema \(columns: age, smoker, outcome\)/,
    ],
    [
      'a positive value that is not a level',
      (s) => ({ ...s, label: { column: 'outcome', positiveValues: ['1'] } }),
      /spec\.dataSchema\.label\.positiveValues\[0\] "1" is not a level of the label column "outcome"/,
    ],
    [
      'min above max',
      (s) => ({
        ...s,
        columns: [{ name: 'age', type: 'numeric', min: 5, max: 1 }, ...s.columns.slice(1)],
      }),
      /spec\.dataSchema\.columns\[0\]\.max must be greater than min \(5\) for column "age", got 1/,
    ],
    [
      'median without a range',
      (s) => ({
        ...s,
        columns: [{ name: 'age', type: 'numeric' }, ...s.columns.slice(1)],
        imputation: { method: 'median', indicators: false },
      }),
      /spec\.dataSchema\.columns\[0\] \("age"\) needs min and max for median imputation/,
    ],
    [
      'a repeated missing token',
      (s) => ({ ...s, missingTokens: ['?', '?'] }),
      /spec\.dataSchema\.missingTokens\[1\] repeats "\?"/,
    ],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what} with INVALID_ARGUMENT naming the field`, async () => {
      const { world, admin } = await sampleConsortium();
      const schema = change(sampleSchema());
      const spec = { ...sampleSchemaSpec(), dataSchema: schema };
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        admin.org1.createFederation(spec, sampleWeights(0)),
      );
      assert.match(error.message, message);
    });
  }

  it('requires featureColumns to be the encoded inputs and refuses a featureScaling given by the creator', async () => {
    const { world, admin } = await sampleConsortium();
    const wrong = await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.createFederation(
        sampleSchemaSpec({ featureColumns: ['age', 'smoker'] }),
        sampleWeights(0),
      ),
    );
    assert.match(
      wrong.message,
      /spec\.featureColumns must be the data schema's encoded inputs in order \(age, age:missing, smoker=no, smoker=yes, smoker:missing\)/,
    );
    const scaling = { center: [0, 0, 0, 0, 0], scale: [1, 1, 1, 1, 1] };
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org1.createFederation(sampleSchemaSpec({ featureScaling: scaling }), sampleWeights(0)),
    );
    const created = await admin.org1.createFederation(sampleSchemaSpec(), sampleWeights(0));
    assert.deepEqual(created.dataSchema, sampleSchema());
    assert.deepEqual(created.featureColumns, [
      'age',
      'age:missing',
      'smoker=no',
      'smoker=yes',
      'smoker:missing',
    ]);
  });
});

describe('data profiles, acceptance and start', () => {
  it('accepts an org only after its profile; starts only with every participant profiled; computes the consortium preprocessing', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(
      sampleSchemaSpec({ invitedOrgs: [SAMPLE_ORGS.org2] }),
      sampleWeights(0),
    );
    const refused = await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org2.acceptInvitation('fed-1'),
    );
    assert.match(refused.message, /Org2MSP has recorded no data profile for federation fed-1/);
    // Profiles are checked against the schema.
    const reordered = { ...sampleProfile(), columns: [...sampleProfile().columns].reverse() };
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org2.recordDataProfile('fed-1', reordered),
    );
    const uneven = sampleProfile();
    uneven.columns[1] = { name: 'smoker', type: 'categorical', missing: 1, levelCounts: [1, 1] };
    const counts = await expectRejection(world, 'INVALID_ARGUMENT', () =>
      admin.org2.recordDataProfile('fed-1', uneven),
    );
    assert.match(
      counts.message,
      /profile\.columns\[1\]\.levelCounts must add up to the 9 rows where "smoker" is not missing, got 2/,
    );
    await expectRejection(world, 'FORBIDDEN', () =>
      admin.org3.recordDataProfile('fed-1', sampleProfile()),
    );

    await admin.org2.recordDataProfile('fed-1', sampleProfile(20, 1000, 60_000));
    await admin.org2.acceptInvitation('fed-1');
    const notProfiled = await expectRejection(world, 'FAILED_PRECONDITION', () =>
      client.org1.startFederation('fed-1'),
    );
    assert.match(notProfiled.message, /cannot start: no data profile from Org1MSP/);
    await admin.org1.recordDataProfile('fed-1', sampleProfile());
    const started = await client.org1.startFederation('fed-1');

    const profiles = await admin.auditor.listDataProfiles('fed-1');
    assert.deepEqual(
      profiles.map((p) => [p.mspId, p.rows, p.columns[0]?.missing]),
      [
        ['Org1MSP', 10, 2],
        ['Org2MSP', 20, 2],
      ],
    );
    // Pooled by hand: 30 rows, 26 ages observed summing to 1400 → fill 1400/26.
    const fill = 1400 / 26;
    assert.deepEqual(started.imputation, {
      values: { age: fill },
      fromOrgs: ['Org1MSP', 'Org2MSP'],
      rows: 30,
    });
    const expected = consortiumPreprocessing(sampleSchema(), profiles);
    assert.deepEqual(started.featureScaling, expected.featureScaling);
    assert.ok(
      Math.abs(started.featureScaling.center[0] - fill) < 1e-9,
      'mean imputation keeps the pooled mean',
    );
    assert.ok(
      Math.abs(started.featureScaling.center[1] - 4 / 30) < 1e-12,
      'the indicator centre is the pooled missing rate',
    );
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org2.recordDataProfile('fed-1', sampleProfile()),
    );
  });

  it('a reported training failure shows in the round and lets it aggregate before the deadline', async () => {
    const { world, admin, client } = await sampleConsortium();
    await admin.org1.createFederation(
      sampleSchemaSpec({ invitedOrgs: [SAMPLE_ORGS.org2], minParticipants: 1 }),
      sampleWeights(0),
    );
    await admin.org1.recordDataProfile('fed-1', sampleProfile());
    await admin.org2.recordDataProfile('fed-1', sampleProfile());
    await admin.org2.acceptInvitation('fed-1');
    await client.org1.startFederation('fed-1');
    const w = sampleWeights(1);
    await client.org1.submitUpdate(
      { federationId: 'fed-1', round: 1, numSamples: 8, digest: sha256Hex(w), metrics: {} },
      w,
    );
    await expectRejection(world, 'QUORUM_NOT_MET', () => client.org1.aggregate('fed-1', 1));
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      client.org1.reportTrainingFailure('fed-1', 1, 'already submitted'),
    );
    await expectRejection(world, 'INVALID_ARGUMENT', () =>
      client.org2.reportTrainingFailure('fed-1', 1, ''),
    );
    await client.org2.reportTrainingFailure('fed-1', 1, 'dataset "site2" cannot be read');
    await expectRejection(world, 'ALREADY_EXISTS', () =>
      client.org2.reportTrainingFailure('fed-1', 1, 'again'),
    );
    assert.deepEqual((await client.org1.getRound('fed-1', 1)).failed, [
      { mspId: 'Org2MSP', reason: 'dataset "site2" cannot be read' },
    ]);
    const version = await client.org1.aggregate('fed-1', 1);
    assert.deepEqual(
      version.contributors.map((c) => c.mspId),
      ['Org1MSP'],
    );
    await expectRejection(world, 'ROUND_NOT_OPEN', () =>
      client.org2.reportTrainingFailure('fed-1', 1, 'late'),
    );
  });

  it('profiles are for schema federations only', async () => {
    const { world, admin } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    await expectRejection(world, 'FAILED_PRECONDITION', () =>
      admin.org1.recordDataProfile('fed-1', sampleProfile()),
    );
  });
});
