import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  canonicalJson,
  majority,
  type Consortium,
  type OrgRole,
  type RoleChangeProposal,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { callerOf } from '../access/caller';
import {
  memberOrgs,
  requireAdmin,
  requireReader,
  requireWriterAdmin,
} from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { emitEvent } from '../ledger/events';
import { findRecord, getRecord, putRecord } from '../ledger/store';
import { requirePlausibleTimestamp, txId, txTime } from '../ledger/tx';
import { ORG_ROLES, consortiumRecord } from '../state/consortium';
import { KEY, key } from '../state/keys';
import { roleChangeRecord } from '../state/role-change';
import { MSP_ID_PATTERN, parseJson, parseKeyAttribute, parseMspId } from '../validation/arguments';
import { FieldReader } from '../validation/field-reader';

const MAX_MEMBERS = 64;

/** Consortium membership and roles; role changes need a majority of member orgs. */
@Info({ title: 'fedledger consortium', description: 'Consortium membership and roles' })
export class ConsortiumContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.consortium);
  }

  /** Creates the consortium once; the caller must be an admin of an org listed with role `member`. */
  @Transaction()
  @Returns('string')
  async InitConsortium(ctx: FedLedgerContext, membersJson: string): Promise<string> {
    const members = parseMembers(membersJson);
    const caller = callerOf(ctx);
    if (await findRecord(ctx, consortiumRecord, key(ctx, KEY.consortium))) {
      throw new FedLedgerError('ALREADY_EXISTS', 'the consortium is already initialized');
    }
    const own = members.find((m) => m.mspId === caller.mspId);
    if (own === undefined || own.role !== 'member') {
      throw new FedLedgerError(
        'FORBIDDEN',
        `${caller.mspId} must itself be listed with role "member" to initialize the consortium`,
      );
    }
    requireAdmin(caller, 'InitConsortium');
    requirePlausibleTimestamp(ctx);
    const consortium: Consortium = {
      members,
      initializedAt: txTime(ctx),
      initializedBy: caller.mspId,
      txId: txId(ctx),
    };
    await putRecord(ctx, consortiumRecord, key(ctx, KEY.consortium), consortium);
    await appendAudit(ctx, caller, {
      action: 'InitConsortium',
      target: 'consortium',
      details: { members },
    });
    emitEvent(ctx, EVENT.ConsortiumInitialized, { members });
    return canonicalJson(consortium);
  }

  @Transaction(false)
  @Returns('string')
  async GetConsortium(ctx: FedLedgerContext): Promise<string> {
    const { consortium } = await requireReader(ctx);
    return canonicalJson(consortium);
  }

  /** Proposes giving `mspId` (new or existing org) `role`; the proposer's org approves at once. */
  @Transaction()
  @Returns('string')
  async ProposeRoleChange(ctx: FedLedgerContext, mspId: string, role: string): Promise<string> {
    const target = parseMspId(mspId, 'mspId');
    const newRole = parseRole(role);
    const { caller, consortium } = await requireWriterAdmin(ctx, 'ProposeRoleChange');
    const current = consortium.members.find((m) => m.mspId === target);
    if (current?.role === newRole) {
      throw new FedLedgerError('FAILED_PRECONDITION', `${target} already has role "${newRole}"`);
    }
    const proposal: RoleChangeProposal = {
      id: txId(ctx),
      mspId: target,
      role: newRole,
      proposedBy: caller.mspId,
      approvals: [caller.mspId],
      approvalsRequired: majority(memberOrgs(consortium).length),
      status: 'open',
      createdAt: txTime(ctx),
      txId: txId(ctx),
    };
    const applied = await applyIfApproved(ctx, consortium, proposal);
    await putRecord(ctx, roleChangeRecord, key(ctx, KEY.roleChange, proposal.id), applied);
    await appendAudit(ctx, caller, {
      action: 'ProposeRoleChange',
      target: `roleChange/${proposal.id}`,
      details: { mspId: target, role: newRole, status: applied.status },
    });
    emitEvent(ctx, EVENT.RoleChangeProposed, {
      proposalId: proposal.id,
      mspId: target,
      role: newRole,
      status: applied.status,
    });
    return canonicalJson(applied);
  }

  /** Adds the caller's org approval; the change is applied when a majority of member orgs approved. */
  @Transaction()
  @Returns('string')
  async ApproveRoleChange(ctx: FedLedgerContext, proposalId: string): Promise<string> {
    const id = parseKeyAttribute(proposalId, 'proposalId', 128);
    const { caller, consortium } = await requireWriterAdmin(ctx, 'ApproveRoleChange');
    const proposal = await getRecord(ctx, roleChangeRecord, key(ctx, KEY.roleChange, id));
    if (proposal.status === 'applied') {
      throw new FedLedgerError('FAILED_PRECONDITION', `role change ${id} was already applied`);
    }
    if (proposal.approvals.includes(caller.mspId)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already approved role change ${id}`,
      );
    }
    const approved = { ...proposal, approvals: [...proposal.approvals, caller.mspId].sort() };
    const applied = await applyIfApproved(ctx, consortium, approved);
    await putRecord(ctx, roleChangeRecord, key(ctx, KEY.roleChange, id), applied);
    await appendAudit(ctx, caller, {
      action: 'ApproveRoleChange',
      target: `roleChange/${id}`,
      details: { mspId: applied.mspId, role: applied.role, status: applied.status },
    });
    emitEvent(ctx, EVENT.RoleChangeApproved, {
      proposalId: id,
      mspId: applied.mspId,
      role: applied.role,
      approvals: applied.approvals,
      status: applied.status,
    });
    return canonicalJson(applied);
  }

  @Transaction(false)
  @Returns('string')
  async GetRoleChange(ctx: FedLedgerContext, proposalId: string): Promise<string> {
    const id = parseKeyAttribute(proposalId, 'proposalId', 128);
    await requireReader(ctx);
    return canonicalJson(await getRecord(ctx, roleChangeRecord, key(ctx, KEY.roleChange, id)));
  }
}

/**
 * Applies the proposal to the consortium when a majority of the member orgs of today approved;
 * returns it with `approvalsRequired` recomputed and its new status.
 */
async function applyIfApproved(
  ctx: FedLedgerContext,
  consortium: Consortium,
  pending: RoleChangeProposal,
): Promise<RoleChangeProposal> {
  // Only approvals of orgs that are members now count (a member may have become an auditor since),
  // and the majority is of today's members: a threshold frozen at proposal time would let an old
  // proposal pass with a minority once the consortium has grown.
  const members = memberOrgs(consortium);
  const proposal = { ...pending, approvalsRequired: majority(members.length) };
  const counted = proposal.approvals.filter((msp) => members.includes(msp)).length;
  if (counted < proposal.approvalsRequired) {
    return proposal;
  }
  const others = consortium.members.filter((m) => m.mspId !== proposal.mspId);
  const updated = [...others, { mspId: proposal.mspId, role: proposal.role }].sort((a, b) =>
    a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0,
  );
  if (!updated.some((m) => m.role === 'member')) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `making ${proposal.mspId} an auditor would leave the consortium without member orgs`,
    );
  }
  await putRecord(ctx, consortiumRecord, key(ctx, KEY.consortium), {
    ...consortium,
    members: updated,
  });
  return { ...proposal, status: 'applied' };
}

function parseRole(role: string): OrgRole {
  if (!(ORG_ROLES as readonly string[]).includes(role)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `role must be "member" or "auditor", got ${JSON.stringify(role)}`,
    );
  }
  return role as OrgRole;
}

function parseMembers(membersJson: string): Consortium['members'] {
  const value = parseJson(membersJson, 'membersJson');
  if (!Array.isArray(value)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      'membersJson must be a JSON array of {"mspId": "...", "role": "member" | "auditor"}',
    );
  }
  const reader = new FieldReader({ members: value }, 'membersJson', 'INVALID_ARGUMENT');
  const members = reader.objectArray(
    'members',
    (m) => ({
      mspId: m.string('mspId', {
        pattern: MSP_ID_PATTERN,
        patternHint: 'an MSP id such as "Org1MSP"',
      }),
      role: m.literal('role', ORG_ROLES),
    }),
    { min: 1, max: MAX_MEMBERS },
  );
  const ids = members.map((m) => m.mspId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) {
    throw new FedLedgerError('INVALID_ARGUMENT', `membersJson lists ${duplicate} more than once`);
  }
  return [...members].sort((a, b) => (a.mspId < b.mspId ? -1 : 1));
}
