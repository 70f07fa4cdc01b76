import type { ModelSelection, SelectionMetric } from '../selection/model-selection';
import type { CoalitionPlan, ContributionReport, RewardBalance, UtilityRecord } from './types';

/** The ledger calls of model selection, contribution scoring and rewards (part of `LedgerApi`). */
export interface IncentiveLedgerApi {
  getModelSelection(federationId: string, metric: SelectionMetric): Promise<ModelSelection>;
  getCoalitionPlan(federationId: string, round: number): Promise<CoalitionPlan>;
  getUpdateWeights(federationId: string, round: number, mspId: string): Promise<Uint8Array>;
  recordUtilities(
    federationId: string,
    round: number,
    numSamples: number,
    utilities: Record<string, number>,
  ): Promise<UtilityRecord>;
  listUtilities(federationId: string, round: number): Promise<UtilityRecord[]>;
  settleContributions(federationId: string, round: number): Promise<ContributionReport>;
  getContributions(federationId: string, round: number): Promise<ContributionReport>;
  listContributions(federationId: string): Promise<ContributionReport[]>;
  getRewardBalances(federationId: string): Promise<RewardBalance[]>;
}
