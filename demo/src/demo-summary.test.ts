import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateGoal } from './demo-summary';

describe('evaluateGoal', () => {
  it('is met when federated is within 3 points of centralized and above every local-only model', () => {
    const goal = evaluateGoal(0.78, { accuracy: 0.8 }, [
      { accuracy: 0.7 },
      { accuracy: 0.77 },
      { accuracy: 0.5 },
    ]);
    assert.equal(goal.met, true);
    assert.equal(goal.bestLocalOnly, 0.77);
    assert.ok(Math.abs(goal.gapToCentralized - 0.02) < 1e-12);
  });

  it('is not met when a local-only model is as good, or the gap exceeds 3 points', () => {
    const tie = evaluateGoal(0.78, { accuracy: 0.79 }, [{ accuracy: 0.78 }]);
    assert.deepEqual(
      [tie.withinGapOfCentralized, tie.aboveBestLocalOnly, tie.met],
      [true, false, false],
    );
    const far = evaluateGoal(0.76, { accuracy: 0.8 }, [{ accuracy: 0.7 }]);
    assert.deepEqual(
      [far.withinGapOfCentralized, far.aboveBestLocalOnly, far.met],
      [false, true, false],
    );
  });
});
