import type { PredictionReceipt } from '@fedledger/core';
import type { RecordType } from './record';

/** A receipt for predictions served from a deployed model version. */
export const predictionRecord: RecordType<PredictionReceipt> = {
  name: 'prediction',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    version: r.integer('version', { min: 0 }),
    modelHash: r.hex64('modelHash'),
    inputHash: r.hex64('inputHash'),
    outputHash: r.hex64('outputHash'),
    count: r.integer('count', { min: 1 }),
    requesterMsp: r.string('requesterMsp'),
    requesterId: r.string('requesterId'),
    recordedAt: r.string('recordedAt'),
    txId: r.string('txId'),
  }),
};
