import type { AggregateAttestation } from '@fedledger/core';
import { readContribution } from './model-version';
import type { RecordType } from './record';

/** One org's blob-path aggregation result for one round, under its own key (ADR 0022). */
export const attestationRecord: RecordType<AggregateAttestation> = {
  name: 'attestation',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    round: r.integer('round', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    modelHash: r.hex64('modelHash'),
    byteLength: r.integer('byteLength', { min: 1 }),
    contributors: r.objectArray('contributors', readContribution),
    attestedBy: r.string('attestedBy'),
    attestedAt: r.string('attestedAt'),
    txId: r.string('txId'),
  }),
};
