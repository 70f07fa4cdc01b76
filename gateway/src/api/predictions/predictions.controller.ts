import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { VersionParamsDto } from '../../platform/common/route-params.dto';
import { PredictRequestDto, PredictResponseDto } from './dto/predict.dto';
import { PredictionsService } from './predictions.service';

@ApiTags('predictions')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations/:id/models/:version/predictions')
export class PredictionsController {
  constructor(private readonly predictions: PredictionsService) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: 'Predict a batch of rows with a deployed version; a receipt is recorded on the ledger',
  })
  @ApiOkResponse({ type: PredictResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413, 422)
  predict(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
    @Body() body: PredictRequestDto,
  ): Promise<PredictResponseDto> {
    return this.predictions.predict(principal, params.id, params.version, {
      rows: body.rows,
      records: body.records,
    });
  }
}
