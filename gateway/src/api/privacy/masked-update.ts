import {
  clipToNorm,
  encodeFixedPoint,
  encodeMasked,
  maskContribution,
  noiseShareStd,
  type Federation,
  type MaskingKeyPair,
  type MaskingPeer,
} from '@fedledger/core';
import { gaussianSamples } from './gaussian-noise';

export interface MaskedUpdateInput {
  federation: Federation;
  round: number;
  mspId: string;
  keys: MaskingKeyPair;
  peers: readonly MaskingPeer[];
  /** The round's starting global model and this org's locally trained model, flat. */
  start: Float32Array;
  local: Float32Array;
  numSamples: number;
  /** Standard normal samples for the DP noise share (injectable so tests can be exact). */
  noise?: (count: number) => Float64Array;
}

/** What a masked submission carries, and what this org may say about its own update. */
export interface MaskedUpdate {
  bytes: Uint8Array;
  /** L2 norm of the delta before clipping (kept local: it is a statistic of the plain update). */
  deltaNorm: number;
  clipped: boolean;
}

/**
 * This org's contribution under secure aggregation: delta = local − start; with DP, clipped to
 * clipNorm in L2 and given this org's Gaussian share of the federation's noise; weighted (sample
 * count, or 1 under DP — the weighting FedAvg needs happens here, before masking); fixed-point
 * encoded; masked against every other participant. Only the owner ever holds the plain delta.
 */
export function buildMaskedUpdate(input: MaskedUpdateInput): MaskedUpdate {
  const { federation } = input;
  const privacy = federation.privacy;
  if (privacy?.secureAggregation !== true || privacy.fixedPoint === undefined) {
    throw new Error(`federation ${federation.id} does not use secure aggregation`);
  }
  const delta = new Float64Array(input.local.length);
  for (let j = 0; j < delta.length; j++) delta[j] = input.local[j] - input.start[j];
  const dp = privacy.dp;
  let deltaNorm: number;
  let clipped = false;
  if (dp !== undefined) {
    deltaNorm = clipToNorm(delta, dp.clipNorm);
    clipped = deltaNorm > dp.clipNorm;
    const std = noiseShareStd(dp.noiseMultiplier, dp.clipNorm, federation.minParticipants);
    const noise = (input.noise ?? gaussianSamples)(delta.length);
    for (let j = 0; j < delta.length; j++) delta[j] = delta[j] + std * noise[j];
  } else {
    let squared = 0;
    for (const value of delta) squared += value * value;
    deltaNorm = Math.sqrt(squared);
  }
  const weight = dp !== undefined ? 1 : input.numSamples;
  const encoded = encodeFixedPoint(delta, weight, privacy.fixedPoint);
  const masked = maskContribution(encoded, input.peers, {
    federationId: federation.id,
    round: input.round,
    self: input.mspId,
    privateKey: input.keys.privateKey,
  });
  return { bytes: encodeMasked(masked), deltaNorm, clipped };
}
