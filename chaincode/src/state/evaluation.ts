import type { Evaluation } from '@fedledger/core';
import type { RecordType } from './record';

/** One org's evaluation of one model version on its own validation data. */
export const evaluationRecord: RecordType<Evaluation> = {
  name: 'evaluation',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    version: r.integer('version', { min: 0 }),
    mspId: r.string('mspId', { min: 1 }),
    numSamples: r.integer('numSamples', { min: 1 }),
    metrics: r.numberMap('metrics'),
    recordedAt: r.string('recordedAt'),
    txId: r.string('txId'),
  }),
};
