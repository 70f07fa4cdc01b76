import type { Contribution, ModelVersion } from '@fedledger/core';
import type { FieldReader } from '../validation/field-reader';
import { readStrategyConfig } from '../validation/strategy-config';
import { readShapes } from './federation';
import type { RecordType } from './record';

/**
 * A model version as stored. Evaluations, approvals, `approvalsRequired` (a majority of the
 * federation's participants) and `deployed` are derived on read.
 */
export type ModelVersionRecord = Omit<
  ModelVersion,
  'evaluations' | 'approvals' | 'approvalsRequired' | 'deployed'
>;

export const modelVersionRecord: RecordType<ModelVersionRecord> = {
  name: 'model version',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    version: r.integer('version', { min: 0 }),
    round: r.integer('round', { min: 0 }),
    modelHash: r.hex64('modelHash'),
    parentHash: r.nullableHex64('parentHash'),
    strategy: readStrategyConfig(r.raw('strategy'), 'stored model version strategy', 'INTERNAL'),
    contributors: r.objectArray('contributors', readContribution),
    paramCount: r.integer('paramCount', { min: 0 }),
    weightShapes: readShapes(r.array('weightShapes'), (problem) => r.fail('weightShapes', problem)),
    serverStateHash: r.has('serverStateHash')
      ? r.hex64('serverStateHash')
      : (r.optionalRaw('serverStateHash') as undefined),
    ...(r.has('servedBy') ? { servedBy: r.stringArray('servedBy', { min: 1, unique: true }) } : {}),
    createdAt: r.string('createdAt'),
    txId: r.string('txId'),
  }),
};

/** One update's part in a model version (also what a blob-path attestation claims). */
export function readContribution(c: FieldReader): Contribution {
  const contribution: Contribution = {
    mspId: c.string('mspId', { min: 1 }),
    numSamples: c.integer('numSamples', { min: 1 }),
    digest: c.hex64('digest'),
    accepted: c.boolean('accepted'),
    weight: c.number('weight', { min: 0, max: 1 }),
    score: c.optionalNumber('score'),
    reason: c.optionalString('reason', { max: 1000 }),
  };
  return contribution;
}
