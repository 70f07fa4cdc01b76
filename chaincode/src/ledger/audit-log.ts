import type { AuditEntry } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { Caller } from '../access/caller';
import { auditEntryRecord } from '../state/audit-entry';
import { KEY, key } from '../state/keys';
import { putRecord } from './store';
import { txId, txTime } from './tx';

/**
 * Appends an audit entry under its own key, ordered by transaction timestamp then tx id: a
 * federation's timeline when `federationId` is given, the consortium timeline otherwise. Each
 * entry has a fresh key, so audit writes never conflict with each other.
 */
export async function appendAudit(
  ctx: Context,
  caller: Caller,
  entry: {
    action: string;
    target: string;
    federationId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const timestamp = txTime(ctx);
  const record: AuditEntry = {
    txId: txId(ctx),
    timestamp,
    actorMsp: caller.mspId,
    actorId: caller.id,
    action: entry.action,
    target: entry.target,
    federationId: entry.federationId,
    details: entry.details,
  };
  const entryKey =
    entry.federationId === undefined
      ? key(ctx, KEY.auditConsortium, timestamp, record.txId)
      : key(ctx, KEY.auditFederation, entry.federationId, timestamp, record.txId);
  await putRecord(ctx, auditEntryRecord, entryKey, record);
}
