import {
  FedLedgerError,
  majority,
  type Federation,
  type ModelVersion,
  type MspId,
  type Round,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { Caller } from '../access/caller';
import { approvalRecord } from '../state/approval';
import { evaluationRecord } from '../state/evaluation';
import { federationRecord, type FederationRecord } from '../state/federation';
import { KEY, key, pad } from '../state/keys';
import { modelVersionRecord } from '../state/model-version';
import { participantRecord } from '../state/participant';
import { trainingFailureRecord } from '../state/data-profile';
import { roundRecord, type RoundRecord } from '../state/round';
import { updateMetadataRecord } from '../state/update-metadata';
import { getRecord, listRecords } from './store';

/** A federation record with its participants (derived from per-org keys). */
export interface LoadedFederation {
  record: FederationRecord;
  participants: MspId[];
}

export async function loadFederation(
  ctx: Context,
  federationId: string,
): Promise<LoadedFederation> {
  const record = await getRecord(ctx, federationRecord, key(ctx, KEY.federation, federationId));
  return { record, participants: await loadParticipants(ctx, federationId) };
}

/** Orgs that accepted (the creator's org included), sorted by MSP id. */
export async function loadParticipants(ctx: Context, federationId: string): Promise<MspId[]> {
  const records = await listRecords(ctx, participantRecord, KEY.participant, [federationId]);
  return records.map((p) => p.mspId).sort();
}

export function federationView({ record, participants }: LoadedFederation): Federation {
  return { ...record, participants };
}

/** FORBIDDEN unless the caller's org participates in the federation. */
export function requireParticipant(federation: LoadedFederation, caller: Caller): void {
  if (!federation.participants.includes(caller.mspId)) {
    throw new FedLedgerError(
      'FORBIDDEN',
      `${caller.mspId} is not a participant of federation ${federation.record.id}`,
    );
  }
}

/** FAILED_PRECONDITION unless the federation is in one of the given states. */
export function requireStatus(
  federation: LoadedFederation,
  allowed: readonly Federation['status'][],
  action: string,
): void {
  if (!allowed.includes(federation.record.status)) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `${action} needs federation ${federation.record.id} to be ${allowed.join(' or ')}, but it is ${federation.record.status}`,
    );
  }
}

export function roundKey(ctx: Context, federationId: string, round: number): string {
  return key(ctx, KEY.round, federationId, pad(round));
}

export async function loadRound(
  ctx: Context,
  federationId: string,
  round: number,
): Promise<RoundRecord> {
  return getRecord(ctx, roundRecord, roundKey(ctx, federationId, round));
}

export async function roundView(ctx: Context, record: RoundRecord): Promise<Round> {
  const updates = await listRecords(ctx, updateMetadataRecord, KEY.update, [
    record.federationId,
    pad(record.round),
  ]);
  const view: Round = { ...record, submitted: updates.map((u) => u.mspId).sort() };
  const failures = await listRecords(ctx, trainingFailureRecord, KEY.trainingFailure, [
    record.federationId,
    pad(record.round),
  ]);
  if (failures.length > 0) view.failed = failures.map(({ mspId, reason }) => ({ mspId, reason }));
  return view;
}

export function modelVersionKey(ctx: Context, federationId: string, version: number): string {
  return key(ctx, KEY.modelVersion, federationId, pad(version));
}

/** A model version with evaluations, approvals and deployment derived from per-org keys. */
export async function loadModelVersion(
  ctx: Context,
  federation: LoadedFederation,
  version: number,
): Promise<ModelVersion> {
  const federationId = federation.record.id;
  const record = await getRecord(
    ctx,
    modelVersionRecord,
    modelVersionKey(ctx, federationId, version),
  );
  const attributes = [federationId, pad(version)];
  const evaluations = await listRecords(ctx, evaluationRecord, KEY.evaluation, attributes);
  const approvals = (await listRecords(ctx, approvalRecord, KEY.approval, attributes))
    .map((a) => a.mspId)
    .sort();
  const approvalsRequired = majority(federation.participants.length);
  return {
    ...record,
    evaluations,
    approvals,
    approvalsRequired,
    deployed: approvals.length >= approvalsRequired,
  };
}
