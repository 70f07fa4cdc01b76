import type { MspId } from '@fedledger/core';
import type { RecordType } from './record';

/** One org's participation in a federation, under its own key so concurrent acceptances never conflict. */
export interface ParticipantRecord {
  federationId: string;
  mspId: MspId;
  acceptedBy: string;
  acceptedAt: string;
  txId: string;
}

export const participantRecord: RecordType<ParticipantRecord> = {
  name: 'participant',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    acceptedBy: r.string('acceptedBy'),
    acceptedAt: r.string('acceptedAt'),
    txId: r.string('txId'),
  }),
};
