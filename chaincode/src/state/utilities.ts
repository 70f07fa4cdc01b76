import type { UtilityRecord } from '@fedledger/core';
import { readUtilityMap } from '../incentives/utilities-input';
import type { RecordType } from './record';

/** Coalitions one utility record may hold (Monte-Carlo plans for large consortia stay below this). */
export const MAX_COALITIONS = 4096;

/** One org's coalition utilities for one round (public: every participant and the auditor can check them). */
export const utilityRecord: RecordType<UtilityRecord> = {
  name: 'utilities',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    numSamples: r.integer('numSamples', { min: 1 }),
    utilities: readUtilityMap(r.raw('utilities'), 'stored utilities', 'INTERNAL', MAX_COALITIONS),
    recordedAt: r.string('recordedAt'),
    txId: r.string('txId'),
  }),
};
