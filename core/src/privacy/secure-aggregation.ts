import { FedLedgerError } from '../errors';
import { sumModulo } from './fixed-point';
import { applyPairMask, pairSeed, removeDroppedPairMask } from './pairwise-masks';

/** A participant's registered masking key. */
export interface MaskingPeer {
  mspId: string;
  /** Raw X25519 public key, base64. */
  publicKey: string;
}

export interface MaskContext {
  federationId: string;
  round: number;
  /** This org's MSP id. */
  self: string;
  /** This org's private key (PKCS#8 DER, base64). */
  privateKey: string;
}

/**
 * Masks this org's fixed-point contribution with one pair mask per other participant of the
 * federation (every participant, since nobody knows in advance who will drop out). Returns a new array.
 */
export function maskContribution(
  encoded: Uint32Array,
  peers: readonly MaskingPeer[],
  context: MaskContext,
): Uint32Array {
  const masked = Uint32Array.from(encoded);
  for (const peer of [...peers].sort((a, b) => (a.mspId < b.mspId ? -1 : 1))) {
    if (peer.mspId === context.self) continue;
    applyPairMask(
      masked,
      context.self,
      peer.mspId,
      pairSeed(context.privateKey, peer.publicKey, { ...context, peer: peer.mspId }),
    );
  }
  return masked;
}

/** The seeds this survivor shares with each org that did not submit (what it reveals once the set is fixed). */
export function dropoutSeeds(
  dropped: readonly MaskingPeer[],
  context: MaskContext,
): Record<string, string> {
  const seeds: Record<string, string> = {};
  for (const peer of dropped) {
    if (peer.mspId === context.self) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${context.self} cannot reveal a seed with itself`,
      );
    }
    seeds[peer.mspId] = pairSeed(context.privateKey, peer.publicKey, {
      ...context,
      peer: peer.mspId,
    });
  }
  return seeds;
}

/** One revealed pair seed: `survivor` submitted, `dropped` did not. */
export interface PairReveal {
  survivor: string;
  dropped: string;
  seed: string;
}

/**
 * The plain fixed-point sum of the submitters' contributions: their masked updates summed modulo
 * 2^32, minus every survivor's mask for each pair with a dropped org (the pairs among survivors
 * cancel by themselves). The caller checks that the reveals cover every (survivor, dropped) pair.
 */
export function unmaskSum(
  masked: readonly Uint32Array[],
  reveals: readonly PairReveal[],
  length: number,
): Uint32Array {
  const sum = sumModulo(masked, length);
  for (const reveal of reveals)
    removeDroppedPairMask(sum, reveal.survivor, reveal.dropped, reveal.seed);
  return sum;
}
