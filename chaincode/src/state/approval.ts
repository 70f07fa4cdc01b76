import type { MspId } from '@fedledger/core';
import type { RecordType } from './record';

/** One org's approval of a model version for deployment, under its own key. */
export interface ApprovalRecord {
  federationId: string;
  version: number;
  mspId: MspId;
  approvedBy: string;
  approvedAt: string;
  txId: string;
}

export const approvalRecord: RecordType<ApprovalRecord> = {
  name: 'approval',
  read: (r) => ({
    federationId: r.string('federationId', { min: 1 }),
    version: r.integer('version', { min: 0 }),
    mspId: r.string('mspId', { min: 1 }),
    approvedBy: r.string('approvedBy'),
    approvedAt: r.string('approvedAt'),
    txId: r.string('txId'),
  }),
};
