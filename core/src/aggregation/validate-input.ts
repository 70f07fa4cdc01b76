import { FedLedgerError } from '../errors';
import { assertFinite } from '../weights/validate';
import type { AggregationInput, ClientUpdate, ServerState } from './strategy';

/**
 * Checks an aggregation input before any math and returns the updates sorted by id, so that the
 * order in which updates arrive can never change the result. Checks run in a fixed order over the
 * sorted updates, so the same bad input always yields the same error:
 * QUORUM_NOT_MET (fewer than `minUpdates`, at least 1), INVALID_ARGUMENT (ids, numSamples, types),
 * SHAPE_MISMATCH (length differs from `previous`), NON_FINITE_VALUE (NaN or ±Infinity).
 */
export function validateAggregationInput(input: AggregationInput, minUpdates = 1): ClientUpdate[] {
  const { updates, previous } = input;
  if (!Array.isArray(updates)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'updates must be an array');
  }
  const required = Math.max(1, minUpdates);
  if (updates.length < required) {
    throw new FedLedgerError('QUORUM_NOT_MET', `needs at least ${required} updates, got ${updates.length}`, {
      required,
      received: updates.length,
    });
  }
  if (!(previous instanceof Float32Array)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'previous must be a Float32Array');
  }
  const seen = new Set<string>();
  for (const update of updates) {
    if (typeof update?.id !== 'string' || update.id.length === 0) {
      throw new FedLedgerError('INVALID_ARGUMENT', 'every update needs a non-empty string id');
    }
    if (seen.has(update.id)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `duplicate update id ${update.id}`);
    }
    seen.add(update.id);
  }
  const sorted = sortById(updates);
  for (const update of sorted) {
    if (!Number.isSafeInteger(update.numSamples) || update.numSamples <= 0) {
      throw new FedLedgerError('INVALID_ARGUMENT', `update ${update.id} numSamples must be a positive integer, got ${update.numSamples}`);
    }
    if (!(update.weights instanceof Float32Array)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `update ${update.id} weights must be a Float32Array`);
    }
    if (update.weights.length !== previous.length) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `update ${update.id} has ${update.weights.length} parameters; the previous model has ${previous.length}`,
      );
    }
  }
  assertFinite(previous, 'previous model');
  for (const update of sorted) {
    assertFinite(update.weights, `update ${update.id}`);
  }
  return sorted;
}

/** Updates sorted by id in UTF-16 code unit order (never locale-dependent). */
export function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Reads one server optimizer state vector, or `undefined` when absent (first round). A present
 * vector must match the model's length and be finite.
 */
export function readStateVector(state: ServerState | undefined, name: string, length: number): Float32Array | undefined {
  const vector = state?.[name];
  if (vector === undefined) {
    return undefined;
  }
  if (!(vector instanceof Float32Array)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `serverState.${name} must be a Float32Array`);
  }
  if (vector.length !== length) {
    throw new FedLedgerError('SHAPE_MISMATCH', `serverState.${name} has ${vector.length} values; the model has ${length}`);
  }
  assertFinite(vector, `serverState.${name}`);
  return vector;
}
