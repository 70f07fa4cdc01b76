import { FedLedgerError } from '../errors';
import {
  EXACT_SHAPLEY_MAX_ORGS,
  MONTE_CARLO_PERMUTATIONS,
  coalitionKey,
  seededPermutations,
} from './coalitions';

/** Shapley values per org and how they were computed. */
export interface ShapleyResult {
  method: 'exact' | 'monte-carlo';
  /** Monte-Carlo only: permutations sampled. */
  permutations?: number;
  values: Record<string, number>;
}

/**
 * Shapley values of `orgs` for the utility `v` (coalition key → utility): exact for n ≤
 * {@link EXACT_SHAPLEY_MAX_ORGS}, φᵢ = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)); beyond,
 * the mean marginal contribution over {@link MONTE_CARLO_PERMUTATIONS} permutations seeded from
 * `seedText` (Castro, Gómez, Tejada, "Polynomial calculation of the Shapley value based on
 * sampling", Computers & Operations Research 2009). Sums run in a fixed order in Float64, so every
 * peer gets the same bits. Throws INTERNAL when a needed coalition has no utility.
 * Shapley, "A value for n-person games", 1953; for data valuation in FL see Wang, Rong, Xia, Yang,
 * "A Principled Approach to Data Valuation for Federated Learning", 2020.
 */
export function shapleyValues(
  orgs: readonly string[],
  v: ReadonlyMap<string, number>,
  seedText: string,
): ShapleyResult {
  const sorted = [...orgs].sort();
  const utility = (members: readonly string[]): number => {
    const key = coalitionKey(members);
    const value = v.get(key);
    if (value === undefined) {
      throw new FedLedgerError('INTERNAL', `no utility for coalition {${key}}`);
    }
    return value;
  };
  const values: Record<string, number> = {};
  const n = sorted.length;
  if (n <= EXACT_SHAPLEY_MAX_ORGS) {
    const factorial = [1];
    for (let k = 1; k <= n; k++) factorial.push(factorial[k - 1] * k);
    for (const [i, org] of sorted.entries()) {
      const others = sorted.filter((_, j) => j !== i);
      let sum = 0;
      for (let mask = 0; mask < 1 << others.length; mask++) {
        const coalition = others.filter((_, j) => (mask & (1 << j)) !== 0);
        const s = coalition.length;
        const weight = (factorial[s] * factorial[n - s - 1]) / factorial[n];
        sum += weight * (utility([...coalition, org]) - utility(coalition));
      }
      values[org] = sum;
    }
    return { method: 'exact', values };
  }
  const sums = new Map(sorted.map((org) => [org, 0]));
  const permutations = seededPermutations(sorted, seedText, MONTE_CARLO_PERMUTATIONS);
  for (const order of permutations) {
    let before = utility([]);
    for (let size = 1; size <= order.length; size++) {
      const after = utility(order.slice(0, size));
      const org = order[size - 1];
      sums.set(org, (sums.get(org) as number) + (after - before));
      before = after;
    }
  }
  for (const org of sorted) values[org] = (sums.get(org) as number) / permutations.length;
  return { method: 'monte-carlo', permutations: permutations.length, values };
}
