import { FedLedgerError } from '../errors';
import { sha256Hex } from '../weights/digest';
import { mulberry32 } from '../random/mulberry32';

/**
 * Coalitions (subsets of a round's contributors) are named by their members' MSP ids, sorted and
 * joined with ','; the empty coalition is ''. One spelling per subset, so a utility map keyed this
 * way cannot hold the same subset twice.
 */
export function coalitionKey(members: readonly string[]): string {
  return [...members].sort().join(',');
}

/**
 * Up to this many contributors Shapley values are exact (2^n coalitions); beyond, Monte-Carlo. Up to
 * 8 exact costs no more than the sampled plan would (2^7 = 128 coalitions against up to
 * 32·6 + 2 = 194; 2^8 = 256 against 226), and the 32-permutation estimate was too noisy to rank
 * attackers at 8 orgs (ADR 0029, docs/performance.md §8).
 */
export const EXACT_SHAPLEY_MAX_ORGS = 8;

/** Permutations sampled for the Monte-Carlo Shapley estimate beyond {@link EXACT_SHAPLEY_MAX_ORGS} orgs. */
export const MONTE_CARLO_PERMUTATIONS = 32;

/** Every one of the 2^n coalitions of `orgs` (sorted), smallest first, then by key. */
export function allCoalitions(orgs: readonly string[]): string[] {
  const sorted = [...orgs].sort();
  const keys: string[][] = [];
  for (let mask = 0; mask < 1 << sorted.length; mask++) {
    keys.push(sorted.filter((_, i) => (mask & (1 << i)) !== 0));
  }
  return sortCoalitions(keys.map(coalitionKey));
}

/**
 * A deterministic permutation source seeded from a transaction id: SHA-256 of the id, then
 * mulberry32 on its first 32 bits. Every peer derives the same permutations; no one can choose them
 * before the seeding transaction exists.
 */
export function seededPermutations(
  orgs: readonly string[],
  seedText: string,
  count: number,
): string[][] {
  const next = mulberry32(
    Number.parseInt(sha256Hex(new TextEncoder().encode(seedText)).slice(0, 8), 16),
  );
  const permutations: string[][] = [];
  for (let p = 0; p < count; p++) {
    const order = [...orgs].sort();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    permutations.push(order);
  }
  return permutations;
}

/**
 * The coalitions whose utilities a round needs: all 2^n for n ≤ {@link EXACT_SHAPLEY_MAX_ORGS};
 * beyond, every prefix of {@link MONTE_CARLO_PERMUTATIONS} permutations seeded from `seedText`
 * (the round's Aggregate transaction id), which includes the empty and the full coalition.
 */
export function requiredCoalitions(orgs: readonly string[], seedText: string): string[] {
  if (orgs.length === 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', 'a round without contributors has no coalitions');
  }
  if (orgs.length <= EXACT_SHAPLEY_MAX_ORGS) {
    return allCoalitions(orgs);
  }
  const keys = new Set<string>();
  for (const order of seededPermutations(orgs, seedText, MONTE_CARLO_PERMUTATIONS)) {
    for (let size = 0; size <= order.length; size++) {
      keys.add(coalitionKey(order.slice(0, size)));
    }
  }
  return sortCoalitions([...keys]);
}

function sortCoalitions(keys: string[]): string[] {
  const size = (key: string): number => (key === '' ? 0 : key.split(',').length);
  return keys.sort((a, b) => size(a) - size(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Members of a coalition key. */
export function coalitionMembers(key: string): string[] {
  return key === '' ? [] : key.split(',');
}
