import { FedLedgerError } from '../errors';

/** Throws NON_FINITE_VALUE naming the first NaN or ±Infinity in `flat`. */
export function assertFinite(flat: Float32Array, what: string): void {
  if (allFinite(flat)) return;
  for (let i = 0; i < flat.length; i++) {
    const value = flat[i];
    // `value - value` is 0 for finite numbers and NaN for NaN/±Infinity; cheaper than Number.isFinite per element.
    if (value - value !== 0) {
      throw new FedLedgerError('NON_FINITE_VALUE', `${what} has ${String(value)} at index ${i}`, {
        index: i,
      });
    }
  }
}

/**
 * Whether every value is finite: x·0 is ±0 for a finite x and NaN for NaN or ±Infinity, and a NaN
 * stays in a sum. Four independent sums and no branch per element: twice as fast as the
 * per-element test at 1M parameters, on the path of every aggregation (ADR 0030).
 */
function allFinite(flat: Float32Array): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const n = flat.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a += flat[i] * 0;
    b += flat[i + 1] * 0;
    c += flat[i + 2] * 0;
    d += flat[i + 3] * 0;
  }
  for (; i < n; i++) a += flat[i] * 0;
  return a + b + c + d === 0;
}

/** Throws SHAPE_MISMATCH saying which tensor differs and both shapes. */
export function assertSameShapes(
  expected: readonly (readonly number[])[],
  actual: readonly (readonly number[])[],
  what: string,
): void {
  if (expected.length !== actual.length) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `${what} has ${actual.length} tensors; expected ${expected.length}`,
    );
  }
  expected.forEach((expectedShape, i) => {
    const actualShape = actual[i];
    const same =
      expectedShape.length === actualShape.length &&
      expectedShape.every((dim, axis) => dim === actualShape[axis]);
    if (!same) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `${what} tensor ${i} has shape [${actualShape.join(',')}]; expected [${expectedShape.join(',')}]`,
        { tensor: i },
      );
    }
  });
}

/** Euclidean norm, accumulated in Float64 from index 0 upwards. */
export function l2Norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    sum += x * x;
  }
  return Math.sqrt(sum);
}

/** Euclidean distance between equal-length vectors, accumulated in Float64 from index 0 upwards. */
export function l2Distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `cannot measure distance between vectors of length ${a.length} and ${b.length}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}
