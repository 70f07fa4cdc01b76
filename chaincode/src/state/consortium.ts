import type { Consortium, OrgRole } from '@fedledger/core';
import type { RecordType } from './record';

export const ORG_ROLES: readonly OrgRole[] = ['member', 'auditor'];

/** The consortium: which orgs belong and with which role. One record per channel. */
export const consortiumRecord: RecordType<Consortium> = {
  name: 'consortium',
  read: (r) => ({
    members: r.objectArray(
      'members',
      (m) => ({ mspId: m.string('mspId', { min: 1 }), role: m.literal('role', ORG_ROLES) }),
      { min: 1 },
    ),
    initializedAt: r.string('initializedAt'),
    initializedBy: r.string('initializedBy'),
    txId: r.string('txId'),
  }),
};
