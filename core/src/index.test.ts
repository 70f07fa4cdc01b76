import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from './index';

test('the package entry exports the weights codec and every aggregation entry point', () => {
  for (const name of [
    'encodeWeights',
    'decodeWeights',
    'encodeFlat',
    'decodeFlat',
    'flattenWeights',
    'unflattenWeights',
    'paramCount',
    'sha256Hex',
    'splitIntoChunks',
    'joinChunks',
    'assertFinite',
    'assertSameShapes',
    'l2Norm',
    'l2Distance',
    'weightedMean',
    'coordinateMedian',
    'trimmedMean',
    'pairwiseSquaredDistances',
    'validateAggregationInput',
    'validateStrategyConfig',
    'createStrategy',
    'krumScores',
  ] as const) {
    assert.equal(typeof core[name], 'function', name);
  }
  assert.equal(core.DEFAULT_CHUNK_BYTES, 1024 * 1024);
  assert.equal(core.WEIGHTS_MAGIC, 'FLW1');
  assert.equal(core.WEIGHTS_FORMAT_VERSION, 1);
});

test('the ledger API catalogue names every transaction after its key', () => {
  for (const contract of Object.values(core.TX)) {
    for (const [key, value] of Object.entries(contract)) {
      assert.equal(value, key);
    }
  }
  for (const [key, value] of Object.entries(core.EVENT)) {
    assert.equal(value, key);
  }
  assert.equal(core.CHAINCODE_NAME, 'fedledger');
});

test('a strategy built from the entry point aggregates encoded weights end to end', () => {
  const shapes = [[2], [1]];
  const decode = (values: number[]) =>
    core.decodeFlat(core.encodeFlat(shapes, Float32Array.from(values))).flat;
  const strategy = core.createStrategy(core.validateStrategyConfig({ name: 'fedavg' }));
  const result = strategy.aggregate({
    updates: [
      { id: 'Org1MSP', numSamples: 1, weights: decode([1, 2, 3]) },
      { id: 'Org2MSP', numSamples: 1, weights: decode([3, 4, 5]) },
    ],
    previous: decode([0, 0, 0]),
  });
  const encoded = core.encodeFlat(shapes, result.weights);
  assert.deepEqual(core.unflattenWeights(shapes, core.decodeFlat(encoded).flat), [
    { shape: [2], values: Float32Array.from([2, 3]) },
    { shape: [1], values: Float32Array.from([4]) },
  ]);
  assert.match(core.sha256Hex(encoded), /^[0-9a-f]{64}$/);
});
