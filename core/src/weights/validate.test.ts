import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FedLedgerError } from '../errors';
import { assertFinite, assertSameShapes, l2Distance, l2Norm } from './validate';

function hasCode(code: string, message: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof FedLedgerError);
    assert.equal(error.code, code);
    assert.equal(error.reason, message);
    return true;
  };
}

test('assertFinite accepts finite values including -0 and extremes', () => {
  assertFinite(new Float32Array([0, -0, 3.4028234663852886e38, -1.401298464324817e-45]), 'x');
  assertFinite(new Float32Array(0), 'x');
});

test('assertFinite names the first NaN or infinite index', () => {
  assert.throws(
    () => {
      assertFinite(new Float32Array([1, Number.NaN, Infinity]), 'update Org1MSP');
    },
    hasCode('NON_FINITE_VALUE', 'update Org1MSP has NaN at index 1'),
  );
  assert.throws(
    () => {
      assertFinite(new Float32Array([1, 2, -Infinity]), 'w');
    },
    hasCode('NON_FINITE_VALUE', 'w has -Infinity at index 2'),
  );
});

test('assertFinite finds a non-finite value in any of its four sums and in the tail past them', () => {
  for (const length of [1, 4, 7, 1001]) {
    for (let at = 0; at < length; at += Math.max(1, Math.floor(length / 7))) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const values = new Float32Array(length).fill(-0);
        values[at] = bad;
        assert.throws(
          () => {
            assertFinite(values, 'v');
          },
          hasCode('NON_FINITE_VALUE', `v has ${String(bad)} at index ${at}`),
        );
      }
    }
  }
});

test('assertSameShapes accepts equal shapes', () => {
  assertSameShapes([[2, 3], []], [[2, 3], []], 'model');
});

test('assertSameShapes names the tensor and both shapes', () => {
  assert.throws(
    () => {
      assertSameShapes([[2, 3], [4]], [[2, 3], [5]], 'update');
    },
    hasCode('SHAPE_MISMATCH', 'update tensor 1 has shape [5]; expected [4]'),
  );
  assert.throws(
    () => {
      assertSameShapes([[6]], [[2, 3]], 'update');
    },
    hasCode('SHAPE_MISMATCH', 'update tensor 0 has shape [2,3]; expected [6]'),
  );
  assert.throws(
    () => {
      assertSameShapes([[6]], [[6], [1]], 'update');
    },
    hasCode('SHAPE_MISMATCH', 'update has 2 tensors; expected 1'),
  );
});

test('l2Norm and l2Distance on hand-computed vectors', () => {
  assert.equal(l2Norm(new Float32Array([3, 4])), 5);
  assert.equal(l2Norm([]), 0);
  assert.equal(l2Distance(new Float32Array([1, 1]), new Float32Array([4, 5])), 5);
  assert.equal(l2Distance([0.5], [0.5]), 0);
});

test('l2Distance rejects vectors of different length', () => {
  assert.throws(
    () => l2Distance([1, 2], [1]),
    hasCode('SHAPE_MISMATCH', 'cannot measure distance between vectors of length 2 and 1'),
  );
});
