import { Inject, Injectable } from '@nestjs/common';
import type { SelectionMetric } from '@fedledger/core';
import type { Principal } from '../auth/api-key-store';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { CoalitionScoringService } from './coalition-scoring.service';
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

/** Model selection, contribution scores and rewards over the ledger, as the calling principal. */
@Injectable()
export class IncentivesService {
  constructor(
    @Inject(LEDGER) private readonly ledger: LedgerProvider,
    private readonly scoring: CoalitionScoringService,
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
}
