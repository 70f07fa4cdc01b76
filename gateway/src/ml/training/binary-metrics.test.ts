import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryMetrics, logLossScore, MAX_BINARY_LOSS, rocAuc } from './binary-metrics';

test('AUC counts correctly ordered pairs, ties as half', () => {
  // Positives 0.8, 0.4; negatives 0.5, 0.1: pairs (0.8>0.5, 0.8>0.1, 0.4<0.5, 0.4>0.1) → 3/4.
  assert.equal(rocAuc([0.8, 0.5, 0.4, 0.1], [1, 0, 1, 0]), 0.75);
  // A positive tied with a negative counts 1/2: (1 + 0.5) / 2.
  assert.equal(rocAuc([0.9, 0.3, 0.3], [1, 1, 0]), 0.75);
  assert.equal(rocAuc([0.1, 0.9], [0, 1]), 1);
  assert.ok(Number.isNaN(rocAuc([0.1, 0.9], [1, 1])));
});

test('loss and accuracy follow binary cross-entropy at threshold 0.5', () => {
  const metrics = binaryMetrics([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]);
  const expectedLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.5)) / 4;
  assert.ok(Math.abs(metrics.loss - expectedLoss) < 1e-12);
  assert.equal(metrics.accuracy, 0.75);
  assert.equal(metrics.auc, 0.75);
  assert.ok(Number.isFinite(binaryMetrics([0, 1], [1, 0]).loss));
  assert.ok(Number.isNaN(binaryMetrics([], []).loss));
  assert.throws(() => binaryMetrics([0.5], [1, 0]), /1 probabilities for 2 labels/);
});

test('log-loss score: 1 for certain and right, 0 for certain and wrong, and it separates models accuracy cannot', () => {
  // Certain and right is 1 up to the clipping: probabilities stop at 1 − ε.
  assert.ok(logLossScore(binaryMetrics([1, 0], [1, 0]).loss) > 1 - 1e-8);
  assert.equal(logLossScore(0), 1);
  assert.equal(logLossScore(binaryMetrics([0, 1], [1, 0]).loss), 0);
  assert.equal(logLossScore(MAX_BINARY_LOSS), 0);
  assert.ok(Math.abs(logLossScore(Math.log(2)) - (1 - Math.log(2) / MAX_BINARY_LOSS)) < 1e-15);
  // Two models that predict class 0 for every row (same accuracy, 2/3): one undecided, one driven to
  // extreme outputs (what a ×10 reversed update does). Accuracy ties; the score ranks the second lower.
  const labels = [0, 0, 1];
  const undecided = binaryMetrics([0.4, 0.4, 0.4], labels);
  const extreme = binaryMetrics([1e-9, 1e-9, 1e-9], labels);
  assert.equal(undecided.accuracy, extreme.accuracy);
  assert.ok(logLossScore(extreme.loss) < logLossScore(undecided.loss) - 0.2);
  for (const bad of [-0.1, Number.NaN, Number.POSITIVE_INFINITY])
    assert.throws(() => logLossScore(bad), RangeError);
});
