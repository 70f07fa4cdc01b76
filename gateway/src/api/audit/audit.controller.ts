import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { PageQueryDto } from '../../platform/common/pagination.dto';
import { FederationParamsDto } from '../../platform/common/route-params.dto';
import { ModelVerificationDto } from '../models/dto/model-version.dto';
import { AuditService } from './audit.service';
import {
  AuditPageDto,
  KeyHistoryEntryDto,
  KeyHistoryParamsDto,
  KeyHistoryQueryDto,
  ModelHashParamsDto,
} from './dto/audit.dto';

@ApiTags('audit')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('audit')
@Roles('admin', 'auditor')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('federations/:id/timeline')
  @ApiOperation({ summary: 'Every ledger action on a federation, in commit order' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  federationTimeline(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
    @Query() query: PageQueryDto,
  ): Promise<AuditPageDto> {
    return this.audit.federationTimeline(principal, params.id, query.pageSize, query.bookmark);
  }

  @Get('timeline')
  @ApiOperation({ summary: 'Consortium-wide ledger actions (membership, roles, federations)' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrorResponses(400, 401, 403)
  consortiumTimeline(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<AuditPageDto> {
    return this.audit.consortiumTimeline(principal, query.pageSize, query.bookmark);
  }

  @Get('history/:objectType')
  @ApiOperation({
    summary: 'History of one ledger key (GetHistoryForKey) by object type and attributes',
  })
  @ApiOkResponse({ type: [KeyHistoryEntryDto] })
  @ApiErrorResponses(400, 401, 403, 404)
  keyHistory(
    @CurrentPrincipal() principal: Principal,
    @Param() params: KeyHistoryParamsDto,
    @Query() query: KeyHistoryQueryDto,
  ): Promise<KeyHistoryEntryDto[]> {
    return this.audit.keyHistory(principal, params.objectType, query.attributes);
  }

  @Get('models/:modelHash')
  @ApiOperation({
    summary: 'Which federation, version and round produced the model with this hash',
  })
  @ApiOkResponse({ type: ModelVerificationDto })
  @ApiErrorResponses(400, 401, 403)
  verifyModel(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ModelHashParamsDto,
  ): Promise<ModelVerificationDto> {
    return this.audit.verifyModel(principal, params.modelHash);
  }
}
