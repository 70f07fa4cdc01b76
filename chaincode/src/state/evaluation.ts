import {
  FedLedgerError,
  TRAINING_BACKENDS,
  type Evaluation,
  type TrainingBackend,
} from '@fedledger/core';
import type { RecordType } from './record';

/** One org's evaluation of one model version on its own validation data. */
export const evaluationRecord: RecordType<Evaluation> = {
  name: 'evaluation',
  read: (r) => {
    const backend = r.optionalString('backend');
    if (backend !== undefined && !(TRAINING_BACKENDS as readonly string[]).includes(backend)) {
      throw new FedLedgerError(
        'INTERNAL',
        `stored evaluation names an unknown backend "${backend}"`,
      );
    }
    return {
      federationId: r.string('federationId', { min: 1 }),
      version: r.integer('version', { min: 0 }),
      mspId: r.string('mspId', { min: 1 }),
      numSamples: r.integer('numSamples', { min: 1 }),
      metrics: r.numberMap('metrics'),
      ...(backend !== undefined ? { backend: backend as TrainingBackend } : {}),
      recordedAt: r.string('recordedAt'),
      txId: r.string('txId'),
    };
  },
};
