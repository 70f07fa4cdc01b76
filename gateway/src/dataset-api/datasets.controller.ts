import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiBearerAuth } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { DatasetParamsDto } from '../common/route-params.dto';
import { DatasetsService } from '../datasets/datasets.service';
import { DatasetDto, RegisterCsvDatasetDto, RegisterSyntheticDatasetDto, toDatasetDto } from './dto/dataset.dto';

/** Local datasets: they never leave the gateway; only their use in training does. */
@ApiTags('datasets')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('datasets')
@Roles('admin', 'scientist')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a CSV file inside the data directory (parsed and validated in full)' })
  @ApiCreatedResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  async registerCsv(@Body() body: RegisterCsvDatasetDto): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.register(body));
  }

  @Post('synthetic')
  @ApiOperation({ summary: 'Generate this org’s share of the synthetic clinical population and register it' })
  @ApiCreatedResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 409, 422)
  async registerSynthetic(@Body() body: RegisterSyntheticDatasetDto): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.registerSynthetic(body));
  }

  @Get()
  @ApiOperation({ summary: 'List registered datasets' })
  @ApiOkResponse({ type: [DatasetDto] })
  @ApiErrorResponses(401, 403)
  list(): DatasetDto[] {
    return this.datasets.list().map(toDatasetDto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one dataset' })
  @ApiOkResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Param() params: DatasetParamsDto): DatasetDto {
    return toDatasetDto(this.datasets.get(params.id));
  }
}
