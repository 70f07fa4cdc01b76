import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
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
import { ConsortiumService } from './consortium.service';
import {
  ConsortiumDto,
  InitConsortiumDto,
  ProposalParamsDto,
  ProposeRoleChangeDto,
  RoleChangeProposalDto,
} from './dto/consortium.dto';

@ApiTags('consortium')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('consortium')
export class ConsortiumController {
  constructor(private readonly consortium: ConsortiumService) {}

  @Get()
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'The consortium: members and their roles' })
  @ApiOkResponse({ type: ConsortiumDto })
  @ApiErrorResponses(401, 404)
  get(@CurrentPrincipal() principal: Principal): Promise<ConsortiumDto> {
    return this.consortium.get(principal);
  }

  @Post('init')
  @Roles('admin')
  @ApiOperation({ summary: 'Initialise the consortium once (admin of a listed member org)' })
  @ApiCreatedResponse({ type: ConsortiumDto })
  @ApiErrorResponses(400, 401, 403, 409)
  init(
    @CurrentPrincipal() principal: Principal,
    @Body() body: InitConsortiumDto,
  ): Promise<ConsortiumDto> {
    return this.consortium.init(principal, body.members);
  }

  @Post('role-changes')
  @Roles('admin')
  @ApiOperation({
    summary: 'Propose changing an org’s role; applied once a majority of member admins approve',
  })
  @ApiCreatedResponse({ type: RoleChangeProposalDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  propose(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ProposeRoleChangeDto,
  ): Promise<RoleChangeProposalDto> {
    return this.consortium.propose(principal, body);
  }

  @Get('role-changes/:proposalId')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'Get a role change proposal' })
  @ApiOkResponse({ type: RoleChangeProposalDto })
  @ApiErrorResponses(400, 401, 404)
  getProposal(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ProposalParamsDto,
  ): Promise<RoleChangeProposalDto> {
    return this.consortium.getProposal(principal, params.proposalId);
  }

  @Post('role-changes/:proposalId/approve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Approve a role change proposal on behalf of this org' })
  @ApiOkResponse({ type: RoleChangeProposalDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ProposalParamsDto,
  ): Promise<RoleChangeProposalDto> {
    return this.consortium.approve(principal, params.proposalId);
  }
}
