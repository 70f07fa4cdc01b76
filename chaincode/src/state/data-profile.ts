import type { DataProfile, TrainingFailure } from '@fedledger/core';
import type { RecordType } from './record';

/**
 * One org's data profile for a schema federation. Stored as written by `RecordDataProfile` (whose
 * argument was validated against the schema then); read back with light checks only.
 */
export const dataProfileRecord: RecordType<DataProfile> = {
  name: 'data profile',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    rows: r.integer('rows', { min: 1 }),
    positives: r.integer('positives', { min: 0 }),
    columns: r.array('columns') as DataProfile['columns'],
    recordedBy: r.string('recordedBy'),
    recordedAt: r.string('recordedAt'),
    txId: r.string('txId'),
  }),
};

/** A participant's report that it could not train a round. */
export const trainingFailureRecord: RecordType<TrainingFailure> = {
  name: 'training failure',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    reason: r.string('reason', { min: 1 }),
    reportedBy: r.string('reportedBy'),
    reportedAt: r.string('reportedAt'),
    txId: r.string('txId'),
  }),
};
