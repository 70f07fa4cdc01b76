import type { Round } from '@fedledger/core';
import type { RecordType } from './record';

/** A round as stored; `submitted` is derived on read from the per-org update keys. */
export type RoundRecord = Omit<Round, 'submitted'>;

export const roundRecord: RecordType<RoundRecord> = {
  name: 'round',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    status: r.literal('status', ['open', 'aggregated'] as const),
    openedAt: r.string('openedAt'),
    deadline: r.string('deadline'),
    aggregatedAt: r.optionalString('aggregatedAt'),
    modelVersion: r.optionalInteger('modelVersion', { min: 1 }),
  }),
};
