import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  TRANSIENT,
  TRAINING_BACKENDS,
  assertFinite,
  assertSameShapes,
  canonicalJson,
  createStrategy,
  decodeFlat,
  roundReady,
  encodeFlat,
  l2Distance,
  type ClientUpdate,
  type Contribution,
  type Evaluation,
  type TrainingBackend,
  type UpdateMetadata,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { majority, requireReader, requireWriter } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { digested, getBlob, putBlob } from '../ledger/blob-store';
import { emitEvent } from '../ledger/events';
import {
  loadFederation,
  loadRound,
  modelVersionKey,
  requireParticipant,
  requireStatus,
  roundKey,
  roundView,
  type LoadedFederation,
} from '../ledger/federation-state';
import { loadGlobalWeights } from '../ledger/global-weights';
import { countReportedFailures } from '../ledger/training-failures';
import { publishModelVersion } from '../ledger/model-publisher';
import { budgetAllowsRound, recordPrivacySpend, requireBudgetForRound } from '../ledger/privacy-budget';
import { checkMaskedSubmission, isSecure, maskedContributors, unmaskRound } from '../ledger/secure-round';
import { loadServerState, putServerState } from '../ledger/server-state';
import { findRecord, getRecord, listRecords, putRecord } from '../ledger/store';
import { requireTransient, requireWithinLimit } from '../ledger/transient';
import { txId, txTime, txTimeMs } from '../ledger/tx';
import { evaluationRecord } from '../state/evaluation';
import { federationRecord } from '../state/federation';
import { KEY, key, pad } from '../state/keys';
import { modelVersionRecord, type ModelVersionRecord } from '../state/model-version';
import { roundRecord, type RoundRecord } from '../state/round';
import { updateMetadataRecord } from '../state/update-metadata';
import { MAX_COUNTER, parseHex64, parseId, parseIntegerArg, parseJson } from '../validation/arguments';
import { readNumberMap } from '../validation/field-reader';

const MAX_METRICS = 64;
/** The one input the strategy sees under secure aggregation: the unmasked weighted mean of the submitters. */
const SECURE_SUM_ID = 'secure-sum';

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
  async SubmitUpdate(ctx: FedLedgerContext, federationId: string, round: string, numSamples: string, digest: string, metricsJson: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const expectedDigest = parseHex64(digest, 'digest');
    const metrics = readNumberMap(parseJson(metricsJson, 'metricsJson'), 'metricsJson', 'INVALID_ARGUMENT', MAX_METRICS);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    await requireOpenRound(ctx, federation, roundNumber);
    const updateKey = key(ctx, KEY.update, id, pad(roundNumber), caller.mspId);
    if (await findRecord(ctx, updateMetadataRecord, updateKey)) {
      throw new FedLedgerError('ALREADY_EXISTS', `${caller.mspId} already submitted an update for round ${roundNumber} of federation ${id}`);
    }
    const weights = requireTransient(ctx, TRANSIENT.weights);
    requireWithinLimit(weights, federation.record.maxUpdateBytes as number, 'the update');
    const payload = digested(weights);
    const actualDigest = payload.digest;
    if (actualDigest !== expectedDigest) {
      throw new FedLedgerError('DIGEST_MISMATCH', `digest argument is ${expectedDigest} but SHA-256 of the transient weights is ${actualDigest}`);
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
    emitEvent(ctx, EVENT.UpdateSubmitted, { federationId: id, round: roundNumber, mspId: caller.mspId, submitted: -1, participants: federation.participants.length });
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
    const updates = await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(roundNumber)]);
    updates.sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0));
    const secure = isSecure(federation.record);
    // Participants that reported they cannot train this round count as done, so the round closes now
    // rather than at its deadline (still needing minParticipants updates).
    const tally = {
      participants: federation.participants.length,
      submitted: updates.length,
      failed: await countReportedFailures(ctx, id, roundNumber, updates.map((u) => u.mspId)),
      minParticipants: federation.record.minParticipants,
      pastDeadline: txTimeMs(ctx) >= Date.parse(roundRecordValue.deadline),
    };
    // Under secure aggregation the fixed submitter set decides (see unmaskRound), not this count.
    if (!secure && !roundReady(tally)) {
      throw new FedLedgerError(
        'QUORUM_NOT_MET',
        `round ${roundNumber} of ${id} has ${updates.length} of ${federation.participants.length} updates; aggregation needs all of them, or at least ${federation.record.minParticipants} after the deadline ${roundRecordValue.deadline}`,
      );
    }
    const previousVersion = roundNumber - 1;
    const { record: parent, bytes: previousBytes } = await loadGlobalWeights(ctx, id, previousVersion);
    const previous = decodeFlat(previousBytes);
    const masked = secure ? await unmaskRound(ctx, federation, roundNumber, updates, previous.flat) : undefined;
    const clientUpdates: ClientUpdate[] = masked ? [{ id: SECURE_SUM_ID, numSamples: masked.totalWeight, weights: masked.average }] : [];
    for (const update of masked ? [] : updates) {
      const stored = await getBlob(ctx, KEY.updateWeights, [id, pad(roundNumber), update.mspId]);
      if (stored.manifest.digest !== update.digest) {
        throw new FedLedgerError('INTERNAL', `private weights of ${update.mspId} in round ${roundNumber} do not match the public digest`);
      }
      clientUpdates.push({ id: update.mspId, numSamples: update.numSamples, weights: decodeFlat(stored.bytes).flat });
    }
    const serverState = await loadServerState(ctx, id, previousVersion, parent.serverStateHash);
    const result = createStrategy(federation.record.strategy).aggregate({ updates: clientUpdates, previous: previous.flat, serverState });
    const model = digested(encodeFlat(federation.record.weightShapes, result.weights));
    const modelHash = model.digest;
    const now = txTime(ctx);
    const contributors: Contribution[] = masked ? maskedContributors(federation.record, masked) : result.diagnostics.map((diagnostic) => {
      const update = updates.find((u) => u.mspId === diagnostic.id) as UpdateMetadata;
      return {
        mspId: diagnostic.id,
        numSamples: update.numSamples,
        digest: update.digest,
        accepted: diagnostic.accepted,
        weight: diagnostic.weight,
        score: diagnostic.score,
        reason: diagnostic.reason,
      };
    });
    const version: ModelVersionRecord = {
      federationId: id,
      version: roundNumber,
      round: roundNumber,
      modelHash,
      parentHash: parent.modelHash,
      strategy: federation.record.strategy,
      contributors,
      paramCount: federation.record.paramCount,
      weightShapes: federation.record.weightShapes,
      createdAt: now,
      txId: txId(ctx),
    };
    const privacySpend = await recordPrivacySpend(ctx, federation.record, roundNumber);
    // A round the DP budget cannot pay for is never opened: the federation completes here instead.
    const budgetExhausted = roundNumber < federation.record.rounds && !budgetAllowsRound(federation.record, roundNumber + 1);
    const completed = roundNumber >= federation.record.rounds || budgetExhausted;
    const nextRound = completed ? null : roundNumber + 1;
    if (result.serverState !== undefined) {
      version.serverStateHash = await putServerState(ctx, id, roundNumber, result.serverState);
    }
    await publishModelVersion(ctx, version, model);
    await putRecord(ctx, roundRecord, roundKey(ctx, id, roundNumber), { ...roundRecordValue, status: 'aggregated', aggregatedAt: now, modelVersion: roundNumber });
    let deadline: string | undefined;
    if (nextRound !== null) {
      deadline = new Date(txTimeMs(ctx) + federation.record.roundDeadlineSeconds * 1000).toISOString();
      await putRecord(ctx, roundRecord, roundKey(ctx, id, nextRound), { federationId: id, round: nextRound, status: 'open', openedAt: now, deadline });
    }
    await putRecord(ctx, federationRecord, key(ctx, KEY.federation, id), {
      ...federation.record,
      currentRound: nextRound ?? roundNumber,
      status: completed ? 'completed' : 'running',
      endedAt: completed ? now : undefined,
    });
    await appendAudit(ctx, caller, {
      action: 'Aggregate',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: {
        version: roundNumber,
        modelHash,
        contributors: contributors.map((c) => c.mspId),
        nextRound,
        deadline,
        ...(privacySpend ? { epsilonSpent: privacySpend.epsilonSpent, privacyBudgetExhausted: budgetExhausted } : {}),
      },
    });
    emitEvent(ctx, EVENT.RoundAggregated, { federationId: id, round: roundNumber, version: roundNumber, modelHash, nextRound, completed, deadline, participants: federation.participants });
    return canonicalJson({ ...version, evaluations: [], approvals: [], approvalsRequired: majority(federation.participants.length), deployed: false });
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
    return canonicalJson(await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(roundNumber)]));
  }

  /**
   * The caller org's metrics for a model version on its own validation data (one per org and
   * version), and the TensorFlow.js backend it evaluated on (`''` when not stated).
   */
  @Transaction()
  @Returns('string')
  async RecordEvaluation(ctx: FedLedgerContext, federationId: string, version: string, numSamples: string, metricsJson: string, backend: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const metrics = readNumberMap(parseJson(metricsJson, 'metricsJson'), 'metricsJson', 'INVALID_ARGUMENT', MAX_METRICS);
    if (backend !== '' && !(TRAINING_BACKENDS as readonly string[]).includes(backend)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `backend must be one of ${TRAINING_BACKENDS.join(', ')} or empty, got "${backend.slice(0, 40)}"`);
    }
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireStatus(federation, ['pending', 'running', 'completed'], 'RecordEvaluation');
    await getRecord(ctx, modelVersionRecord, modelVersionKey(ctx, id, versionNumber));
    const evaluationKey = key(ctx, KEY.evaluation, id, pad(versionNumber), caller.mspId);
    if (await findRecord(ctx, evaluationRecord, evaluationKey)) {
      throw new FedLedgerError('ALREADY_EXISTS', `${caller.mspId} already recorded an evaluation of version ${versionNumber} of ${id}`);
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
    await appendAudit(ctx, caller, { action: 'RecordEvaluation', target: `federation/${id}/version/${versionNumber}`, federationId: id, details: { metrics, numSamples: samples } });
    emitEvent(ctx, EVENT.EvaluationRecorded, { federationId: id, version: versionNumber, mspId: caller.mspId, metrics });
    return canonicalJson(evaluation);
  }
}

/**
 * The round's record when `round` is the federation's open round: ROUND_CLOSED for a past (or
 * aggregated) round, ROUND_NOT_OPEN for a future one or before the federation started.
 */
export async function requireOpenRound(ctx: FedLedgerContext, federation: LoadedFederation, round: number): Promise<RoundRecord> {
  const { record } = federation;
  if (record.status === 'cancelled') {
    throw new FedLedgerError('FAILED_PRECONDITION', `federation ${record.id} was cancelled`);
  }
  if (round > record.currentRound) requireBudgetForRound(record, round);
  if (round < record.currentRound || (round === record.currentRound && record.status === 'completed')) {
    throw new FedLedgerError('ROUND_CLOSED', `round ${round} of ${record.id} is closed${record.status === 'completed' ? ' (the federation completed)' : `; the open round is ${record.currentRound}`}`);
  }
  if (round > record.currentRound || record.status !== 'running') {
    throw new FedLedgerError('ROUND_NOT_OPEN', `round ${round} of ${record.id} is not open yet; ${record.status === 'pending' ? 'the federation has not started' : `the open round is ${record.currentRound}`}`);
  }
  const roundValue = await loadRound(ctx, record.id, round);
  if (roundValue.status !== 'open') {
    throw new FedLedgerError('ROUND_CLOSED', `round ${round} of ${record.id} was already aggregated`);
  }
  return roundValue;
}
