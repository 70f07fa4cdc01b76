import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import type { Principal } from './api-key-store';
import { CurrentPrincipal, Roles } from './auth.decorators';
import { PrincipalDto } from './dto/principal.dto';

@ApiTags('auth')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('auth')
export class WhoAmIController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Get('whoami')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'The presented API key: its id, name and role, and this gateway’s org (401 for an unknown or revoked key)',
  })
  @ApiOkResponse({ type: PrincipalDto })
  @ApiErrorResponses(401)
  whoami(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return {
      keyId: principal.keyId,
      name: principal.name,
      role: principal.role,
      org: this.config.mspId,
    };
  }
}
