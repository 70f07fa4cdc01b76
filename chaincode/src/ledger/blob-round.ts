import {
  FedLedgerError,
  canonicalJson,
  encodedWeightsBytes,
  majority,
  type AggregateAttestation,
  type Contribution,
  type UpdateMetadata,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { Caller } from '../access/caller';
import { attestationRecord } from '../state/attestation';
import { KEY, key, pad } from '../state/keys';
import { modelVersionRecord, type ModelVersionRecord } from '../state/model-version';
import type { RoundRecord } from '../state/round';
import { updateMetadataRecord } from '../state/update-metadata';
import { modelVersionKey, type LoadedFederation } from './federation-state';
import { publishModelVersion } from './model-publisher';
import { requireRoundQuorum } from './round-quorum';
import { findRecord, getRecord, listRecords, putRecord } from './store';
import { txId, txTime } from './tx';

/**
 * The blob path of a round (ADR 0022): the ledger holds digests, sizes and who serves each blob;
 * aggregation is re-run off-chain by every participant's gateway, each attests the result under
 * its own key, and `Aggregate` accepts the model a majority attested.
 */

/** True for federations whose weights travel as gateway-served blobs. */
export function isBlobPath(federation: LoadedFederation): boolean {
  return federation.record.weightsPath === 'blob';
}

/** FAILED_PRECONDITION naming the transaction that fits the federation's weights path. */
export function requireWeightsPath(
  federation: LoadedFederation,
  blob: boolean,
  action: string,
): void {
  if (isBlobPath(federation) !== blob) {
    const hint = blob
      ? 'its weights travel in the transient map (SubmitUpdate, GetGlobalWeights)'
      : 'its weights are blobs served by the org gateways (the servedBy of each update and model version); the ledger holds only their digests (SubmitBlobUpdate, AttestAggregate)';
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `${action} does not apply: federation ${federation.record.id} uses the ${federation.record.weightsPath ?? 'private-data'} weights path; ${hint}`,
    );
  }
}

/** The round's attestations, sorted by MSP id (a range read of per-org keys). */
export function listAttestations(
  ctx: Context,
  federationId: string,
  round: number,
): Promise<AggregateAttestation[]> {
  return listRecords(ctx, attestationRecord, KEY.attestation, [federationId, pad(round)]);
}

/**
 * ROUND_CLOSED once aggregation of the round began (someone attested): the attestations are over a
 * fixed set of updates, so no update may join it afterwards.
 */
export async function requireNoAttestation(
  ctx: Context,
  federationId: string,
  round: number,
): Promise<void> {
  const attestations = await listAttestations(ctx, federationId, round);
  if (attestations.length > 0) {
    throw new FedLedgerError(
      'ROUND_CLOSED',
      `round ${round} of ${federationId} is being aggregated (${attestations.map((a) => a.mspId).join(', ')} attested a model); no update can join it`,
    );
  }
}

/** Metadata of a blob-path update: the byte size must be the FLW1 size of the federation's shapes. */
export function blobUpdateMetadata(
  federation: LoadedFederation,
  caller: Caller,
  ctx: Context,
  round: number,
  numSamples: number,
  digest: string,
  byteLength: number,
  metrics: Record<string, number>,
): UpdateMetadata {
  requireModelSize(federation, byteLength, 'byteLength');
  return {
    federationId: federation.record.id,
    round,
    mspId: caller.mspId,
    numSamples,
    digest,
    norm: 0,
    byteLength,
    metrics,
    servedBy: caller.mspId,
    submittedBy: caller.id,
    submittedAt: txTime(ctx),
    txId: txId(ctx),
  };
}

function requireModelSize(federation: LoadedFederation, byteLength: number, what: string): void {
  const expected = encodedWeightsBytes(federation.record.weightShapes);
  if (byteLength !== expected) {
    throw new FedLedgerError(
      'SHAPE_MISMATCH',
      `${what} is ${byteLength} but the FLW1 encoding of this federation's model (shapes ${JSON.stringify(federation.record.weightShapes).slice(0, 200)}) is ${expected} bytes`,
    );
  }
}

/**
 * Records the caller org's aggregation result for an open, aggregatable round. The contributors
 * must name exactly the round's updates with their digests and sample counts, so an attestation
 * always says which inputs it is over. Writes only the caller's own attestation key.
 */
export async function attest(
  ctx: Context,
  caller: Caller,
  federation: LoadedFederation,
  round: number,
  roundValue: RoundRecord,
  modelHash: string,
  byteLength: number,
  contributors: Contribution[],
): Promise<AggregateAttestation> {
  const id = federation.record.id;
  const attestationKey = key(ctx, KEY.attestation, id, pad(round), caller.mspId);
  if (await findRecord(ctx, attestationRecord, attestationKey)) {
    throw new FedLedgerError(
      'ALREADY_EXISTS',
      `${caller.mspId} already attested a model for round ${round} of ${id}`,
    );
  }
  requireModelSize(federation, byteLength, 'byteLength');
  const updates = await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(round)]);
  await requireRoundQuorum(ctx, federation, round, roundValue, updates);
  const sorted = [...contributors].sort((a, b) =>
    a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0,
  );
  const inputs = updates.map((u) => `${u.mspId}:${u.digest}:${u.numSamples}`).join(',');
  const claimed = sorted.map((c) => `${c.mspId}:${c.digest}:${c.numSamples}`).join(',');
  if (inputs !== claimed) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `contributors must name exactly the round's updates (mspId:digest:numSamples) ${inputs}, got ${claimed.slice(0, 1000)}`,
    );
  }
  const attestation: AggregateAttestation = {
    federationId: id,
    round,
    mspId: caller.mspId,
    modelHash,
    byteLength,
    contributors: sorted,
    attestedBy: caller.id,
    attestedAt: txTime(ctx),
    txId: txId(ctx),
  };
  await putRecord(ctx, attestationRecord, attestationKey, attestation);
  return attestation;
}

/**
 * The model version a majority of participants attested for the round (same hash and same
 * contributions), published with the attesting orgs as its servers; QUORUM_NOT_MET until then.
 */
export async function publishAttestedModel(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
): Promise<ModelVersionRecord> {
  const id = federation.record.id;
  const attestations = await listAttestations(ctx, id, round);
  const needed = majority(federation.participants.length);
  const groups = new Map<string, AggregateAttestation[]>();
  for (const attestation of attestations.filter((a) => federation.participants.includes(a.mspId))) {
    const claim = canonicalJson({
      modelHash: attestation.modelHash,
      contributors: attestation.contributors,
    });
    groups.set(claim, [...(groups.get(claim) ?? []), attestation]);
  }
  const agreed = [...groups.values()].find((group) => group.length >= needed);
  if (agreed === undefined) {
    const counts =
      [...groups.values()]
        .map((g) => `${g.length} for ${g[0].modelHash.slice(0, 12)}…`)
        .join(', ') || 'none';
    throw new FedLedgerError(
      'QUORUM_NOT_MET',
      `round ${round} of ${id} needs ${needed} of ${federation.participants.length} participants attesting the same model; attestations so far: ${counts}`,
    );
  }
  const first = agreed[0];
  const parent = await getRecord(ctx, modelVersionRecord, modelVersionKey(ctx, id, round - 1));
  const version: ModelVersionRecord = {
    federationId: id,
    version: round,
    round,
    modelHash: first.modelHash,
    parentHash: parent.modelHash,
    strategy: federation.record.strategy,
    contributors: first.contributors,
    paramCount: federation.record.paramCount,
    weightShapes: federation.record.weightShapes,
    servedBy: agreed.map((a) => a.mspId).sort(),
    createdAt: txTime(ctx),
    txId: txId(ctx),
  };
  await publishModelVersion(ctx, version);
  return version;
}
