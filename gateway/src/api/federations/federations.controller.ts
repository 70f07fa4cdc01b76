import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiBearerAuth,
} from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { PageQueryDto } from '../../platform/common/pagination.dto';
import { FederationParamsDto } from '../../platform/common/route-params.dto';
import {
  AcceptInvitationDto,
  BindDatasetDto,
  CancelFederationDto,
  CreateFederationDto,
} from './dto/create-federation.dto';
import { DatasetBindingDto, DataProfileDto, toDataProfileDto } from './dto/data-profile.dto';
import { FederationDto, FederationPageDto } from './dto/federation.dto';
import { FederationStatusDto } from './dto/federation-status.dto';
import { FederationsService } from './federations.service';

@ApiTags('federations')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations')
export class FederationsController {
  constructor(private readonly federations: FederationsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Create a federation from a preset or a topology with initial weights; optionally bind a local dataset',
  })
  @ApiCreatedResponse({ type: FederationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateFederationDto,
  ): Promise<FederationDto> {
    return this.federations.create(principal, body);
  }

  @Get()
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'List federations' })
  @ApiOkResponse({ type: FederationPageDto })
  @ApiErrorResponses(400, 401)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<FederationPageDto> {
    return this.federations.list(principal, query.pageSize, query.bookmark);
  }

  @Get(':id')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'Get a federation' })
  @ApiOkResponse({ type: FederationDto })
  @ApiErrorResponses(400, 401, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<FederationDto> {
    return this.federations.get(principal, params.id);
  }

  @Get(':id/status')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary: 'Federation status: current round and its submissions, and the local dataset binding',
  })
  @ApiOkResponse({ type: FederationStatusDto })
  @ApiErrorResponses(400, 401, 404)
  status(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<FederationStatusDto> {
    return this.federations.status(principal, params.id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Accept an invitation for this org with a local dataset that fits the federation (required for schema federations). An ' +
      'incompatible dataset is refused with 422 listing every problem, and nothing changes on the ledger. 409 BACKEND_UNAVAILABLE when this gateway cannot train the model ' +
      '(e.g. convolution layers without the native backend).',
  })
  @ApiOkResponse({ type: FederationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  accept(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
    @Body() body: AcceptInvitationDto,
  ): Promise<FederationDto> {
    return this.federations.accept(principal, params.id, body.datasetId);
  }

  @Put(':id/dataset')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Bind or replace this org’s dataset for a federation it participates in; the next round trains on it (422 lists every incompatibility)',
  })
  @ApiOkResponse({ type: DatasetBindingDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  bindDataset(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
    @Body() body: BindDatasetDto,
  ): Promise<DatasetBindingDto> {
    return this.federations.bindDataset(principal, params.id, body.datasetId);
  }

  @Get(':id/data-profiles')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'Schema federations: every org’s recorded data profile — rows and, per column, missing rate and counts',
  })
  @ApiOkResponse({ type: [DataProfileDto] })
  @ApiErrorResponses(400, 401, 404)
  async dataProfiles(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<DataProfileDto[]> {
    return (await this.federations.dataProfiles(principal, params.id)).map(toDataProfileDto);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Start the federation (creator org): opens round 1' })
  @ApiOkResponse({ type: FederationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  start(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<FederationDto> {
    return this.federations.start(principal, params.id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Cancel the federation (creator org admin)' })
  @ApiOkResponse({ type: FederationDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
    @Body() body: CancelFederationDto,
  ): Promise<FederationDto> {
    return this.federations.cancel(principal, params.id, body.reason);
  }
}
