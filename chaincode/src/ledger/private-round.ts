import {
  FedLedgerError,
  createStrategy,
  decodeFlat,
  encodeFlat,
  type ClientUpdate,
  type Contribution,
  type PrivacySpend,
  type ServerState,
  type UpdateMetadata,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { KEY, pad } from '../state/keys';
import type { ModelVersionRecord } from '../state/model-version';
import type { RoundRecord } from '../state/round';
import { updateMetadataRecord } from '../state/update-metadata';
import { digested, getBlob, type DigestedBytes } from './blob-store';
import type { LoadedFederation } from './federation-state';
import { loadGlobalWeights } from './global-weights';
import { publishModelVersion } from './model-publisher';
import { budgetAllowsRound, recordPrivacySpend } from './privacy-budget';
import { requireRoundQuorum } from './round-quorum';
import { isSecure, maskedContributors, unmaskRound, type MaskedRoundResult } from './secure-round';
import { loadServerState, putServerState } from './server-state';
import { listRecords } from './store';
import { txId, txTime } from './tx';

/**
 * `Aggregate` on the private-data path, in its three steps: collect what the round aggregates
 * (reads only), compute the new model (no ledger access), publish it (writes). The contract then
 * advances the round and announces it, as on the blob path.
 */

/** The id under which a secure round's unmasked sum enters the strategy. */
const SECURE_SUM_ID = 'secure-sum';

/** Everything the round's aggregation reads from the ledger. */
export interface RoundInputs {
  /** The round's update records, sorted by MSP id. */
  updates: UpdateMetadata[];
  parent: ModelVersionRecord;
  previous: { flat: Float32Array };
  /** Secure aggregation: the unmasked sum replaces the individual updates. */
  masked: MaskedRoundResult | undefined;
  clientUpdates: ClientUpdate[];
  serverState: ServerState | undefined;
}

/** Reads the round's updates (QUORUM_NOT_MET unless it may close), the previous model and the strategy's state. */
export async function collectRoundInputs(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  roundValue: RoundRecord,
): Promise<RoundInputs> {
  const id = federation.record.id;
  const updates = await listRecords(ctx, updateMetadataRecord, KEY.update, [id, pad(round)]);
  updates.sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0));
  const secure = isSecure(federation.record);
  // Under secure aggregation the fixed submitter set decides (see unmaskRound), not this count.
  if (!secure) await requireRoundQuorum(ctx, federation, round, roundValue, updates);
  const { record: parent, bytes: previousBytes } = await loadGlobalWeights(ctx, id, round - 1);
  const previous = decodeFlat(previousBytes);
  const masked = secure
    ? await unmaskRound(ctx, federation, round, updates, previous.flat)
    : undefined;
  const clientUpdates: ClientUpdate[] = masked
    ? [{ id: SECURE_SUM_ID, numSamples: masked.totalWeight, weights: masked.average }]
    : [];
  for (const update of masked ? [] : updates) {
    const stored = await getBlob(ctx, KEY.updateWeights, [id, pad(round), update.mspId]);
    if (stored.manifest.digest !== update.digest) {
      throw new FedLedgerError(
        'INTERNAL',
        `private weights of ${update.mspId} in round ${round} do not match the public digest`,
      );
    }
    clientUpdates.push({
      id: update.mspId,
      numSamples: update.numSamples,
      weights: decodeFlat(stored.bytes).flat,
    });
  }
  const serverState = await loadServerState(ctx, id, round - 1, parent.serverStateHash);
  return { updates, parent, previous, masked, clientUpdates, serverState };
}

/** The new model version: the federation's strategy over the collected inputs. */
export interface ComputedAggregate {
  version: ModelVersionRecord;
  model: DigestedBytes;
  serverState: ServerState | undefined;
}

export function computeAggregate(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  inputs: RoundInputs,
): ComputedAggregate {
  const { record } = federation;
  const result = createStrategy(record.strategy).aggregate({
    updates: inputs.clientUpdates,
    previous: inputs.previous.flat,
    serverState: inputs.serverState,
  });
  const model = digested(encodeFlat(record.weightShapes, result.weights));
  const contributors: Contribution[] = inputs.masked
    ? maskedContributors(record, inputs.masked)
    : result.diagnostics.map((diagnostic) => {
        const update = inputs.updates.find((u) => u.mspId === diagnostic.id) as UpdateMetadata;
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
    federationId: record.id,
    version: round,
    round,
    modelHash: model.digest,
    parentHash: inputs.parent.modelHash,
    strategy: record.strategy,
    contributors,
    paramCount: record.paramCount,
    weightShapes: record.weightShapes,
    createdAt: txTime(ctx),
    txId: txId(ctx),
  };
  return { version, model, serverState: result.serverState };
}

/** What publishing decided: whether the federation completes, and the DP budget spent. */
export interface PublishedAggregate {
  completed: boolean;
  privacySpend: PrivacySpend | undefined;
  budgetExhausted: boolean;
}

/** Records the DP spend and the strategy's state, then the model version and its weights. */
export async function publishAggregate(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  computed: ComputedAggregate,
): Promise<PublishedAggregate> {
  const { record } = federation;
  const privacySpend = await recordPrivacySpend(ctx, record, round);
  // A round the DP budget cannot pay for is never opened: the federation completes here instead.
  const budgetExhausted = round < record.rounds && !budgetAllowsRound(record, round + 1);
  const completed = round >= record.rounds || budgetExhausted;
  if (computed.serverState !== undefined) {
    computed.version.serverStateHash = await putServerState(
      ctx,
      record.id,
      round,
      computed.serverState,
    );
  }
  await publishModelVersion(ctx, computed.version, computed.model);
  return { completed, privacySpend, budgetExhausted };
}
