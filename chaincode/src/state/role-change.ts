import type { RoleChangeProposal } from '@fedledger/core';
import { ORG_ROLES } from './consortium';
import type { RecordType } from './record';

/** A proposal to give an org a role; applied once a majority of member orgs approved. */
export const roleChangeRecord: RecordType<RoleChangeProposal> = {
  name: 'role change proposal',
  read: (r) => ({
    id: r.string('id', { min: 1 }),
    mspId: r.string('mspId', { min: 1 }),
    role: r.literal('role', ORG_ROLES),
    proposedBy: r.string('proposedBy'),
    approvals: r.stringArray('approvals', { unique: true }),
    approvalsRequired: r.integer('approvalsRequired', { min: 1 }),
    status: r.literal('status', ['open', 'applied'] as const),
    createdAt: r.string('createdAt'),
    txId: r.string('txId'),
  }),
};
