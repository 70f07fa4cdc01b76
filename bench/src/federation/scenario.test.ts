import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFlat } from '@fedledger/core';
import { buildScenario, hiddenUnitsForParams, orgMspId, pooledTrainingData } from './scenario';

const options = {
  rows: 500,
  orgs: 3,
  split: 'iid' as const,
  testFraction: 0.2,
  hiddenUnits: [8, 4],
  seed: 5,
};

test('buildScenario holds out the test rows and deals the rest to every org', () => {
  const scenario = buildScenario(options);
  assert.equal(scenario.test.labels.length, 100);
  assert.deepEqual(
    scenario.orgs.map((org) => org.mspId),
    ['Org1MSP', 'Org2MSP', 'Org3MSP'],
  );
  assert.equal(
    scenario.orgs.reduce((sum, org) => sum + org.labels.length, 0),
    400,
  );
  for (const org of scenario.orgs) {
    assert.equal(org.features.length, org.labels.length * scenario.numFeatures);
  }
  assert.equal(scenario.numFeatures, 12);
  assert.deepEqual(scenario.weightShapes, [[12, 8], [8], [8, 4], [4], [4, 1], [1]]);
  assert.equal(scenario.paramCount, 12 * 8 + 8 + 8 * 4 + 4 + 4 + 1);
  assert.equal(decodeFlat(scenario.initialWeights).flat.length, scenario.paramCount);
});

test('buildScenario is deterministic and standardises with the pooled training statistics', () => {
  const a = buildScenario(options);
  const b = buildScenario(options);
  assert.deepEqual(a.orgs[1]?.features, b.orgs[1]?.features);
  assert.deepEqual(a.initialWeights, b.initialWeights);
  const pooled = pooledTrainingData(a);
  for (let c = 0; c < a.numFeatures; c++) {
    let sum = 0;
    for (let r = 0; r < pooled.labels.length; r++) {
      sum += pooled.features[r * a.numFeatures + c];
    }
    assert.ok(
      Math.abs(sum / pooled.labels.length) < 1e-4,
      `column ${c} mean is ${sum / pooled.labels.length}`,
    );
  }
});

test('a Dirichlet split gives the orgs different label mixes', () => {
  const scenario = buildScenario({ ...options, rows: 2000, split: 'dirichlet', alpha: 0.3 });
  const positiveShares = scenario.orgs.map(
    (org) => org.labels.reduce((s, y) => s + y, 0) / org.labels.length,
  );
  assert.ok(
    Math.max(...positiveShares) - Math.min(...positiveShares) > 0.1,
    `shares ${positiveShares.join(', ')}`,
  );
});

test('pooledTrainingData concatenates the orgs in order', () => {
  const scenario = buildScenario(options);
  const pooled = pooledTrainingData(scenario);
  const first = scenario.orgs.at(0);
  assert.ok(first !== undefined);
  assert.deepEqual(pooled.labels.subarray(0, first.labels.length), first.labels);
  assert.equal(pooled.features.length, 400 * 12);
});

test('hiddenUnitsForParams lands within 1 % of the target', () => {
  for (const target of [100_000, 1_000_000]) {
    const [w] = hiddenUnitsForParams(target, 12) as [number];
    const params = w * w + 15 * w + 1;
    assert.ok(Math.abs(params - target) / target < 0.01, `${params} for ${target}`);
  }
  assert.throws(() => hiddenUnitsForParams(0, 12), { code: 'INVALID_ARGUMENT' });
});

test('orgMspId numbers orgs from 1', () => {
  assert.equal(orgMspId(0), 'Org1MSP');
  assert.equal(orgMspId(4), 'Org5MSP');
});
