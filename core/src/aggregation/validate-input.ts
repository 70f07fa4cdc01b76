import { FedLedgerError } from '../errors';
import { assertFinite } from '../weights/validate';
import type { AggregationInput, ClientUpdate, ServerState } from './strategy';

/**
 * An update as it may arrive from a caller that bypassed the types (decoded ledger data, plain
 * JavaScript): any value, whose fields are read only through optional access and checked.
 */
type UncheckedUpdate = { readonly [K in keyof ClientUpdate]?: unknown } | null | undefined;

/**
 * Checks an aggregation input before any math and returns the updates sorted by id, so that the
 * order in which updates arrive can never change the result. Checks run in a fixed order over the
 * sorted updates, so the same bad input always yields the same error:
 * QUORUM_NOT_MET (fewer than `minUpdates`, at least 1), INVALID_ARGUMENT (ids, numSamples, types),
 * SHAPE_MISMATCH (length differs from `previous`), NON_FINITE_VALUE (NaN or ±Infinity).
 */
export function validateAggregationInput(input: AggregationInput, minUpdates = 1): ClientUpdate[] {
  const { previous } = input;
  const updates: unknown = input.updates;
  if (!Array.isArray(updates)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'updates must be an array');
  }
  const required = Math.max(1, minUpdates);
  if (updates.length < required) {
    throw new FedLedgerError(
      'QUORUM_NOT_MET',
      `needs at least ${required} updates, got ${updates.length}`,
      {
        required,
        received: updates.length,
      },
    );
  }
  if (!(previous instanceof Float32Array)) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'previous must be a Float32Array');
  }
  const seen = new Set<string>();
  const identified: Array<{ id: string; update: UncheckedUpdate }> = [];
  for (const update of updates as readonly UncheckedUpdate[]) {
    const id = update?.id;
    if (typeof id !== 'string' || id.length === 0) {
      throw new FedLedgerError('INVALID_ARGUMENT', 'every update needs a non-empty string id');
    }
    if (seen.has(id)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `duplicate update id ${id}`);
    }
    seen.add(id);
    identified.push({ id, update });
  }
  const sorted = sortById(identified);
  for (const { id, update } of sorted) {
    const numSamples = update?.numSamples;
    if (typeof numSamples !== 'number' || !Number.isSafeInteger(numSamples) || numSamples <= 0) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `update ${id} numSamples must be a positive integer, got ${String(numSamples)}`,
      );
    }
    const weights = update?.weights;
    if (!(weights instanceof Float32Array)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `update ${id} weights must be a Float32Array`);
    }
    if (weights.length !== previous.length) {
      throw new FedLedgerError(
        'SHAPE_MISMATCH',
        `update ${id} has ${weights.length} parameters; the previous model has ${previous.length}`,
      );
    }
  }
  // Every field was checked above; the caller gets its own update objects back, in id order.
  const checked = sorted.map(({ update }) => update as ClientUpdate);
  assertFinite(previous, 'previous model');
  for (const update of checked) {
    assertFinite(update.weights, `update ${update.id}`);
  }
  return checked;
}

/** Updates sorted by id in UTF-16 code unit order (never locale-dependent). */
export function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Reads one server optimizer state vector, or `undefined` when absent (first round). A present
 * vector must match the model's length and be finite.
 */
export function readStateVector(
  state: ServerState | undefined,
  name: string,
  length: number,
): Float32Array | undefined {
  const vector = state?.[name];
  if (vector === undefined) {
    return undefined;
  }
  if (!(vector instanceof Float32Array)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `serverState.${name} must be a Float32Array`);
  }
  if (vector.length !== length) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `serverState.${name} has ${vector.length} values; the model has ${length}`,
    );
  }
  assertFinite(vector, `serverState.${name}`);
  return vector;
}
