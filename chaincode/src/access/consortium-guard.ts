import { FedLedgerError, type Consortium, type OrgRole } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { consortiumRecord } from '../state/consortium';
import { KEY, key } from '../state/keys';
import { findRecord } from '../ledger/store';
import { requirePlausibleTimestamp } from '../ledger/tx';
import { callerOf, type Caller } from './caller';

/** A caller that belongs to the consortium, with its org's role. */
export interface Member {
  caller: Caller;
  role: OrgRole;
  consortium: Consortium;
}

/** MSP ids of the orgs with role `member`, sorted. */
export function memberOrgs(consortium: Consortium): string[] {
  return consortium.members
    .filter((m) => m.role === 'member')
    .map((m) => m.mspId)
    .sort();
}

export async function loadConsortium(ctx: Context): Promise<Consortium> {
  const consortium = await findRecord(ctx, consortiumRecord, key(ctx, KEY.consortium));
  if (consortium === undefined) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      'the consortium is not initialized; an org admin must call InitConsortium first',
    );
  }
  return consortium;
}

/** Any consortium org (member or auditor) may read public state; anyone else is FORBIDDEN. */
export async function requireReader(ctx: Context): Promise<Member> {
  const consortium = await loadConsortium(ctx);
  const caller = callerOf(ctx);
  const entry = consortium.members.find((m) => m.mspId === caller.mspId);
  if (entry === undefined) {
    throw new FedLedgerError('FORBIDDEN', `${caller.mspId} is not a consortium member`);
  }
  return { caller, role: entry.role, consortium };
}

/**
 * Only orgs with role `member` write; auditors read but never write. Every write passes here, so this
 * is also where an implausible client timestamp is refused (ADR 0006).
 */
export async function requireWriter(ctx: Context): Promise<Member> {
  const member = await requireReader(ctx);
  if (member.role !== 'member') {
    throw new FedLedgerError(
      'FORBIDDEN',
      `${member.caller.mspId} is an auditor org: it can read the ledger but not change it`,
    );
  }
  requirePlausibleTimestamp(ctx);
  return member;
}

/** Like {@link requireWriter}, and the identity must be an org admin (NodeOU `admin`). */
export async function requireWriterAdmin(ctx: Context, action: string): Promise<Member> {
  const member = await requireWriter(ctx);
  requireAdmin(member.caller, action);
  return member;
}

/** FORBIDDEN unless the caller is an org admin. */
export function requireAdmin(caller: Caller, action: string): void {
  if (!caller.isAdmin) {
    throw new FedLedgerError(
      'FORBIDDEN',
      `${action} needs an org admin identity (certificate OU=admin); ${caller.id} is not one`,
    );
  }
}
