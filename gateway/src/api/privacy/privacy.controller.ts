import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { FederationParamsDto } from '../../platform/common/route-params.dto';
import { PrivacyBudgetDto, toPrivacyBudgetDto } from '../federations/dto/privacy.dto';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';

@ApiTags('privacy')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations')
export class PrivacyController {
  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  @Get(':id/privacy')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary:
      'The federation’s privacy settings, ε spent per round and ε remaining (the auditor’s view; no weights)',
  })
  @ApiOkResponse({ type: PrivacyBudgetDto })
  @ApiErrorResponses(400, 401, 404)
  async budget(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<PrivacyBudgetDto> {
    return toPrivacyBudgetDto(
      await this.ledger.ledgerFor(principal.role).getPrivacyBudget(params.id),
    );
  }
}
