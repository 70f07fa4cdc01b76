import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { DatasetAdminService } from './dataset-admin.service';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiBearerAuth,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { RequestValidationError } from '../../platform/errors/request-validation.error';
import { DatasetParamsDto } from '../../platform/common/route-params.dto';
import { DatasetsService } from '../../ml/datasets/datasets.service';
import {
  DatasetDto,
  RegisterCsvDatasetDto,
  RegisterSyntheticDatasetDto,
  toDatasetDto,
} from './dto/dataset.dto';

/** Local datasets: they never leave the gateway; only their use in training does. */
@ApiTags('datasets')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('datasets')
@Roles('admin', 'scientist')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly admin: DatasetAdminService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a CSV file inside the data directory (parsed and validated in full)',
  })
  @ApiCreatedResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413, 422)
  async registerCsv(@Body() body: RegisterCsvDatasetDto): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.register(body));
  }

  @Put(':id')
  @ApiOperation({
    summary:
      'Replace a dataset: register a new (or changed) file under the same id; refused (409, federation named) while a pending or running federation uses it',
  })
  @ApiOkResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 413, 422)
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DatasetParamsDto,
    @Body() body: RegisterCsvDatasetDto,
  ): Promise<DatasetDto> {
    if (body.id !== params.id)
      throw new RequestValidationError([
        { field: 'id', problems: [`id must be the dataset in the path ("${params.id}")`] },
      ]);
    return toDatasetDto(await this.admin.replace(principal, body));
  }

  @Delete(':id')
  @ApiOperation({
    summary:
      'Forget a dataset (the CSV file stays); refused (409, federation named) while a pending or running federation uses it',
  })
  @ApiOkResponse({ type: DatasetDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DatasetParamsDto,
  ): Promise<DatasetDto> {
    return toDatasetDto(await this.admin.delete(principal, params.id));
  }

  @Post('synthetic')
  @ApiOperation({
    summary: 'Generate this org’s share of the synthetic clinical population and register it',
  })
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
