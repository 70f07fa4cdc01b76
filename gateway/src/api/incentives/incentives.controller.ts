import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { FederationParamsDto, RoundParamsDto } from '../../platform/common/route-params.dto';
import {
  CoalitionPlanDto,
  ContributionReportDto,
  RewardBalanceDto,
  UtilityRecordDto,
} from './dto/incentives.dto';
import { ModelSelectionDto, ModelSelectionQueryDto } from './dto/model-selection.dto';
import { RecordUtilitiesDto, ScoreUtilitiesDto } from './dto/record-utilities.dto';
import { SettlementStatusDto } from './dto/settlement-status.dto';
import { IncentivesService } from './incentives.service';

@ApiTags('incentives')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations/:id')
export class IncentivesController {
  constructor(private readonly incentives: IncentivesService) {}

  @Get('model-selection')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'Consortium validation score of every version (sample-weighted over the orgs’ evaluations) and the best round so far',
  })
  @ApiOkResponse({ type: ModelSelectionDto })
  @ApiErrorResponses(400, 401, 404)
  selection(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
    @Query() query: ModelSelectionQueryDto,
  ): Promise<ModelSelectionDto> {
    return this.incentives.selection(principal, params.id, query.metric ?? 'accuracy');
  }

  @Get('rounds/:round/coalitions')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'The coalitions of the round’s updates every participant scores (all 2^n up to 8 orgs, Monte-Carlo prefixes beyond)',
  })
  @ApiOkResponse({ type: CoalitionPlanDto })
  @ApiErrorResponses(400, 401, 404)
  plan(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<CoalitionPlanDto> {
    return this.incentives.plan(principal, params.id, params.round);
  }

  @Get('rounds/:round/utilities')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'Every org’s recorded coalition utilities for the round' })
  @ApiOkResponse({ type: [UtilityRecordDto] })
  @ApiErrorResponses(400, 401, 404)
  utilities(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<UtilityRecordDto[]> {
    return this.incentives.listUtilities(principal, params.id, params.round);
  }

  @Post('rounds/:round/utilities')
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: 'Record this org’s coalition utilities measured elsewhere (once per round)',
  })
  @ApiOkResponse({ type: UtilityRecordDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  record(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
    @Body() body: RecordUtilitiesDto,
  ): Promise<UtilityRecordDto> {
    return this.incentives.recordUtilities(principal, params.id, params.round, body);
  }

  @Post('rounds/:round/utilities/score')
  @HttpCode(200)
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary:
      'Score every planned coalition on a local validation split and record the utilities (what automatic participation does)',
  })
  @ApiOkResponse({ type: UtilityRecordDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  score(
    @Param() params: RoundParamsDto,
    @Body() body: ScoreUtilitiesDto,
  ): Promise<UtilityRecordDto> {
    return this.incentives.scoreUtilities(params.id, params.round, body.datasetId);
  }

  @Post('rounds/:round/contributions')
  @HttpCode(200)
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: 'Settle the round: Shapley values from the recorded utilities, cheap signals, credits',
  })
  @ApiOkResponse({ type: ContributionReportDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  settle(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<ContributionReportDto> {
    return this.incentives.settle(principal, params.id, params.round);
  }

  @Get('rounds/:round/contributions')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'The round’s settled contributions and credits' })
  @ApiOkResponse({ type: ContributionReportDto })
  @ApiErrorResponses(400, 401, 404)
  contributions(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<ContributionReportDto> {
    return this.incentives.contributions(principal, params.id, params.round);
  }

  @Get('rounds/:round/settlement')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'Whether the round’s contributions are settled; if not, who has not recorded utilities, when a majority suffices, and this gateway’s attempts and last error',
  })
  @ApiOkResponse({ type: SettlementStatusDto })
  @ApiErrorResponses(400, 401, 404, 409)
  settlement(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<SettlementStatusDto> {
    return this.incentives.settlementStatus(principal, params.id, params.round);
  }

  @Get('contributions')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary: 'Every settled round, oldest first: the contribution and reward history',
  })
  @ApiOkResponse({ type: [ContributionReportDto] })
  @ApiErrorResponses(400, 401, 404)
  history(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<ContributionReportDto[]> {
    return this.incentives.history(principal, params.id);
  }

  @Get('rewards')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'Every participant’s credit balance in the federation' })
  @ApiOkResponse({ type: [RewardBalanceDto] })
  @ApiErrorResponses(400, 401, 404)
  rewards(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<RewardBalanceDto[]> {
    return this.incentives.balances(principal, params.id);
  }
}
