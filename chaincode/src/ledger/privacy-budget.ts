import {
  FedLedgerError,
  epsilonAfterRounds,
  roundsWithinBudget,
  type PrivacyBudget,
  type PrivacySpend,
} from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { FederationRecord } from '../state/federation';
import { KEY, key, pad } from '../state/keys';
import { privacySpendRecord } from '../state/privacy';
import { listRecords, putRecord } from './store';
import { txId, txTime } from './tx';

/**
 * The federation's DP budget, enforced by the chaincode: a round may open only if the ε spent
 * after it (the deterministic RDP accountant in core) stays within the federation's ε.
 */

/** Whether the budget pays for `round` rounds in all (always true without DP). */
export function budgetAllowsRound(record: FederationRecord, round: number): boolean {
  const dp = record.privacy?.dp;
  return (
    dp === undefined ||
    epsilonAfterRounds(round, dp.noiseMultiplier, dp.delta).epsilon <= dp.epsilon
  );
}

/** PRIVACY_BUDGET_EXHAUSTED when the budget does not pay for `round`. */
export function requireBudgetForRound(record: FederationRecord, round: number): void {
  const dp = record.privacy?.dp;
  if (dp === undefined || budgetAllowsRound(record, round)) return;
  const spent = epsilonAfterRounds(round, dp.noiseMultiplier, dp.delta).epsilon;
  const allowed = roundsWithinBudget(dp.epsilon, dp.noiseMultiplier, dp.delta, record.rounds);
  throw new FedLedgerError(
    'PRIVACY_BUDGET_EXHAUSTED',
    `round ${round} of ${record.id} would bring the ε spent to ${spent.toFixed(4)}, over the federation's budget ε = ${dp.epsilon} (δ = ${dp.delta}); the budget allows ${allowed} round(s)`,
  );
}

/** Records the ε spent once `round` is aggregated (nothing without DP). */
export async function recordPrivacySpend(
  ctx: Context,
  record: FederationRecord,
  round: number,
): Promise<PrivacySpend | undefined> {
  const dp = record.privacy?.dp;
  if (dp === undefined) return undefined;
  const now = epsilonAfterRounds(round, dp.noiseMultiplier, dp.delta);
  const before = epsilonAfterRounds(round - 1, dp.noiseMultiplier, dp.delta);
  const spend: PrivacySpend = {
    federationId: record.id,
    round,
    epsilonSpent: now.epsilon,
    epsilonRound: now.epsilon - before.epsilon,
    order: now.order,
    recordedAt: txTime(ctx),
    txId: txId(ctx),
  };
  await putRecord(
    ctx,
    privacySpendRecord,
    key(ctx, KEY.privacySpend, record.id, pad(round)),
    spend,
  );
  return spend;
}

export async function privacyBudgetView(
  ctx: Context,
  record: FederationRecord,
): Promise<PrivacyBudget> {
  const dp = record.privacy?.dp;
  const spends = await listRecords(ctx, privacySpendRecord, KEY.privacySpend, [record.id]);
  const epsilonSpent = spends.length === 0 ? 0 : spends[spends.length - 1].epsilonSpent;
  return {
    federationId: record.id,
    secureAggregation: record.privacy?.secureAggregation === true,
    dp: dp ?? null,
    roundsAllowed:
      dp === undefined
        ? null
        : roundsWithinBudget(dp.epsilon, dp.noiseMultiplier, dp.delta, record.rounds),
    spends,
    epsilonSpent,
    epsilonRemaining: dp === undefined ? null : dp.epsilon - epsilonSpent,
  };
}
