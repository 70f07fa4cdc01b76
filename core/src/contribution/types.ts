import type { MspId } from '../msp-id';

/**
 * A federation's contribution scoring and rewards (`FederationSpec.incentives`). Present means the
 * participants score every round's updates (Shapley values from recorded coalition utilities);
 * `creditsPerRound`, when set, is the reward pool split after each round by contribution.
 */
export interface IncentivesConfig {
  /** Positive integer credits allocated after each settled round. */
  creditsPerRound?: number;
}

/** Which coalitions of a round's contributors every evaluator must score, and how values are computed. */
export interface CoalitionPlan {
  federationId: string;
  round: number;
  /** The orgs whose updates the round aggregated, sorted. */
  contributors: MspId[];
  /** Coalition keys (sorted members joined by ','; '' is the empty coalition = the previous global model). */
  coalitions: string[];
  method: 'exact' | 'monte-carlo';
  /** Monte-Carlo only: permutations the coalitions are prefixes of. */
  permutations?: number;
  /** The Aggregate transaction whose id seeds the permutations. */
  seedTxId: string;
}

/** One org's utilities for a round: the validation score, in [0, 1], of each coalition's aggregate (the gateways record the log-loss score, ADR 0029). */
export interface UtilityRecord {
  federationId: string;
  round: number;
  mspId: MspId;
  /** Validation rows the utilities were measured on (weights the org's utilities in the consortium mean). */
  numSamples: number;
  utilities: Record<string, number>;
  recordedAt: string;
  txId: string;
}

/** One contributor's scores for a round. */
export interface OrgContribution {
  mspId: MspId;
  /** Shapley value of the consortium utility (validation score gained); may be negative. */
  shapley: number;
  /** Cheap signals: the update's claimed rows, its L2 distance from the previous model, cosine of its step with the aggregate's. */
  numSamples: number;
  updateNorm: number;
  cosineToAggregate: number;
  /** Credits this round earned (0 without a reward pool or with a non-positive Shapley value). */
  credits: number;
}

/** A settled round: contributions, and the reward allocation when the federation has a pool. */
export interface ContributionReport {
  federationId: string;
  round: number;
  method: 'exact' | 'monte-carlo';
  permutations?: number;
  coalitions: number;
  /** Orgs whose utilities entered the consortium utility, sorted. */
  recorders: MspId[];
  /** v(∅) and v(N): the previous global model's and the full coalition's consortium utility. */
  baselineUtility: number;
  fullUtility: number;
  contributions: OrgContribution[];
  creditsPerRound?: number;
  creditsAllocated: number;
  settledBy: MspId;
  settledAt: string;
  txId: string;
}

/** An org's credits in one federation. */
export interface RewardBalance {
  federationId: string;
  mspId: MspId;
  credits: number;
  /** Rounds whose allocation is included, ascending. */
  rounds: number[];
  updatedAt: string;
  txId: string;
}
