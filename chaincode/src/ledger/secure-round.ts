import {
  FedLedgerError,
  decodeFixedPointMean,
  decodeMasked,
  maxWeightFor,
  toFloat32,
  unmaskSum,
  type Contribution,
  type FixedPointConfig,
  type PairReveal,
  type SubmitterSet,
  type UpdateMetadata,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { FederationRecord } from '../state/federation';
import { KEY, key, pad } from '../state/keys';
import { pairRevealRecord, submitterSetRecord } from '../state/privacy';
import { getBlob } from './blob-store';
import type { LoadedFederation } from './federation-state';
import { findRecord, listRecords } from './store';

/**
 * Secure aggregation on the ledger (DESIGN §8): only masked updates are stored, the round's
 * submitter set is fixed by a transaction before any survivor reveals a pair seed, late updates are
 * refused, and the aggregate is computed from the masked sum. Contribution scores of individual
 * updates are impossible by design here: every submitter gets its declared share and no score.
 */

export function isSecure(record: FederationRecord): boolean {
  return record.privacy?.secureAggregation === true;
}

export function fixedPointOf(record: FederationRecord): FixedPointConfig {
  const fixedPoint = record.privacy?.fixedPoint;
  if (fixedPoint === undefined)
    throw new FedLedgerError(
      'INTERNAL',
      `federation ${record.id} has secure aggregation but no fixed-point encoding`,
    );
  return fixedPoint;
}

/**
 * The weight an org's contribution carries in the sum: its sample count (FedAvg), or 1 under DP,
 * where the noise is calibrated to one org's clipped update and a sample-count weight would scale
 * that org's sensitivity with its size.
 */
export function contributionWeight(record: FederationRecord, numSamples: number): number {
  return record.privacy?.dp !== undefined ? 1 : numSamples;
}

export function submitterSetKey(ctx: Context, federationId: string, round: number): string {
  return key(ctx, KEY.submitterSet, federationId, pad(round));
}

export async function findSubmitterSet(
  ctx: Context,
  federationId: string,
  round: number,
): Promise<SubmitterSet | undefined> {
  return findRecord(ctx, submitterSetRecord, submitterSetKey(ctx, federationId, round));
}

/**
 * Checks a masked submission: submissions still open (the set not fixed: a "dropped" org's late
 * update is refused, so a dropout can never be unmasked), framing and length, and a weight small
 * enough that no sum over the participants can leave the int32 range.
 */
export async function checkMaskedSubmission(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  numSamples: number,
  bytes: Uint8Array,
): Promise<void> {
  const { record } = federation;
  const fixed = await findSubmitterSet(ctx, record.id, round);
  if (fixed !== undefined) {
    throw new FedLedgerError(
      'ROUND_CLOSED',
      `submissions to round ${round} of ${record.id} closed at ${fixed.closedAt} (submitters ${fixed.submitters.join(', ')}); a late update is refused so that a dropped org can never be unmasked`,
    );
  }
  decodeMasked(bytes, record.paramCount, 'the masked update');
  const fixedPoint = fixedPointOf(record);
  const limit = maxWeightFor(fixedPoint, federation.participants.length);
  const weight = contributionWeight(record, numSamples);
  if (weight > limit) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `numSamples ${numSamples} is too large for the federation's fixed-point encoding (scale ${fixedPoint.scale}, range ${fixedPoint.range}, ${federation.participants.length} participants): at most ${limit}, or the sum could overflow`,
    );
  }
}

export interface MaskedRoundResult {
  /** The weighted mean of the submitters' models: start + Σ wᵢ·δᵢ / Σ wᵢ, rounded once to Float32. */
  average: Float32Array;
  totalWeight: number;
  submitters: UpdateMetadata[];
  dropped: string[];
}

/**
 * Unmasks the round's sum: the submitters are the fixed set (or every participant when all
 * submitted and nobody fixed it), each survivor must have revealed its seeds with every dropped
 * org, and the unmasked sum must decode within the range honest contributions allow.
 */
export async function unmaskRound(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  updates: UpdateMetadata[],
  start: Float32Array,
): Promise<MaskedRoundResult> {
  const { record, participants } = federation;
  const fixed = await findSubmitterSet(ctx, record.id, round);
  if (fixed === undefined && updates.length !== participants.length) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `round ${round} of ${record.id} has ${updates.length} of ${participants.length} updates; fix the submitter set with CloseSubmissions (after the deadline) and let the survivors reveal their seeds first`,
    );
  }
  const submitterIds = fixed?.submitters ?? participants;
  const dropped = fixed?.dropped ?? [];
  const submitters = updates.filter((update) => submitterIds.includes(update.mspId));
  if (submitters.length !== submitterIds.length) {
    throw new FedLedgerError(
      'INTERNAL',
      `round ${round} of ${record.id}: the fixed submitter set does not match the stored updates`,
    );
  }
  const reveals = await listRecords(ctx, pairRevealRecord, KEY.pairReveal, [record.id, pad(round)]);
  const missing = submitterIds.filter(
    (msp) => dropped.length > 0 && !reveals.some((reveal) => reveal.mspId === msp),
  );
  if (missing.length > 0) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `round ${round} of ${record.id} waits for the pair seeds ${missing.join(', ')} share with the dropped ${dropped.join(', ')} (RevealPairSeeds)`,
    );
  }
  const masked: Uint32Array[] = [];
  for (const update of submitters) {
    const stored = await getBlob(ctx, KEY.updateWeights, [record.id, pad(round), update.mspId]);
    if (stored.manifest.digest !== update.digest) {
      throw new FedLedgerError(
        'INTERNAL',
        `private masked update of ${update.mspId} in round ${round} does not match the public digest`,
      );
    }
    masked.push(
      decodeMasked(stored.bytes, record.paramCount, `the masked update of ${update.mspId}`),
    );
  }
  const pairs: PairReveal[] = [];
  for (const reveal of reveals) {
    for (const droppedMsp of dropped)
      pairs.push({ survivor: reveal.mspId, dropped: droppedMsp, seed: reveal.seeds[droppedMsp] });
  }
  const totalWeight = submitters.reduce(
    (sum, update) => sum + contributionWeight(record, update.numSamples),
    0,
  );
  const mean = decodeFixedPointMean(
    unmaskSum(masked, pairs, record.paramCount),
    totalWeight,
    fixedPointOf(record),
  );
  for (let j = 0; j < mean.length; j++) mean[j] = start[j] + mean[j];
  return { average: toFloat32(mean), totalWeight, submitters, dropped };
}

/** What the model version records per submitter under secure aggregation: its declared share, no score. */
export function maskedContributors(
  record: FederationRecord,
  result: MaskedRoundResult,
): Contribution[] {
  return result.submitters.map((update) => ({
    mspId: update.mspId,
    numSamples: update.numSamples,
    digest: update.digest,
    accepted: true,
    weight: contributionWeight(record, update.numSamples) / result.totalWeight,
    reason: 'secure aggregation: only the masked sum was seen, so no individual score exists',
  }));
}
