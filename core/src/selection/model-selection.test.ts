import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Evaluation, ModelVersion } from '../types';
import { parseSelectionMetric, selectModel } from './model-selection';

function version(v: number, evaluations: Array<[string, number, number]>): ModelVersion {
  return {
    federationId: 'f',
    version: v,
    round: v,
    modelHash: `h${v}`,
    parentHash: null,
    strategy: { name: 'fedavg' },
    contributors: [],
    paramCount: 1,
    weightShapes: [[1]],
    createdAt: '',
    txId: '',
    evaluations: evaluations.map(([mspId, numSamples, accuracy]): Evaluation => ({
      federationId: 'f',
      version: v,
      mspId,
      numSamples,
      metrics: { accuracy, loss: 1 - accuracy },
      recordedAt: '',
      txId: '',
    })),
    approvals: [],
    approvalsRequired: 2,
    deployed: false,
  };
}

test('sample-weighted consortium metric per version; the best eligible version, not the last', () => {
  const versions = [
    version(0, [['A', 10, 0.9]]),
    version(1, [
      ['A', 100, 0.7],
      ['B', 300, 0.9],
      ['C', 100, 0.5],
    ]),
    version(2, [
      ['A', 100, 0.8],
      ['B', 300, 0.7],
      ['C', 100, 0.6],
    ]),
    version(3, [['A', 100, 1]]),
  ];
  const selection = selectModel('f', 3, versions, 'accuracy');
  assert.deepEqual(
    selection.versions.map((s) => s.version),
    [1, 2, 3],
  );
  assert.ok(Math.abs(selection.versions[0]?.value - 0.78) < 1e-12);
  assert.ok(Math.abs(selection.versions[1]?.value - 0.7) < 1e-12);
  assert.equal(selection.versions[2]?.eligible, false);
  assert.equal(selection.best?.version, 1);
  assert.equal(selection.latestVersion, 3);
  assert.equal(selectModel('f', 3, versions, 'loss').best?.version, 1);
});

test('no eligible version: no best; a bad metric name is INVALID_ARGUMENT', () => {
  assert.equal(selectModel('f', 3, [version(1, [['A', 5, 0.5]])], 'accuracy').best, undefined);
  assert.throws(
    () => parseSelectionMetric('f1'),
    /INVALID_ARGUMENT: metric must be one of accuracy, auc, loss/,
  );
});
