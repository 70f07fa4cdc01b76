import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { HealthDto, LivenessDto } from './dto/health.dto';
import { HealthService } from './health.service';

interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: ledger reachable, TensorFlow.js backend, version and org' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The ledger is not reachable' })
  async check(@Res({ passthrough: true }) response: StatusResponse): Promise<HealthDto> {
    const health = await this.health.check();
    if (health.status !== 'ok') response.status(503);
    return health;
  }

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }
}
