import { FedLedgerError } from '../errors';

/**
 * Splits `credits` (a positive integer) among orgs in proportion to their positive scores;
 * negative or zero scores earn nothing. Integer shares by largest remainder (ties: larger score,
 * then MSP id), so the shares sum to `credits` exactly and every peer computes the same split.
 * When no score is positive nothing is allocated (every share 0).
 */
export function allocateCredits(
  credits: number,
  scores: Readonly<Record<string, number>>,
): Record<string, number> {
  if (!Number.isSafeInteger(credits) || credits <= 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `credits must be a positive integer, got ${credits}`,
    );
  }
  const orgs = Object.keys(scores).sort();
  const positive = orgs.map((org) => Math.max(0, scores[org]));
  const total = positive.reduce((a, b) => a + b, 0);
  const shares: Record<string, number> = Object.fromEntries(orgs.map((org) => [org, 0]));
  if (!(total > 0)) {
    return shares;
  }
  const exact = positive.map((p) => (credits * p) / total);
  let left = credits;
  for (const [i, org] of orgs.entries()) {
    const floor = Math.floor(exact[i]);
    shares[org] = floor;
    left -= floor;
  }
  const order = orgs
    .map((org, i) => ({ org, remainder: exact[i] - Math.floor(exact[i]), score: positive[i] }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.remainder - a.remainder || b.score - a.score || (a.org < b.org ? -1 : 1));
  for (let k = 0; k < left; k++) {
    const entry = order[k % order.length] as { org: string };
    shares[entry.org] = shares[entry.org] + 1;
  }
  return shares;
}

/**
 * What an org's credits are proportional to: its Shapley value when positive, times the cosine of
 * its step with the aggregate's step when positive, else 0. The cosine gate exists because once a
 * model has converged every honest marginal gain is noise around 0, and a free rider returning the
 * global model (a zero step: cosine 0) or adding noise (a step orthogonal to the aggregate's) would
 * otherwise draw as many credits as the orgs that trained (measured: docs/performance.md §8, ADR 0018).
 */
export function rewardWeight(shapley: number, cosineToAggregate: number): number {
  return Math.max(0, shapley) * Math.max(0, cosineToAggregate);
}
