import {
  CONTRACT,
  EVENT,
  FedLedgerError,
  canonicalJson,
  decodeFlat,
  requiredCoalitions,
  EXACT_SHAPLEY_MAX_ORGS,
  MONTE_CARLO_PERMUTATIONS,
  settlementReadiness,
  type CoalitionPlan,
  type RewardBalance,
  type UtilityRecord,
} from '@fedledger/core';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireReader, requireWriter } from '../access/consortium-guard';
import { appendAudit } from '../ledger/audit-log';
import { getBlob } from '../ledger/blob-store';
import { emitEvent } from '../ledger/events';
import { FedLedgerContext, FedLedgerContract } from '../ledger/fedledger-context';
import {
  loadFederation,
  modelVersionKey,
  requireParticipant,
  requireStatus,
  type LoadedFederation,
} from '../ledger/federation-state';
import { loadGlobalWeights } from '../ledger/global-weights';
import { findRecord, listRecords, putRecord } from '../ledger/store';
import { txId, txTime, txTimeMs } from '../ledger/tx';
import { settleRound } from '../incentives/settlement';
import { checkUtilities, readUtilityMap } from '../incentives/utilities-input';
import { contributionReportRecord } from '../state/contribution-report';
import { KEY, key, pad } from '../state/keys';
import { modelVersionRecord, type ModelVersionRecord } from '../state/model-version';
import { rewardBalanceRecord } from '../state/reward-balance';
import { updateMetadataRecord } from '../state/update-metadata';
import { MAX_COALITIONS, utilityRecord } from '../state/utilities';
import { MAX_COUNTER, parseId, parseIntegerArg, parseJson } from '../validation/arguments';

/**
 * Contribution scoring and rewards (ADR 0018): after a round is aggregated every participant scores
 * the aggregates of coalitions of the round's updates on its own validation split and records the
 * utilities; SettleContributions turns them into Shapley values, cheap signals and credits.
 */
@Info({
  title: 'fedledger incentive',
  description: 'Contribution scores (Shapley values) and rewards',
})
export class IncentiveContract extends FedLedgerContract {
  constructor() {
    super(CONTRACT.incentive);
  }

  /** The coalitions every evaluator must score for an aggregated round, and how values will be computed. */
  @Transaction(false)
  @Returns('string')
  async GetCoalitionPlan(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    const federation = await loadFederation(ctx, id);
    requireIncentives(federation);
    return canonicalJson(coalitionPlan(await requireAggregated(ctx, federation, roundNumber)));
  }

  /**
   * Base64 of one contributor's update weights for an aggregated round, for coalition scoring.
   * Participants only, and only in federations that score contributions: there every participant
   * agreed to see the others' updates (what an org learns: ADR 0018).
   */
  @Transaction(false)
  @Returns('string')
  async GetUpdateWeights(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    mspId: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireIncentives(federation);
    const version = await requireAggregated(ctx, federation, roundNumber);
    const contributor = version.contributors.find((c) => c.mspId === mspId);
    if (contributor === undefined) {
      throw new FedLedgerError(
        'NOT_FOUND',
        `${mspId} contributed no update to round ${roundNumber} of ${id}`,
      );
    }
    const stored = await getBlob(ctx, KEY.updateWeights, [id, pad(roundNumber), mspId]);
    if (stored.manifest.digest !== contributor.digest) {
      throw new FedLedgerError(
        'INTERNAL',
        `private weights of ${mspId} in round ${roundNumber} do not match the recorded digest`,
      );
    }
    return Buffer.from(stored.bytes).toString('base64');
  }

  /**
   * The caller org's utilities for an aggregated round: `utilitiesJson` maps every planned coalition
   * to a score in [0, 1] on the caller's validation rows of the sample-weighted mean of its members'
   * updates ('' is the previous global model); the gateways record the log-loss score (ADR 0029). Once per org and round (ALREADY_EXISTS), before the round is settled.
   */
  @Transaction()
  @Returns('string')
  async RecordUtilities(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
    numSamples: string,
    utilitiesJson: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const samples = parseIntegerArg(numSamples, 'numSamples', 1, Number.MAX_SAFE_INTEGER);
    const raw = readUtilityMap(
      parseJson(utilitiesJson, 'utilitiesJson'),
      'utilitiesJson',
      'INVALID_ARGUMENT',
      MAX_COALITIONS,
    );
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    requireIncentives(federation);
    requireStatus(federation, ['running', 'completed'], 'RecordUtilities');
    const version = await requireAggregated(ctx, federation, roundNumber);
    const utilitiesKey = key(ctx, KEY.utilities, id, pad(roundNumber), caller.mspId);
    if (await findRecord(ctx, utilityRecord, utilitiesKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `${caller.mspId} already recorded utilities for round ${roundNumber} of ${id}`,
      );
    }
    if (
      await findRecord(
        ctx,
        contributionReportRecord,
        key(ctx, KEY.contributionReport, id, pad(roundNumber)),
      )
    ) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `round ${roundNumber} of ${id} is already settled; utilities can no longer change it`,
      );
    }
    const utilities = checkUtilities(raw, coalitionPlan(version).coalitions);
    const record: UtilityRecord = {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
      numSamples: samples,
      utilities,
      recordedAt: txTime(ctx),
      txId: txId(ctx),
    };
    await putRecord(ctx, utilityRecord, utilitiesKey, record);
    await appendAudit(ctx, caller, {
      action: 'RecordUtilities',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { numSamples: samples, coalitions: Object.keys(utilities).length },
    });
    emitEvent(ctx, EVENT.UtilitiesRecorded, {
      federationId: id,
      round: roundNumber,
      mspId: caller.mspId,
    });
    return canonicalJson(record);
  }

  @Transaction(false)
  @Returns('string')
  async ListUtilities(ctx: FedLedgerContext, federationId: string, round: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(
      await listRecords(ctx, utilityRecord, KEY.utilities, [id, pad(roundNumber)]),
    );
  }

  /**
   * Computes the round's Shapley values from the recorded utilities, the cheap signals, and (with a
   * reward pool) the credits, adding them to each org's balance. Any participant, once per round,
   * when every participant recorded utilities — or, after the round's deadline length has passed
   * since aggregation, when a majority did (so one silent org cannot block everyone's rewards).
   */
  @Transaction()
  @Returns('string')
  async SettleContributions(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    const { caller } = await requireWriter(ctx);
    const federation = await loadFederation(ctx, id);
    requireParticipant(federation, caller);
    const incentives = requireIncentives(federation);
    requireStatus(federation, ['running', 'completed'], 'SettleContributions');
    const version = await requireAggregated(ctx, federation, roundNumber);
    const reportKey = key(ctx, KEY.contributionReport, id, pad(roundNumber));
    if (await findRecord(ctx, contributionReportRecord, reportKey)) {
      throw new FedLedgerError(
        'ALREADY_EXISTS',
        `round ${roundNumber} of ${id} is already settled`,
      );
    }
    const records = await listRecords(ctx, utilityRecord, KEY.utilities, [id, pad(roundNumber)]);
    const readiness = settlementReadiness(
      federation.participants,
      records.map((r) => r.mspId),
      Date.parse(version.createdAt),
      federation.record.roundDeadlineSeconds,
      txTimeMs(ctx),
    );
    if (!readiness.ready) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `round ${roundNumber} of ${id} has utilities from ${records.length} of ${federation.participants.length} participants (missing ${readiness.missing.join(', ')}); settling needs all of them, or ${readiness.majorityNeeded} from ${new Date(readiness.majorityFromMs).toISOString()} (${federation.record.roundDeadlineSeconds} s after aggregation)`,
      );
    }
    const plan = coalitionPlan(version);
    const updates = await listRecords(ctx, updateMetadataRecord, KEY.update, [
      id,
      pad(roundNumber),
    ]);
    const updateWeights = new Map<string, Float32Array>();
    for (const contributor of version.contributors) {
      const stored = await getBlob(ctx, KEY.updateWeights, [
        id,
        pad(roundNumber),
        contributor.mspId,
      ]);
      updateWeights.set(contributor.mspId, decodeFlat(stored.bytes).flat);
    }
    const previous = decodeFlat((await loadGlobalWeights(ctx, id, roundNumber - 1)).bytes).flat;
    const aggregate = decodeFlat((await loadGlobalWeights(ctx, id, roundNumber)).bytes).flat;
    const now = txTime(ctx);
    const report = settleRound(
      {
        federationId: id,
        round: roundNumber,
        contributors: plan.contributors,
        coalitions: plan.coalitions,
        seedTxId: plan.seedTxId,
        updates,
        updateWeights,
        previous,
        aggregate,
        ...(incentives.creditsPerRound !== undefined
          ? { creditsPerRound: incentives.creditsPerRound }
          : {}),
        settledBy: caller.mspId,
        settledAt: now,
        txId: txId(ctx),
      },
      records,
    );
    await putRecord(ctx, contributionReportRecord, reportKey, report);
    if (report.creditsPerRound !== undefined) {
      for (const contribution of report.contributions) {
        const balanceKey = key(ctx, KEY.rewardBalance, id, contribution.mspId);
        const before = await findRecord(ctx, rewardBalanceRecord, balanceKey);
        await putRecord(ctx, rewardBalanceRecord, balanceKey, {
          federationId: id,
          mspId: contribution.mspId,
          credits: (before?.credits ?? 0) + contribution.credits,
          rounds: [...(before?.rounds ?? []), roundNumber],
          updatedAt: now,
          txId: txId(ctx),
        });
      }
    }
    const summary = Object.fromEntries(
      report.contributions.map((c) => [c.mspId, { shapley: c.shapley, credits: c.credits }]),
    );
    await appendAudit(ctx, caller, {
      action: 'SettleContributions',
      target: `federation/${id}/round/${roundNumber}`,
      federationId: id,
      details: { method: report.method, recorders: report.recorders, contributions: summary },
    });
    emitEvent(ctx, EVENT.ContributionsSettled, {
      federationId: id,
      round: roundNumber,
      creditsAllocated: report.creditsAllocated,
    });
    return canonicalJson(report);
  }

  @Transaction(false)
  @Returns('string')
  async GetContributions(
    ctx: FedLedgerContext,
    federationId: string,
    round: string,
  ): Promise<string> {
    const id = parseId(federationId, 'federationId');
    const roundNumber = parseIntegerArg(round, 'round', 1, MAX_COUNTER);
    await requireReader(ctx);
    await loadFederation(ctx, id);
    const report = await findRecord(
      ctx,
      contributionReportRecord,
      key(ctx, KEY.contributionReport, id, pad(roundNumber)),
    );
    if (report === undefined) {
      throw new FedLedgerError(
        'NOT_FOUND',
        `round ${roundNumber} of ${id} has no settled contributions`,
      );
    }
    return canonicalJson(report);
  }

  /** Every settled round's report, oldest first: the contribution and reward history. */
  @Transaction(false)
  @Returns('string')
  async ListContributions(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    await loadFederation(ctx, id);
    return canonicalJson(
      await listRecords(ctx, contributionReportRecord, KEY.contributionReport, [id]),
    );
  }

  /** Every participant's credits in the federation (0 and no rounds before its first allocation). */
  @Transaction(false)
  @Returns('string')
  async GetRewardBalances(ctx: FedLedgerContext, federationId: string): Promise<string> {
    const id = parseId(federationId, 'federationId');
    await requireReader(ctx);
    const federation = await loadFederation(ctx, id);
    const stored = await listRecords(ctx, rewardBalanceRecord, KEY.rewardBalance, [id]);
    const balances: RewardBalance[] = federation.participants.map(
      (mspId) =>
        stored.find((b) => b.mspId === mspId) ?? {
          federationId: id,
          mspId,
          credits: 0,
          rounds: [],
          updatedAt: federation.record.createdAt,
          txId: federation.record.txId,
        },
    );
    return canonicalJson(balances);
  }
}

function requireIncentives(
  federation: LoadedFederation,
): NonNullable<LoadedFederation['record']['incentives']> {
  const { incentives } = federation.record;
  if (incentives === undefined) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `federation ${federation.record.id} does not score contributions (its spec has no incentives)`,
    );
  }
  return incentives;
}

/** The round's model version; FAILED_PRECONDITION while the round is not aggregated. */
async function requireAggregated(
  ctx: FedLedgerContext,
  federation: LoadedFederation,
  round: number,
): Promise<ModelVersionRecord> {
  const version = await findRecord(
    ctx,
    modelVersionRecord,
    modelVersionKey(ctx, federation.record.id, round),
  );
  if (version === undefined || round > federation.record.rounds) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `round ${round} of ${federation.record.id} is not aggregated yet; contributions are scored after aggregation`,
    );
  }
  return version;
}

function coalitionPlan(version: ModelVersionRecord): CoalitionPlan {
  const contributors = version.contributors.map((c) => c.mspId).sort();
  const plan: CoalitionPlan = {
    federationId: version.federationId,
    round: version.round,
    contributors,
    coalitions: requiredCoalitions(contributors, version.txId),
    method: contributors.length <= EXACT_SHAPLEY_MAX_ORGS ? 'exact' : 'monte-carlo',
    seedTxId: version.txId,
  };
  if (plan.method === 'monte-carlo') plan.permutations = MONTE_CARLO_PERMUTATIONS;
  return plan;
}
