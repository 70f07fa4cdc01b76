import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  canonicalJson,
  parseSelectionMetric,
  selectModel,
  type ModelVerification,
  type PredictionReceipt,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import { requireReader, requireWriter, requireWriterAdmin } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { emitEvent } from '../ledger/events';
import { requireWeightsPath } from '../ledger/blob-round';
import { loadGlobalWeights } from '../ledger/global-weights';
import {
  loadFederation,
  loadModelVersion,
  requireParticipant,
  requireStatus,
} from '../ledger/federation-state';
import { findRecord, getRecord, listRecords, putRecord } from '../ledger/store';
import { txId, txTime } from '../ledger/tx';
import { approvalRecord } from '../state/approval';
import { KEY, key, pad } from '../state/keys';
import { modelHashRecord } from '../state/model-hash';
import { modelVersionRecord } from '../state/model-version';
import { predictionRecord } from '../state/prediction';
import { MAX_COUNTER, parseHex64, parseId, parseIntegerArg } from '../validation/arguments';

/** Model versions: lineage, weights for participants, deployment approvals, prediction receipts. */
@Info({ title: 'fedledger model', description: 'Model versions, deployment and predictions' })
export class ModelContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.model);
  }

  @Transaction(false)
  @Returns('string')
  async GetModelVersion(
    ctx: FedLedgerContext,
    federationId: string,
    version: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    await requireReader(ctx);
    return canonicalJson(await loadModelVersion(ctx, await loadFederation(ctx, id), versionNumber));
  }

  /** Every version of a federation, oldest first. */
  @Transaction(false)
  @Returns('string')
  async ListModelVersions(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    const federation = await loadFederation(ctx, id);
    const records = await listRecords(ctx, modelVersionRecord, KEY.modelVersion, [id]);
    const versions = [];
    for (const record of records) {
      versions.push(await loadModelVersion(ctx, federation, record.version));
    }
    return canonicalJson(versions);
  }

  /**
   * The consortium-level validation score of every version (sample-weighted over the orgs'
   * RecordEvaluation metrics) and the best round so far, computed from the evaluation keys on the
   * ledger at read time: a stored running best would be written by every RecordEvaluation and make
   * concurrent evaluations conflict (ADR 0004). Any version, the best included, can be approved.
   */
  @Transaction(false)
  @Returns('string')
  async GetModelSelection(
    ctx: FedLedgerContext,
    federationId: string,
    metric: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const selectionMetric = parseSelectionMetric(metric);
    await requireReader(ctx);
    const federation = await loadFederation(ctx, id);
    const records = await listRecords(ctx, modelVersionRecord, KEY.modelVersion, [id]);
    const versions = [];
    for (const record of records) {
      versions.push(await loadModelVersion(ctx, federation, record.version));
    }
    return canonicalJson(
      selectModel(id, federation.participants.length, versions, selectionMetric),
    );
  }

  /** Base64 of a version's encoded weights; only the federation's participant orgs may read them. */
  @Transaction(false)
  @Returns('string')
  async GetGlobalWeights(
    ctx: FedLedgerContext,
    federationId: string,
    version: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireWeightsPath(federation, false, 'GetGlobalWeights');
    const { bytes } = await loadGlobalWeights(ctx, id, versionNumber);
    return Buffer.from(bytes).toString('base64');
  }

  /** The caller org (admin identity) approves a version for deployment; deployed at a majority of participants. */
  @Transaction()
  @Returns('string')
  async ApproveModel(
    ctx: FedLedgerContext,
    federationId: string,
    version: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    const { caller } = await requireWriterAdmin(ctx, 'ApproveModel');
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireStatus(federation, ['running', 'completed'], 'ApproveModel');
    const before = await loadModelVersion(ctx, federation, versionNumber);
    if (before.approvals.includes(caller.mspId)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already approved version ${versionNumber} of ${id}`,
      );
    }
    await putRecord(
      ctx,
      approvalRecord,
      key(ctx, KEY.approval, id, pad(versionNumber), caller.mspId),
      {
        federationId: id,
        version: versionNumber,
        mspId: caller.mspId,
        approvedBy: caller.id,
        approvedAt: txTime(ctx),
        txId: txId(ctx),
      },
    );
    const approvals = [...before.approvals, caller.mspId].sort();
    const after = { ...before, approvals, deployed: approvals.length >= before.approvalsRequired };
    await appendAudit(ctx, caller, {
      action: 'ApproveModel',
      target: `federation/${id}/version/${versionNumber}`,
      federationId: id,
      details: { modelHash: after.modelHash, approvals, deployed: after.deployed },
    });
    emitEvent(ctx, EVENT.ModelApproved, {
      federationId: id,
      version: versionNumber,
      mspId: caller.mspId,
      modelHash: after.modelHash,
      approvals,
      deployed: after.deployed,
    });
    return canonicalJson(after);
  }

  /** A participant records a receipt for predictions served from a deployed version. */
  @Transaction()
  @Returns('string')
  async RecordPrediction(
    ctx: FedLedgerContext,
    federationId: string,
    version: string,
    inputHash: string,
    outputHash: string,
    count: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const versionNumber = parseIntegerArg(version, 'version', 0, MAX_COUNTER);
    const input = parseHex64(inputHash, 'inputHash');
    const output = parseHex64(outputHash, 'outputHash');
    const predictions = parseIntegerArg(count, 'count', 1, Number.MAX_SAFE_INTEGER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    // A cancelled federation's models are withdrawn, even a version that was deployed before.
    requireStatus(federation, ['running', 'completed'], 'RecordPrediction');
    const model = await loadModelVersion(ctx, federation, versionNumber);
    if (!model.deployed) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `version ${versionNumber} of ${id} is not deployed (${model.approvals.length} of ${model.approvalsRequired} approvals)`,
      );
    }
    const receipt: PredictionReceipt = {
      federationId: id,
      version: versionNumber,
      modelHash: model.modelHash,
      inputHash: input,
      outputHash: output,
      count: predictions,
      requesterMsp: caller.mspId,
      requesterId: caller.id,
      recordedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(
      ctx,
      predictionRecord,
      key(ctx, KEY.prediction, id, pad(versionNumber), receipt.txId),
      receipt,
    );
    await appendAudit(ctx, caller, {
      action: 'RecordPrediction',
      target: `federation/${id}/version/${versionNumber}`,
      federationId: id,
      details: { inputHash: input, outputHash: output, count: predictions },
    });
    emitEvent(ctx, EVENT.PredictionRecorded, {
      federationId: id,
      version: versionNumber,
      modelHash: model.modelHash,
      inputHash: input,
      outputHash: output,
      count: predictions,
    });
    return canonicalJson(receipt);
  }

  /** Which federation, version and round produced a model with this SHA-256, if any. */
  @Transaction(false)
  @Returns('string')
  async VerifyModelHash(ctx: FedLedgerContext, modelHash: string): Promise<string> {
    const hash = parseHex64(modelHash, 'modelHash');
    await requireReader(ctx);
    const index = await findRecord(ctx, modelHashRecord, key(ctx, KEY.modelHash, hash));
    if (index === undefined) {
      const missing: ModelVerification = { modelHash: hash, found: false };
      return canonicalJson(missing);
    }
    const version = await getRecord(
      ctx,
      modelVersionRecord,
      key(ctx, KEY.modelVersion, index.federationId, pad(index.version)),
    );
    const versions = (await listRecords(ctx, modelHashRecord, KEY.modelHashVersion, [hash])).map(
      (entry) => ({ federationId: entry.federationId, version: entry.version }),
    );
    const found: ModelVerification = {
      modelHash: hash,
      found: true,
      federationId: index.federationId,
      version: version.version,
      round: version.round,
      createdAt: version.createdAt,
      versions,
    };
    return canonicalJson(found);
  }
}
