import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
  ApiBearerAuth,
} from '@nestjs/swagger';
import type { Principal } from '../auth/api-key-store';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../../platform/common/api-error-responses';
import { FederationParamsDto, VersionParamsDto } from '../../platform/common/route-params.dto';
import { ModelVerificationDto, ModelVersionDto, TfjsModelBundleDto } from './dto/model-version.dto';
import { VerifyModelDto } from './dto/verify-model.dto';
import { ModelsService } from './models.service';

@ApiTags('models')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('federations/:id/models')
export class ModelVersionsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({ summary: 'List the federation’s model versions (0 is the initial model)' })
  @ApiOkResponse({ type: [ModelVersionDto] })
  @ApiErrorResponses(400, 401, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param() params: FederationParamsDto,
  ): Promise<ModelVersionDto[]> {
    return this.models.list(principal, params.id);
  }

  @Get(':version')
  @Roles('admin', 'scientist', 'auditor')
  @ApiOperation({
    summary: 'Get a model version: hash, lineage, contributors, evaluations, approvals',
  })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiErrorResponses(400, 401, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<ModelVersionDto> {
    return this.models.get(principal, params.id, params.version);
  }

  @Get(':version/model.json')
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: 'Download the version as a tfjs model.json (its manifest points at weights.bin)',
  })
  @ApiOkResponse({ description: 'tfjs layers-model JSON', schema: { type: 'object' } })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  async modelJson(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<object> {
    return (await this.models.tfjsArtifacts(principal, params.id, params.version)).modelJson;
  }

  @Get(':version/weights.bin')
  @Roles('admin', 'scientist')
  @ApiOperation({ summary: 'Download the tfjs weights.bin of the version' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  async weightsBin(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<StreamableFile> {
    return new StreamableFile(
      Buffer.from(
        (await this.models.tfjsArtifacts(principal, params.id, params.version)).weightsBin,
      ),
      { type: 'application/octet-stream' },
    );
  }

  @Get(':version/weights.flw1')
  @Roles('admin', 'scientist')
  @ApiOperation({
    summary: 'Download the FLW1-encoded weights; their SHA-256 is the version’s modelHash',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  async flw1(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<StreamableFile> {
    return new StreamableFile(
      Buffer.from(await this.models.flw1(principal, params.id, params.version)),
      { type: 'application/octet-stream' },
    );
  }

  @Get(':version/bundle')
  @Roles('admin', 'scientist')
  @ApiOperation({ summary: 'model.json and weights.bin (base64) in one JSON document' })
  @ApiOkResponse({ type: TfjsModelBundleDto })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  bundle(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<TfjsModelBundleDto> {
    return this.models.bundle(principal, params.id, params.version);
  }

  @Post(':version/approve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Approve the version for deployment on behalf of this org' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param() params: VersionParamsDto,
  ): Promise<ModelVersionDto> {
    return this.models.approve(principal, params.id, params.version);
  }
}

@ApiTags('models')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('models')
@Roles('admin', 'scientist', 'auditor')
export class ModelVerificationController {
  constructor(private readonly models: ModelsService) {}

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Which ledger version (if any) is this model? Give its SHA-256 or the FLW1 file in base64',
  })
  @ApiOkResponse({ type: ModelVerificationDto })
  @ApiErrorResponses(400, 401)
  verify(
    @CurrentPrincipal() principal: Principal,
    @Body() body: VerifyModelDto,
  ): Promise<ModelVerificationDto> {
    return this.models.verify(principal, body);
  }

  @Post('verify/file')
  @HttpCode(200)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The FLW1 weights file' })
  @ApiOperation({ summary: 'Upload an FLW1 weights file and find its ledger version' })
  @ApiOkResponse({ type: ModelVerificationDto })
  @ApiErrorResponses(400, 401, 413)
  verifyFile(
    @CurrentPrincipal() principal: Principal,
    @Body() body: Buffer,
  ): Promise<ModelVerificationDto> {
    return this.models.verifyFile(principal, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
  }
}
