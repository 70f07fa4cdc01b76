import assert from 'node:assert/strict';
import { canonicalJson } from '../canonical-json';
import { type ErrorCode, FedLedgerError } from '../errors';
import type { AggregationResult, ClientUpdate } from '../aggregation/strategy';

/** Test support for aggregation tests (not exported from the package). */

export function f32(...values: number[]): Float32Array {
  return Float32Array.from(values);
}

export function update(id: string, numSamples: number, values: number[]): ClientUpdate {
  return { id, numSamples, weights: f32(...values) };
}

/** The raw bytes of a Float32Array, for bit-exact comparison (distinguishes -0 and +0). */
export function bytesOf(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Asserts that `fn` throws a FedLedgerError with exactly this code and a message matching `pattern`. */
export function assertFails(fn: () => unknown, code: ErrorCode, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FedLedgerError, `expected FedLedgerError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.reason, pattern);
    return true;
  });
}

/** Every rotation of the list and of its reverse: enough orderings to catch order dependence. */
export function orderings<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (const base of [[...items], [...items].reverse()]) {
    for (let shift = 0; shift < base.length; shift++) {
      result.push([...base.slice(shift), ...base.slice(0, shift)]);
    }
  }
  return result;
}

/** A result as bytes-and-JSON text, so two results compare bit for bit. */
export function fingerprint(result: AggregationResult): string {
  const state = Object.fromEntries(
    Object.entries(result.serverState ?? {}).map(([key, vector]) => [
      key,
      Array.from(bytesOf(vector)),
    ]),
  );
  return canonicalJson({
    weights: Array.from(bytesOf(result.weights)),
    diagnostics: result.diagnostics,
    state,
  });
}

/** Sum of accepted shares. */
export function acceptedWeight(result: AggregationResult): number {
  return result.diagnostics.filter((d) => d.accepted).reduce((sum, d) => sum + d.weight, 0);
}
