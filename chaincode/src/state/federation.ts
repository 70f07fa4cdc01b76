import type { Federation, Imputation } from '@fedledger/core';
import type { FieldReader } from '../validation/field-reader';
import { readFederationSpec } from '../validation/federation-spec';
import type { RecordType } from './record';

/** A federation as stored; `participants` is derived on read from the per-org participant keys. */
export type FederationRecord = Omit<Federation, 'participants'>;

export const federationRecord: RecordType<FederationRecord> = {
  name: 'federation',
  read: (r) => {
    return {
      ...readFederationSpec(r),
      creatorMsp: r.string('creatorMsp', { min: 1 }),
      status: r.literal('status', ['pending', 'running', 'completed', 'cancelled'] as const),
      currentRound: r.integer('currentRound', { min: 0 }),
      weightShapes: readShapes(r.array('weightShapes'), (problem) =>
        r.fail('weightShapes', problem),
      ),
      paramCount: r.integer('paramCount', { min: 0 }),
      initialModelHash: r.hex64('initialModelHash'),
      createdAt: r.string('createdAt'),
      txId: r.string('txId'),
      startedAt: r.optionalString('startedAt'),
      endedAt: r.optionalString('endedAt'),
      cancelReason: r.optionalString('cancelReason'),
      imputation: readImputation(r),
    };
  },
};

/** The consortium's imputation values, present on schema federations once started. */
function readImputation(r: FieldReader): Imputation | undefined {
  if (!r.has('imputation')) return r.optionalRaw('imputation') as undefined;
  const i = r.object('imputation');
  const imputation = {
    values: i.numberMap('values', { maxEntries: 4096 }),
    fromOrgs: i.stringArray('fromOrgs', { min: 1 }),
    rows: i.integer('rows', { min: 1 }),
  };
  i.done();
  return imputation;
}

/** Validates a list of tensor shapes (arrays of non-negative integers). */
export function readShapes(value: unknown[], fail: (problem: string) => never): number[][] {
  return value.map((shape, i) => {
    if (
      !Array.isArray(shape) ||
      !shape.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0)
    ) {
      return fail(`[${i}] must be an array of non-negative integers`);
    }
    return shape as number[];
  });
}
