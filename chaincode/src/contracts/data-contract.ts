import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  canonicalJson,
  type DataProfile,
  type TrainingFailure,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireReader, requireWriter, requireWriterAdmin } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { emitEvent } from '../ledger/events';
import {
  loadFederation,
  loadRound,
  requireParticipant,
  requireStatus,
} from '../ledger/federation-state';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { findRecord, listRecords, putRecord } from '../ledger/store';
import { txId, txTime } from '../ledger/tx';
import { dataProfileRecord, trainingFailureRecord } from '../state/data-profile';
import { KEY, key, pad } from '../state/keys';
import { updateMetadataRecord } from '../state/update-metadata';
import {
  MAX_COUNTER,
  parseId,
  parseIntegerArg,
  parseJson,
  parseText,
} from '../validation/arguments';
import { readDataProfile } from '../validation/data-profile';
import { FieldReader } from '../validation/field-reader';

/**
 * The participants' data as the consortium sees it, never the rows: each org's data profile for a
 * schema federation (counts, sums, missing values per column; the consortium's imputation and scaling
 * are computed from them at start), and reports of a round an org could not train.
 */
@Info({
  title: 'fedledger data',
  description: 'Data profiles and training failures of schema federations',
})
export class DataContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.data);
  }

  /**
   * Records (or, before the start, replaces) the caller org's profile of its training data for a
   * pending schema federation it is invited to or created. Schema federations accept an org only
   * after its profile is recorded.
   */
  @Transaction()
  @Returns('string')
  async RecordDataProfile(
    ctx: FedLedgerContext,
    federationId: string,
    profileJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const raw = parseJson(profileJson, 'profileJson');
    const { caller } = await requireWriterAdmin(ctx, 'RecordDataProfile');
    const federation = await loadFederation(ctx, id);
    const schema = federation.record.dataSchema;
    if (schema === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `federation ${id} has no data schema; data profiles are for schema federations`,
      );
    }
    if (
      caller.mspId !== federation.record.creatorMsp &&
      !federation.record.invitedOrgs.includes(caller.mspId)
    ) {
      throw new FedLedgerError('FORBIDDEN', `${caller.mspId} is not invited to federation ${id}`);
    }
    requireStatus(federation, ['pending'], 'RecordDataProfile');
    const reader = new FieldReader(raw, 'profile', 'INVALID_ARGUMENT');
    const input = readDataProfile(reader, schema);
    reader.done();
    const profile: DataProfile = {
      federationId: id,
      mspId: caller.mspId,
      ...input,
      recordedBy: caller.id,
      recordedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, dataProfileRecord, key(ctx, KEY.dataProfile, id, caller.mspId), profile);
    await appendAudit(ctx, caller, {
      action: 'RecordDataProfile',
      target: `federation/${id}/data-profile/${caller.mspId}`,
      federationId: id,
      details: { rows: input.rows },
    });
    emitEvent(ctx, EVENT.DataProfileRecorded, {
      federationId: id,
      mspId: caller.mspId,
      rows: input.rows,
    });
    return canonicalJson(profile);
  }

  /** Every recorded profile of a federation, by MSP id: any consortium org may read the missing rates. */
  @Transaction(false)
  @Returns('string')
  async ListDataProfiles(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(await listRecords(ctx, dataProfileRecord, KEY.dataProfile, [id]));
  }

  /**
   * A participant reports that it cannot train the open round, with why. The round then aggregates as
   * soon as every other participant submitted (with at least minParticipants updates) instead of
   * waiting for its deadline, and the reason shows in the round (`failed`).
   */
  @Transaction()
  @Returns('string')
  async ReportTrainingFailure(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    reason: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const why = parseText(reason, 'reason', 1000);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireStatus(federation, ['running'], 'ReportTrainingFailure');
    const roundRecord = await loadRound(ctx, id, roundNumber);
    if (roundRecord.status !== 'open') {
      throw new FedLedgerError(
        'ROUND_NOT_OPEN',
        `round ${roundNumber} of federation ${id} is ${roundRecord.status}`,
      );
    }
    if (
      await findRecord(
        ctx,
        updateMetadataRecord,
        key(ctx, KEY.update, id, pad(roundNumber), caller.mspId),
      )
    ) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `${caller.mspId} already submitted an update for round ${roundNumber} of federation ${id}`,
      );
    }
    const failureKey = key(ctx, KEY.trainingFailure, id, pad(roundNumber), caller.mspId);
    if (await findRecord(ctx, trainingFailureRecord, failureKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already reported a training failure for round ${roundNumber} of federation ${id}`,
      );
    }
    const failure: TrainingFailure = {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      reason: why,
      reportedBy: caller.id,
      reportedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, trainingFailureRecord, failureKey, failure);
    await appendAudit(ctx, caller, {
      action: 'ReportTrainingFailure',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { reason: why },
    });
    emitEvent(ctx, EVENT.TrainingFailed, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      reason: why,
      participants: federation.participants.length,
    });
    return canonicalJson(failure);
  }
}

/** FAILED_PRECONDITION unless the org recorded its data profile (schema federations accept only then). */
export async function requireDataProfile(
  ctx: FedLedgerContext,
  federationId: string,
  mspId: string,
): Promise<void> {
  if (!(await findRecord(ctx, dataProfileRecord, key(ctx, KEY.dataProfile, federationId, mspId)))) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `${mspId} has recorded no data profile for federation ${federationId}; a schema federation is accepted with a compatible dataset (RecordDataProfile first)`,
    );
  }
}

/** The recorded profiles of these orgs; FAILED_PRECONDITION naming every org that has none. */
export async function participantProfiles(
  ctx: FedLedgerContext,
  federationId: string,
  participants: readonly string[],
): Promise<DataProfile[]> {
  const profiles = await listRecords(ctx, dataProfileRecord, KEY.dataProfile, [federationId]);
  const lacking = participants.filter((msp) => !profiles.some((profile) => profile.mspId === msp));
  if (lacking.length > 0) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `federation ${federationId} cannot start: no data profile from ${lacking.join(', ')}`,
    );
  }
  return profiles.filter((profile) => participants.includes(profile.mspId));
}
