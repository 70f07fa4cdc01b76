import type { AuditEntry } from '@fedledger/core';
import type { RecordType } from './record';

/** One state-changing transaction, appended under its own timeline key. */
export const auditEntryRecord: RecordType<AuditEntry> = {
  name: 'audit entry',
  read: (r) => {
    const details = r.optionalRaw('details');
    if (
      details !== undefined &&
      (typeof details !== 'object' || details === null || Array.isArray(details))
    ) {
      r.fail('details', 'must be an object');
    }
    return {
      txId: r.string('txId'),
      timestamp: r.string('timestamp'),
      actorMsp: r.string('actorMsp'),
      actorId: r.string('actorId'),
      action: r.string('action', { min: 1 }),
      target: r.string('target', { min: 1 }),
      federationId: r.optionalString('federationId'),
      details: details as Record<string, unknown> | undefined,
    };
  },
};
