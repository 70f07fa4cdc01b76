import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  TRANSIENT,
  TRAINING_BACKENDS,
  assertFinite,
  assertSameShapes,
  canonicalJson,
  decodeFlat,
  l2Distance,
  majority,
  type Contribution,
  type Evaluation,
  type TrainingBackend,
  type UpdateMetadata,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { requireReader, requireWriter } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { digested, putBlob } from '../ledger/blob-store';
import { emitEvent } from '../ledger/events';
import {
  loadFederation,
  loadRound,
  modelVersionKey,
  requireParticipant,
  requireStatus,
  roundView,
  type LoadedFederation,
} from '../ledger/federation-state';
import { loadGlobalWeights } from '../ledger/global-weights';
import { collectRoundInputs, computeAggregate, publishAggregate } from '../ledger/private-round';
import { advanceRound } from '../ledger/round-advance';
import { requireBudgetForRound } from '../ledger/privacy-budget';
import { checkMaskedSubmission, isSecure } from '../ledger/secure-round';
import { findRecord, getRecord, listRecords, putRecord } from '../ledger/store';
import { requireTransient, requireWithinLimit } from '../ledger/transient';
import { txId, txTime } from '../ledger/tx';
import { evaluationRecord } from '../state/evaluation';
import { KEY, key, pad } from '../state/keys';
import {
  modelVersionRecord,
  readContribution,
  type ModelVersionRecord,
} from '../state/model-version';
import type { RoundRecord } from '../state/round';
import { updateMetadataRecord } from '../state/update-metadata';
import {
  MAX_COUNTER,
  parseHex64,
  parseId,
  parseIntegerArg,
  parseJson,
} from '../validation/arguments';
import { FieldReader, readNumberMap } from '../validation/field-reader';
import type { Caller } from '../access/caller';
import {
  attest,
  blobUpdateMetadata,
  isBlobPath,
  listAttestations,
  publishAttestedModel,
  requireNoAttestation,
  requireWeightsPath,
} from '../ledger/blob-round';

const MAX_METRICS = 64;
/** The one input the strategy sees under secure aggregation: the unmasked weighted mean of the submitters. */

/** Rounds: update submission, aggregation (endorsed by a majority of orgs), evaluations. */
@Info({ title: 'fedledger round', description: 'Training rounds, updates and aggregation' })
export class RoundContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.round);
  }

  /**
   * Stores the caller org's update for the open round: weights (transient `weights`) privately,
   * metadata publicly. Writes only keys owned by this org and this transaction, never the round or
   * federation record, so submissions by different orgs never MVCC-conflict.
   */
  @Transaction()
  @Returns('string')
  async SubmitUpdate(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    numSamples: string,
    digest: string,
    metricsJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const expectedDigest = parseHex64(digest, 'digest');
    const metrics = readNumberMap(
      parseJson(metricsJson, 'metricsJson'),
      'metricsJson',
      'INVALID_ARGUMENT',
      MAX_METRICS,
    );
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireWeightsPath(federation, false, 'SubmitUpdate');
    await requireOpenRound(ctx, federation, roundNumber);
    const updateKey = await requireFirstUpdate(ctx, id, roundNumber, caller.mspId);
    const weights = requireTransient(ctx, TRANSIENT.weights);
    requireWithinLimit(weights, federation.record.maxUpdateBytes as number, 'the update');
    const payload = digested(weights);
    const actualDigest = payload.digest;
    if (actualDigest !== expectedDigest) {
      throw new FedLedgerError(
        'DIGEST_MISMATCH',
        `digest argument is ${expectedDigest} but SHA-256 of the transient weights is ${actualDigest}`,
      );
    }
    const secure = isSecure(federation.record);
    let norm = 0;
    if (secure) {
      // Masked values are uniform on 2^32: only framing, length and weight can be checked here.
      await checkMaskedSubmission(ctx, federation, roundNumber, samples, weights);
    } else {
      const update = decodeFlat(weights);
      assertSameShapes(federation.record.weightShapes, update.shapes, 'the update');
      assertFinite(update.flat, 'the update');
      const start = decodeFlat((await loadGlobalWeights(ctx, id, roundNumber - 1)).bytes);
      norm = l2Distance(update.flat, start.flat);
    }
    const metadata: UpdateMetadata = {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      numSamples: samples,
      digest: actualDigest,
      norm,
      byteLength: weights.length,
      metrics,
      ...(secure ? { masked: true } : {}),
      submittedBy: caller.id,
      submittedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putBlob(ctx, KEY.updateWeights, [id, pad(roundNumber), caller.mspId], payload);
    await putRecord(ctx, updateMetadataRecord, updateKey, metadata);
    await appendAudit(ctx, caller, {
      action: 'SubmitUpdate',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { digest: actualDigest, numSamples: samples, norm: metadata.norm },
    });
    // Counting the round's other submissions would put their keys in this transaction's read set
    // and make concurrent submissions conflict, so `submitted` is not known here: it is -1 and
    // consumers read GetRound (its `submitted` list) to decide whether to aggregate.
    emitEvent(ctx, EVENT.UpdateSubmitted, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      submitted: -1,
      participants: federation.participants.length,
    });
    return canonicalJson(metadata);
  }

  /**
   * Aggregates the round with the federation's strategy once every participant submitted, or after
   * the deadline with at least `minParticipants` updates; publishes the new model version and opens
   * the next round or completes the federation.
   */
  @Transaction()
  @Returns('string')
  async Aggregate(ctx: FedLedgerContext, federationId: string, round: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    const roundRecordValue = await requireOpenRound(ctx, federation, roundNumber);
    if (isBlobPath(federation))
      return this.#acceptAttestedModel(ctx, caller, federation, roundNumber, roundRecordValue);
    const inputs = await collectRoundInputs(ctx, federation, roundNumber, roundRecordValue);
    const computed = computeAggregate(ctx, federation, roundNumber, inputs);
    const { completed, privacySpend, budgetExhausted } = await publishAggregate(
      ctx,
      federation,
      roundNumber,
      computed,
    );
    const spend = privacySpend
      ? { epsilonSpent: privacySpend.epsilonSpent, privacyBudgetExhausted: budgetExhausted }
      : {};
    return this.#advanceAndAnnounce(
      ctx,
      caller,
      federation,
      roundNumber,
      roundRecordValue,
      computed.version,
      completed,
      spend,
    );
  }

  /**
   * Blob path (ADR 0022): records the caller org's update by digest and byte size; the bytes stay
   * with the org's gateway, which serves them to the other members over mutual TLS. Like
   * SubmitUpdate it writes only this org's keys; it reads the round's attestation keys, so it fails
   * with ROUND_CLOSED once aggregation began.
   */
  @Transaction()
  @Returns('string')
  async SubmitBlobUpdate(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    numSamples: string,
    digest: string,
    byteLength: string,
    metricsJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const updateDigest = parseHex64(digest, 'digest');
    const bytes = parseIntegerArg(byteLength, 'byteLength', 1, Number.MAX_SAFE_INTEGER);
    const metrics = readNumberMap(
      parseJson(metricsJson, 'metricsJson'),
      'metricsJson',
      'INVALID_ARGUMENT',
      MAX_METRICS,
    );
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireWeightsPath(federation, true, 'SubmitBlobUpdate');
    await requireOpenRound(ctx, federation, roundNumber);
    const updateKey = await requireFirstUpdate(ctx, id, roundNumber, caller.mspId);
    await requireNoAttestation(ctx, id, roundNumber);
    const metadata = blobUpdateMetadata(
      federation,
      caller,
      ctx,
      roundNumber,
      samples,
      updateDigest,
      bytes,
      metrics,
    );
    await putRecord(ctx, updateMetadataRecord, updateKey, metadata);
    await appendAudit(ctx, caller, {
      action: 'SubmitBlobUpdate',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { digest: updateDigest, numSamples: samples, byteLength: bytes },
    });
    emitEvent(ctx, EVENT.UpdateSubmitted, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      submitted: -1,
      participants: federation.participants.length,
      blob: { digest: updateDigest, byteLength: bytes },
    });
    return canonicalJson(metadata);
  }

  /**
   * Blob path (ADR 0022): the caller org states the model it computed for the round by re-running
   * the federation's strategy over the round's update blobs, each checked against its digest. One
   * attestation per org and round, under the org's own key (no contention); `Aggregate` then
   * accepts the model once a majority of participants attested the same hash and contributions.
   */
  @Transaction()
  @Returns('string')
  async AttestAggregate(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    modelHash: string,
    byteLength: string,
    contributorsJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const hash = parseHex64(modelHash, 'modelHash');
    const bytes = parseIntegerArg(byteLength, 'byteLength', 1, Number.MAX_SAFE_INTEGER);
    const contributors = readContributors(parseJson(contributorsJson, 'contributorsJson'));
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireWeightsPath(federation, true, 'AttestAggregate');
    const roundValue = await requireOpenRound(ctx, federation, roundNumber);
    const attestation = await attest(
      ctx,
      caller,
      federation,
      roundNumber,
      roundValue,
      hash,
      bytes,
      contributors,
    );
    await appendAudit(ctx, caller, {
      action: 'AttestAggregate',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { modelHash: hash, byteLength: bytes },
    });
    emitEvent(ctx, EVENT.AggregateAttested, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      modelHash: hash,
    });
    return canonicalJson(attestation);
  }

  /** The round's blob-path attestations, sorted by MSP id (public: the auditor can check agreement). */
  @Transaction(false)
  @Returns('string')
  async ListAttestations(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadRound(ctx, id, roundNumber);
    return canonicalJson(await listAttestations(ctx, id, roundNumber));
  }

  /** Aggregate on the blob path: publish the majority-attested model and move the federation on. */
  async #acceptAttestedModel(
    ctx: FedLedgerContext,
    caller: Caller,
    federation: LoadedFederation,
    roundNumber: number,
    roundValue: RoundRecord,
  ): Promise<string> {
    const version = await publishAttestedModel(ctx, federation, roundNumber);
    return this.#advanceAndAnnounce(
      ctx,
      caller,
      federation,
      roundNumber,
      roundValue,
      version,
      roundNumber >= federation.record.rounds,
      { attestedBy: version.servedBy },
    );
  }

  /** Both paths' last step: open the next round (or complete), audit, emit RoundAggregated, answer the version. */
  async #advanceAndAnnounce(
    ctx: FedLedgerContext,
    caller: Caller,
    federation: LoadedFederation,
    roundNumber: number,
    roundValue: RoundRecord,
    version: ModelVersionRecord,
    completed: boolean,
    auditDetails: Record<string, unknown>,
  ): Promise<string> {
    const id = federation.record.id;
    const { nextRound, deadline } = await advanceRound(
      ctx,
      federation,
      roundNumber,
      roundValue,
      completed,
    );
    await appendAudit(ctx, caller, {
      action: 'Aggregate',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: {
        version: roundNumber,
        modelHash: version.modelHash,
        contributors: version.contributors.map((c) => c.mspId),
        ...auditDetails,
        nextRound,
        deadline,
      },
    });
    emitEvent(ctx, EVENT.RoundAggregated, {
      federationId: id,
      round: roundNumber,
      version: roundNumber,
      modelHash: version.modelHash,
      nextRound,
      completed,
      deadline,
      participants: federation.participants,
    });
    return canonicalJson({
      ...version,
      evaluations: [],
      approvals: [],
      approvalsRequired: majority(federation.participants.length),
      deployed: false,
    });
  }

  @Transaction(false)
  @Returns('string')
  async GetRound(ctx: FedLedgerContext, federationId: string, round: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(await roundView(ctx, await loadRound(ctx, id, roundNumber)));
  }

  /** Public metadata of a round's updates, sorted by MSP id (weights stay private). */
  @Transaction(false)
  @Returns('string')
  async ListUpdates(ctx: FedLedgerContext, federationId: string, round: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadRound(ctx, id, roundNumber);
    return canonicalJson(
      await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(roundNumber)]),
    );
  }

  /**
   * The caller org's metrics for a model version on its own validation data (one per org and
   * version), and the TensorFlow.js backend it evaluated on (`''` when not stated).
   */
  @Transaction()
  @Returns('string')
  async RecordEvaluation(
    ctx: FedLedgerContext,
    federationId: string,
    version: string,
    numSamples: string,
    metricsJson: string,
    backend: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const metrics = readNumberMap(
      parseJson(metricsJson, 'metricsJson'),
      'metricsJson',
      'INVALID_ARGUMENT',
      MAX_METRICS,
    );
    if (backend !== '' && !(TRAINING_BACKENDS as readonly string[]).includes(backend)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `backend must be one of ${TRAINING_BACKENDS.join(', ')} or empty, got "${backend.slice(0, 40)}"`,
      );
    }
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireStatus(federation, ['pending', 'running', 'completed'], 'RecordEvaluation');
    await getRecord(ctx, modelVersionRecord, modelVersionKey(ctx, id, versionNumber));
    const evaluationKey = key(ctx, KEY.evaluation, id, pad(versionNumber), caller.mspId);
    if (await findRecord(ctx, evaluationRecord, evaluationKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already recorded an evaluation of version ${versionNumber} of ${id}`,
      );
    }
    const evaluation: Evaluation = {
      federationId: id,
      version: versionNumber,
      mspId: caller.mspId,
      numSamples: samples,
      metrics,
      ...(backend !== '' ? { backend: backend as TrainingBackend } : {}),
      recordedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, evaluationRecord, evaluationKey, evaluation);
    await appendAudit(ctx, caller, {
      action: 'RecordEvaluation',
      target: `federation/${id}/version/${versionNumber}`,
      federationId: id,
      details: { metrics, numSamples: samples },
    });
    emitEvent(ctx, EVENT.EvaluationRecorded, {
      federationId: id,
      version: versionNumber,
      mspId: caller.mspId,
      metrics,
    });
    return canonicalJson(evaluation);
  }
}

/**
 * The round's record when `round` is the federation's open round: ROUND_CLOSED for a past (or
 * aggregated) round, ROUND_NOT_OPEN for a future one or before the federation started.
 */
export async function requireOpenRound(
  ctx: FedLedgerContext,
  federation: LoadedFederation,
  round: number,
): Promise<RoundRecord> {
  const { record } = federation;
  if (record.status === 'cancelled') {
    throw new FedLedgerError('FAILED_PRECONDITION', `federation ${record.id} was cancelled`);
  }
  if (round > record.currentRound) requireBudgetForRound(record, round);
  if (
    round < record.currentRound ||
    (round === record.currentRound && record.status === 'completed')
  ) {
    throw new FedLedgerError(
      'ROUND_CLOSED',
      `round ${round} of ${record.id} is closed${record.status === 'completed' ? ' (the federation completed)' : `; the open round is ${record.currentRound}`}`,
    );
  }
  if (round > record.currentRound || record.status !== 'running') {
    throw new FedLedgerError(
      'ROUND_NOT_OPEN',
      `round ${round} of ${record.id} is not open yet; ${record.status === 'pending' ? 'the federation has not started' : `the open round is ${record.currentRound}`}`,
    );
  }
  const roundValue = await loadRound(ctx, record.id, round);
  if (roundValue.status !== 'open') {
    throw new FedLedgerError(
      'ROUND_CLOSED',
      `round ${round} of ${record.id} was already aggregated`,
    );
  }
  return roundValue;
}

/** The update key of `mspId` in the round; ALREADY_EXISTS when that org already submitted. */
async function requireFirstUpdate(
  ctx: FedLedgerContext,
  federationId: string,
  round: number,
  mspId: string,
): Promise<string> {
  const updateKey = key(ctx, KEY.update, federationId, pad(round), mspId);
  if (await findRecord(ctx, updateMetadataRecord, updateKey)) {
    throw new FedLedgerError(
      'ALREADY_EXISTS',
      `${mspId} already submitted an update for round ${round} of federation ${federationId}`,
    );
  }
  return updateKey;
}

/** An attestation's contributors: 1 to 4096 contributions (the strategy's diagnostics). */
function readContributors(value: unknown): Contribution[] {
  const reader = new FieldReader({ contributors: value }, 'contributorsJson', 'INVALID_ARGUMENT');
  const contributors = reader.objectArray('contributors', readContribution, { min: 1, max: 4096 });
  reader.done();
  return contributors;
}
