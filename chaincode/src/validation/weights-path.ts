import {
  MAX_BLOB_BYTES,
  WEIGHTS_PATHS,
  encodedWeightsBytes,
  type FederationSpec,
  type InitialBlob,
} from '@fedledger/core';
import { readShapes } from '../state/federation';
import type { FieldReader } from './field-reader';

/**
 * Strategies whose optimizer state would have to travel with the model; the blob path carries
 * weights only (ADR 0022), so they are refused there rather than silently run without state.
 */
const STATEFUL_STRATEGIES: readonly string[] = ['fedavgm', 'fedadam'];

/**
 * Reads `weightsPath` and `initialBlob` of a federation spec and refuses the features the blob
 * path does not carry (ADR 0022): secure aggregation and DP (masked updates and budgets are
 * enforced on private-data bytes the chaincode sees), contribution scoring (evaluators read
 * individual updates through the chaincode) and server-side optimizer state.
 */
export function readWeightsPath(r: FieldReader, spec: FederationSpec): void {
  const path = r.has('weightsPath') ? r.literal('weightsPath', WEIGHTS_PATHS) : undefined;
  if (!r.has('initialBlob')) {
    r.optionalRaw('initialBlob');
    if (path === 'blob')
      r.fail(
        'initialBlob',
        'is required with weightsPath "blob": the digest, byte size and shapes of the initial model its creator org serves',
      );
    if (path !== undefined) spec.weightsPath = path;
    return;
  }
  if (path !== 'blob')
    r.fail(
      'initialBlob',
      'is only allowed with weightsPath "blob" (private-data federations send the initial weights in the transient map)',
    );
  spec.weightsPath = path;
  spec.initialBlob = readInitialBlob(r.object('initialBlob'));
  const why = blobPathRefusal(spec);
  if (why !== undefined) r.fail(why.field, why.problem);
}

function readInitialBlob(b: FieldReader): InitialBlob {
  const digest = b.hex64('digest');
  const byteLength = b.integer('byteLength', { min: 1, max: MAX_BLOB_BYTES });
  const weightShapes = readShapes(b.array('weightShapes', { min: 1, max: 4096 }), (problem) =>
    b.fail('weightShapes', problem),
  );
  b.done();
  let expected: number;
  try {
    expected = encodedWeightsBytes(weightShapes);
  } catch (error) {
    return b.fail('weightShapes', error instanceof Error ? error.message : String(error));
  }
  if (expected !== byteLength) {
    b.fail(
      'byteLength',
      `must be ${expected}, the FLW1 size of weightShapes (12-byte header, 4 bytes per dim and rank, 4 per value), got ${byteLength}`,
    );
  }
  if (weightShapes.every((shape) => shape.reduce((p, d) => p * d, 1) === 0))
    b.fail('weightShapes', 'hold no values; a model needs at least one parameter');
  return { digest, byteLength, weightShapes };
}

/** Why a blob-path spec cannot run (field and problem), or undefined when it can. */
export function blobPathRefusal(
  spec: FederationSpec,
): { field: string; problem: string } | undefined {
  if (spec.privacy !== undefined) {
    return {
      field: 'privacy',
      problem:
        'is not available on the blob path (weightsPath "blob", large models): secure aggregation and the DP budget are enforced by the chaincode on private-data updates (ADR 0022); use a smaller model or no privacy',
    };
  }
  if (spec.incentives !== undefined) {
    return {
      field: 'incentives',
      problem:
        'is not available on the blob path (weightsPath "blob", large models): contribution scoring reads individual updates through the chaincode (ADR 0022)',
    };
  }
  if (STATEFUL_STRATEGIES.includes(spec.strategy.name)) {
    return {
      field: 'strategy',
      problem: `"${spec.strategy.name}" keeps server optimizer state, which the blob path does not carry (ADR 0022); use fedavg, median, trimmed-mean, krum or multi-krum`,
    };
  }
  return undefined;
}
