import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, type FederationSpec } from '@fedledger/core';
import {
  createFederationFromText,
  expectRejection,
  sampleConsortium,
  sampleSpec,
  sampleWeights,
} from '../test-support';

describe('CreateFederation featureScaling', () => {
  const invalid: [string, unknown, RegExp][] = [
    [
      'not an object',
      'z-score',
      /^INVALID_ARGUMENT: spec\.featureScaling must be a JSON object, got "z-score"$/,
    ],
    ['null', null, /^INVALID_ARGUMENT: spec\.featureScaling must be a JSON object, got null$/],
    [
      'an array',
      [
        [0, 0],
        [1, 1],
      ],
      /^INVALID_ARGUMENT: spec\.featureScaling must be a JSON object, got an array$/,
    ],
    [
      'center missing',
      { scale: [1, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.center is required$/,
    ],
    [
      'scale missing',
      { center: [0, 0] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.scale is required$/,
    ],
    [
      'center not an array',
      { center: 0, scale: [1, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.center must be an array, got 0$/,
    ],
    [
      'center shorter than featureColumns',
      { center: [0], scale: [1, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.center must have one number per feature column \(2\), got 1$/,
    ],
    [
      'scale longer than featureColumns',
      { center: [0, 0], scale: [1, 1, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.scale must have one number per feature column \(2\), got 3$/,
    ],
    [
      'a string in center',
      { center: [0, '1'], scale: [1, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.center\[1\] must be a finite number, got "1"$/,
    ],
    [
      'null (NaN in JSON) in scale',
      { center: [0, 0], scale: [null, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.scale\[0\] must be a finite number, got null$/,
    ],
    [
      'zero scale',
      { center: [0, 0], scale: [1, 0] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.scale\[1\] must be greater than 0, got 0$/,
    ],
    [
      'negative scale',
      { center: [0, 0], scale: [-2, 1] },
      /^INVALID_ARGUMENT: spec\.featureScaling\.scale\[0\] must be greater than 0, got -2$/,
    ],
    [
      'unknown field',
      { center: [0, 0], scale: [1, 1], method: 'robust' },
      /^INVALID_ARGUMENT: spec\.featureScaling has unknown field\(s\): method$/,
    ],
  ];
  for (const [name, featureScaling, message] of invalid) {
    test(`INVALID_ARGUMENT naming the field: ${name}`, async () => {
      const { world, admin } = await sampleConsortium();
      const spec = { ...sampleSpec(), featureScaling } as unknown as FederationSpec;
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        admin.org1.createFederation(spec, sampleWeights(0)),
      );
      assert.match(error.message, message);
    });
  }

  test('INVALID_ARGUMENT for an infinite center or scale (JSON numbers that overflow a double)', async () => {
    const { world, admin } = await sampleConsortium();
    const cases: [string, RegExp][] = [
      [
        '{"center":[1e999,0],"scale":[1,1]}',
        /^INVALID_ARGUMENT: spec\.featureScaling\.center\[0\] must be a finite number, got Infinity$/,
      ],
      [
        '{"center":[0,0],"scale":[1,-1e999]}',
        /^INVALID_ARGUMENT: spec\.featureScaling\.scale\[1\] must be a finite number, got -Infinity$/,
      ],
    ];
    for (const [scalingJson, message] of cases) {
      const text = canonicalJson(sampleSpec()).replace(/}$/, `,"featureScaling":${scalingJson}}`);
      const error = await expectRejection(world, 'INVALID_ARGUMENT', () =>
        createFederationFromText(world, admin.org1, text),
      );
      assert.match(error.message, message);
    }
  });

  test('stored with the federation and readable by every consortium org, the auditor included', async () => {
    const { admin, client } = await sampleConsortium();
    const featureScaling = { center: [63.5, -0.25], scale: [12.75, 0.5] };
    const created = await admin.org1.createFederation(
      sampleSpec({ featureScaling }),
      sampleWeights(0),
    );
    assert.deepEqual(created.featureScaling, featureScaling);
    assert.deepEqual((await client.org2.getFederation('fed-1')).featureScaling, featureScaling);
    assert.deepEqual((await client.auditor.getFederation('fed-1')).featureScaling, featureScaling);
    assert.deepEqual(
      (await client.auditor.listFederations(10, '')).items[0]?.featureScaling,
      featureScaling,
    );
  });

  test('optional: a federation without it has none (each org then scales with its own statistics)', async () => {
    const { admin, client } = await sampleConsortium();
    await admin.org1.createFederation(sampleSpec(), sampleWeights(0));
    assert.equal('featureScaling' in (await client.org3.getFederation('fed-1')), false);
  });
});
