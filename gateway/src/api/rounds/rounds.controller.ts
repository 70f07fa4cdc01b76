import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { RoundParamsDto } from '../../platform/common/route-params.dto';
import { RoundDto, UpdateMetadataDto } from './dto/round.dto';
import { RoundsService } from './rounds.service';

@ApiTags('rounds')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations/:id/rounds')
@Roles('admin', 'scientist', 'auditor')
export class RoundsController {
  constructor(private readonly rounds: RoundsService) {}

  @Get(':round')
  @ApiOperation({ summary: 'Get a round' })
  @ApiOkResponse({ type: RoundDto })
  @ApiErrorResponses(400, 401, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<RoundDto> {
    return this.rounds.get(principal, params.id, params.round);
  }

  @Get(':round/updates')
  @ApiOperation({ summary: 'List the public metadata of the round’s updates' })
  @ApiOkResponse({ type: [UpdateMetadataDto] })
  @ApiErrorResponses(400, 401, 404)
  listUpdates(
    @CurrentPrincipal() principal: Principal,
    @Param() params: RoundParamsDto,
  ): Promise<UpdateMetadataDto[]> {
    return this.rounds.listUpdates(principal, params.id, params.round);
  }
}
