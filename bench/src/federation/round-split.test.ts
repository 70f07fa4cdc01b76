import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundSplit } from './round-split';

test('roundSplit gives the mean seconds per call and passes the Aggregate counts through', () => {
  const step = (count: number, seconds: number) => ({ count, seconds });
  const split = roundSplit({
    aggregations: { succeeded: 5, failed: 1 },
    training: step(15, 3),
    submitUpdate: step(15, 1.5),
    aggregate: step(5, 1),
    recordEvaluation: step(0, 0),
    eventToSubmit: step(15, 6),
    turnaround: step(0, 0),
    trainedAhead: { used: 0, discarded: 0, failed: 0 },
  });
  assert.deepEqual(split, {
    trainingSeconds: 0.2,
    submitSeconds: 0.1,
    aggregateSeconds: 0.2,
    recordEvaluationSeconds: Number.NaN,
    eventToSubmitSeconds: 0.4,
    aggregationsSucceeded: 5,
    aggregationsFailed: 1,
  });
});
