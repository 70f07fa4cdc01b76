import {
  allocateCredits,
  rewardWeight,
  coalitionKey,
  cosineToAggregate,
  shapleyValues,
  type ContributionReport,
  type OrgContribution,
  type UpdateMetadata,
  type UtilityRecord,
} from '@fedledger/core';

/** What settling a round needs besides the recorded utilities. */
export interface SettlementInput {
  federationId: string;
  round: number;
  contributors: string[];
  coalitions: string[];
  seedTxId: string;
  updates: UpdateMetadata[];
  /** Flat weights per contributor, the previous and the new global model (for the cosine signal). */
  updateWeights: ReadonlyMap<string, Float32Array>;
  previous: Float32Array;
  aggregate: Float32Array;
  creditsPerRound?: number;
  settledBy: string;
  settledAt: string;
  txId: string;
}

/**
 * The consortium utility of each coalition is the mean of the recorders' utilities weighted by
 * their validation rows (recorders sorted by MSP id, Float64, fixed order), so it is the
 * consortium-level validation score of that coalition's aggregate (for a per-row mean such as the
 * gateways' log-loss score, ADR 0029, exactly the score on all recorders' rows pooled). Then Shapley values, the
 * cheap signals and the credit split (credits ∝ positive Shapley × positive cosine, `rewardWeight`). Pure: every endorsing peer computes the same report.
 */
export function settleRound(
  input: SettlementInput,
  records: readonly UtilityRecord[],
): ContributionReport {
  const recorders = [...records].sort((a, b) =>
    a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0,
  );
  const totalSamples = recorders.reduce((sum, r) => sum + r.numSamples, 0);
  const utility = new Map<string, number>();
  for (const coalition of input.coalitions) {
    let sum = 0;
    for (const r of recorders) sum += r.numSamples * r.utilities[coalition];
    utility.set(coalition, sum / totalSamples);
  }
  const shapley = shapleyValues(input.contributors, utility, input.seedTxId);
  const cosines = new Map(
    input.contributors.map((mspId) => [
      mspId,
      cosineToAggregate(
        input.updateWeights.get(mspId) as Float32Array,
        input.previous,
        input.aggregate,
      ),
    ]),
  );
  const weights = Object.fromEntries(
    input.contributors.map((mspId) => [
      mspId,
      rewardWeight(shapley.values[mspId], cosines.get(mspId) as number),
    ]),
  );
  const credits =
    input.creditsPerRound === undefined
      ? undefined
      : allocateCredits(input.creditsPerRound, weights);
  const contributions: OrgContribution[] = input.contributors.map((mspId) => {
    const update = input.updates.find((u) => u.mspId === mspId) as UpdateMetadata;
    return {
      mspId,
      shapley: shapley.values[mspId],
      numSamples: update.numSamples,
      updateNorm: update.norm,
      cosineToAggregate: cosines.get(mspId) as number,
      credits: credits?.[mspId] ?? 0,
    };
  });
  const report: ContributionReport = {
    federationId: input.federationId,
    round: input.round,
    method: shapley.method,
    coalitions: input.coalitions.length,
    recorders: recorders.map((r) => r.mspId),
    baselineUtility: utility.get('') as number,
    fullUtility: utility.get(coalitionKey(input.contributors)) as number,
    contributions,
    creditsAllocated: contributions.reduce((sum, c) => sum + c.credits, 0),
    settledBy: input.settledBy,
    settledAt: input.settledAt,
    txId: input.txId,
  };
  if (shapley.permutations !== undefined) report.permutations = shapley.permutations;
  if (input.creditsPerRound !== undefined) report.creditsPerRound = input.creditsPerRound;
  return report;
}
