import { Inject, Injectable } from '@nestjs/common';
import {
  FedLedgerError,
  isFedLedgerError,
  settlementReadiness,
  type SelectionMetric,
} from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { CoalitionScoringService } from './coalition-scoring.service';
import { ContributionSettlementService } from './contribution-settlement.service';
import { findContributions } from './find-contributions';
import {
  toCoalitionPlanDto,
  toContributionReportDto,
  toRewardBalanceDto,
  toUtilityRecordDto,
  type CoalitionPlanDto,
  type ContributionReportDto,
  type RewardBalanceDto,
  type UtilityRecordDto,
} from './dto/incentives.dto';
import { toModelSelectionDto, type ModelSelectionDto } from './dto/model-selection.dto';
import type { RecordUtilitiesDto } from './dto/record-utilities.dto';
import type { SettlementStatusDto } from './dto/settlement-status.dto';

/** Model selection, contribution scores and rewards over the ledger, as the calling principal. */
@Injectable()
export class IncentivesService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly scoring: CoalitionScoringService,
    private readonly settlement: ContributionSettlementService,
  ) {}

  async selection(
    principal: Principal,
    federationId: string,
    metric: SelectionMetric,
  ): Promise<ModelSelectionDto> {
    return toModelSelectionDto(
      await this.ledger.ledgerFor(principal.role).getModelSelection(federationId, metric),
    );
  }
  async plan(principal: Principal, federationId: string, round: number): Promise<CoalitionPlanDto> {
    return toCoalitionPlanDto(
      await this.ledger.ledgerFor(principal.role).getCoalitionPlan(federationId, round),
    );
  }
  async listUtilities(
    principal: Principal,
    federationId: string,
    round: number,
  ): Promise<UtilityRecordDto[]> {
    return (await this.ledger.ledgerFor(principal.role).listUtilities(federationId, round)).map(
      toUtilityRecordDto,
    );
  }
  async recordUtilities(
    principal: Principal,
    federationId: string,
    round: number,
    body: RecordUtilitiesDto,
  ): Promise<UtilityRecordDto> {
    return toUtilityRecordDto(
      await this.ledger
        .ledgerFor(principal.role)
        .recordUtilities(federationId, round, body.numSamples, body.utilities),
    );
  }
  async scoreUtilities(
    federationId: string,
    round: number,
    datasetId?: string,
  ): Promise<UtilityRecordDto> {
    return toUtilityRecordDto(await this.scoring.scoreRound(federationId, round, datasetId));
  }
  async settle(
    principal: Principal,
    federationId: string,
    round: number,
  ): Promise<ContributionReportDto> {
    return toContributionReportDto(
      await this.ledger.ledgerFor(principal.role).settleContributions(federationId, round),
    );
  }
  async contributions(
    principal: Principal,
    federationId: string,
    round: number,
  ): Promise<ContributionReportDto> {
    return toContributionReportDto(
      await this.ledger.ledgerFor(principal.role).getContributions(federationId, round),
    );
  }
  async history(principal: Principal, federationId: string): Promise<ContributionReportDto[]> {
    return (await this.ledger.ledgerFor(principal.role).listContributions(federationId)).map(
      toContributionReportDto,
    );
  }
  async balances(principal: Principal, federationId: string): Promise<RewardBalanceDto[]> {
    return (await this.ledger.ledgerFor(principal.role).getRewardBalances(federationId)).map(
      toRewardBalanceDto,
    );
  }

  /** Whether the round is settled, and if not what it waits for and how this gateway's attempts went. */
  async settlementStatus(
    principal: Principal,
    federationId: string,
    round: number,
  ): Promise<SettlementStatusDto> {
    const ledger = this.ledger.ledgerFor(principal.role);
    const federation = await ledger.getFederation(federationId);
    if (federation.incentives === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `federation ${federationId} does not score contributions (its spec has no incentives)`,
      );
    }
    const [report, records, version] = await Promise.all([
      findContributions(ledger, federationId, round),
      ledger.listUtilities(federationId, round),
      ledger.getModelVersion(federationId, round).catch((error: unknown) => {
        if (!isFedLedgerError(error) || error.code !== 'NOT_FOUND') throw error;
        throw new FedLedgerError(
          'FAILED_PRECONDITION',
          `round ${round} of ${federationId} is not aggregated yet; contributions are settled after aggregation`,
        );
      }),
    ]);
    const recorded = records.map((r) => r.mspId).sort();
    const readiness = settlementReadiness(
      federation.participants,
      recorded,
      Date.parse(version.createdAt),
      federation.roundDeadlineSeconds,
      Date.now(),
    );
    const automation = this.settlement
      .pending(federationId)
      .find((followUp) => followUp.round === round);
    return {
      federationId,
      round,
      settled: report !== undefined,
      ...(report !== undefined ? { txId: report.txId } : {}),
      recorded,
      missing: readiness.missing,
      settleableNow: report === undefined && readiness.ready,
      majorityNeeded: readiness.majorityNeeded,
      majorityFrom: new Date(readiness.majorityFromMs).toISOString(),
      ...(automation !== undefined
        ? {
            automation: {
              state: automation.state,
              attempts: automation.attempts,
              ...(automation.lastError !== undefined ? { lastError: automation.lastError } : {}),
              ...(automation.nextAttemptAt !== undefined
                ? { nextAttemptAt: automation.nextAttemptAt }
                : {}),
            },
          }
        : {}),
    };
  }
}
