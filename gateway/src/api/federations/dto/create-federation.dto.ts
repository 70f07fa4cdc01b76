import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  Equals,
  IsBase64,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { STRATEGY_NAMES, type StrategyName } from '@fedledger/core';
import { ID_PATTERN, ID_PATTERN_MESSAGE, MSP_ID_PATTERN } from '../../../platform/common/ids';
import { IncentivesDto } from '../../incentives/dto/incentives-input.dto';
import { IsNumberRecord } from '../../../platform/common/is-number-record';
import { PRESET_NAMES, type PresetName } from '../../../ml/training/model-presets';
import { DataSchemaDto } from './data-schema.dto';
import { PrivacyInputDto } from './privacy.dto';

export class ModelSourceDto {
  @ApiPropertyOptional({
    enum: PRESET_NAMES,
    description:
      'Build the model from a preset (input size = number of feature columns). Give either preset or topology.',
  })
  @ValidateIf((source: ModelSourceDto) => source.topology === undefined)
  @IsIn(PRESET_NAMES)
  preset?: PresetName;

  @ApiPropertyOptional({ type: [Number], description: 'Hidden layer sizes of the mlp preset' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(4096, { each: true })
  hiddenUnits?: number[];

  @ApiPropertyOptional({ description: 'Seed of the preset’s initial weights', default: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(0xffff_ffff)
  seed?: number;

  @ApiPropertyOptional({ description: 'A tfjs layers topology (model.toJSON()) as JSON text' })
  @ValidateIf((source: ModelSourceDto) => source.preset === undefined)
  @IsString()
  @MaxLength(1_000_000)
  topology?: string;

  @ApiPropertyOptional({
    description: 'Initial weights in the FLW1 encoding, base64; required with topology',
  })
  @ValidateIf((source: ModelSourceDto) => source.topology !== undefined)
  @IsBase64()
  initialWeightsBase64?: string;
}

export class HyperParametersInputDto {
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) epochs!: number;
  @ApiProperty({ minimum: 1, maximum: 65536 }) @IsInt() @Min(1) @Max(65536) batchSize!: number;
  @ApiProperty({ exclusiveMinimum: true, minimum: 0, maximum: 10 })
  @IsNumber()
  @Min(1e-9)
  @Max(10)
  learningRate!: number;
  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1000)
  proximalMu?: number;
}

export class StrategyInputDto {
  @ApiProperty({
    enum: STRATEGY_NAMES,
    description:
      'Aggregation rule run by Aggregate on every endorsing peer; centered-clipping is the one recommended against poisoning (ADR 0024)',
  })
  @IsIn(STRATEGY_NAMES)
  name!: StrategyName;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      "The strategy's own parameters (docs/chaincode.md), e.g. fedadam serverLearningRate, trimmed-mean beta, multi-krum f and m, centered-clipping iterations (1–10, default 3) and radius (in (0, 100], default 1); anything else is refused",
  })
  @IsOptional()
  @IsNumberRecord()
  params?: Record<string, number>;
  @ApiPropertyOptional({ exclusiveMinimum: true, minimum: 0 })
  @IsOptional()
  @IsNumber()
  @Min(1e-12)
  normBound?: number;
  @ApiPropertyOptional({
    exclusiveMinimum: true,
    minimum: 0,
    maximum: 100,
    description:
      "Adaptive norm bounding: clip each update to this multiple of the round's median update distance from the previous global model; excludes normBound (ADR 0017)",
  })
  @IsOptional()
  @IsNumber()
  @Min(1e-12)
  @Max(100)
  adaptiveNormBound?: number;
  @ApiPropertyOptional({
    description:
      "Leave out updates whose step disagrees (cosine ≤ 0) with the round's median step before aggregating (ADR 0017)",
  })
  @IsOptional()
  @IsBoolean()
  cosineFilter?: boolean;
}

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const MAX_FEATURE_COLUMNS = 1000;

/** How the federation's one input scaling is chosen: computed from the creator's dataset, or given explicitly. */
export class FeatureScalingInputDto {
  @ApiPropertyOptional({
    enum: [true],
    description:
      'Compute the scaling from the training split of the dataset bound with `datasetId`: center = per-feature mean, scale = per-feature ' +
      'standard deviation (1 for a constant column). These statistics of the creator’s data are written to the ledger and so disclosed to ' +
      'every consortium org, the auditor included. Give either fromDataset or center and scale.',
  })
  @ValidateIf(
    (input: FeatureScalingInputDto) => input.center === undefined && input.scale === undefined,
  )
  @Equals(true, { message: 'fromDataset must be true (or give center and scale instead)' })
  fromDataset?: true;

  @ApiPropertyOptional({
    type: [Number],
    description:
      'One finite number per feature column, in featureColumns order, subtracted from the raw value',
  })
  @ValidateIf((input: FeatureScalingInputDto) => input.fromDataset === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURE_COLUMNS)
  @IsNumber(FINITE, { each: true })
  center?: number[];

  @ApiPropertyOptional({
    type: [Number],
    description:
      'One number > 0 per feature column, in featureColumns order, dividing the centered value',
  })
  @ValidateIf((input: FeatureScalingInputDto) => input.fromDataset === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURE_COLUMNS)
  @IsNumber(FINITE, { each: true })
  @IsPositive({ each: true })
  scale?: number[];
}

/** Creates a federation; this org participates automatically. */
export class CreateFederationDto {
  @ApiProperty({ example: 'readmission-2026' })
  @IsString()
  @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: '30-day readmission' }) @IsString() @MaxLength(200) name!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({
    description: 'Local dataset this gateway trains on (kept locally, never on the ledger)',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `datasetId ${ID_PATTERN_MESSAGE}` })
  datasetId?: string;

  @ApiProperty({ type: ModelSourceDto })
  @ValidateNested()
  @Type(() => ModelSourceDto)
  model!: ModelSourceDto;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Model input columns in order (numeric datasets); derived from dataSchema when that is given',
  })
  @ValidateIf(
    (dto: CreateFederationDto) => dto.dataSchema === undefined || dto.featureColumns !== undefined,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURE_COLUMNS)
  @ArrayUnique()
  @IsString({ each: true })
  featureColumns?: string[];

  @ApiPropertyOptional({
    description:
      'Label column (0/1) of numeric datasets; dataSchema.label.column when dataSchema is given',
  })
  @ValidateIf(
    (dto: CreateFederationDto) => dto.dataSchema === undefined || dto.labelColumn !== undefined,
  )
  @IsString()
  @MaxLength(200)
  labelColumn?: string;

  @ApiPropertyOptional({
    type: DataSchemaDto,
    description:
      'Raw CSV data (bring your own CSV): every column by name with its type, missing-value tokens, label and imputation. Recorded on ' +
      'the ledger; each org’s dataset is checked against it when it binds (create, accept), and every org encodes, imputes and ' +
      'scales identically with values computed at start from all participants’ data profiles. Needs datasetId; excludes featureScaling.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DataSchemaDto)
  dataSchema?: DataSchemaDto;

  @ApiProperty({ type: HyperParametersInputDto })
  @ValidateNested()
  @Type(() => HyperParametersInputDto)
  hyperParameters!: HyperParametersInputDto;

  @ApiProperty({ type: StrategyInputDto })
  @ValidateNested()
  @Type(() => StrategyInputDto)
  strategy!: StrategyInputDto;

  @ApiProperty({ type: [String], example: ['Org2MSP'] })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(MSP_ID_PATTERN, { each: true })
  invitedOrgs!: string[];

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100) minParticipants!: number;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(30 * 24 * 3600) roundDeadlineSeconds!: number;
  @ApiProperty({ minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) rounds!: number;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) maxUpdateBytes?: number;

  @ApiPropertyOptional({
    type: IncentivesDto,
    description:
      'Contribution scoring (Shapley values per round, every participant scores 2^n coalitions) and an optional reward pool; see ADR 0018',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => IncentivesDto)
  incentives?: IncentivesDto;

  @ApiPropertyOptional({
    type: FeatureScalingInputDto,
    description:
      'The one input scaling every participant applies, (x − center) / scale per feature column, for training, evaluation and ' +
      'predictions; recorded on the ledger. Defaults to `{ "fromDataset": true }` when `datasetId` is given (which discloses the ' +
      'creator’s per-feature mean and standard deviation to the consortium), so that a federation is consistent by default; give ' +
      'explicit `center` and `scale` (e.g. reference values) to avoid that disclosure. Without `datasetId` and without this field ' +
      'the federation has no shared scaling and each org standardises with its own training statistics, which makes inputs ' +
      'inconsistent across orgs when their data are distributed differently.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeatureScalingInputDto)
  featureScaling?: FeatureScalingInputDto;

  @ApiPropertyOptional({
    type: PrivacyInputDto,
    description: 'Secure aggregation and differential privacy (see docs/architecture.md, privacy)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PrivacyInputDto)
  privacy?: PrivacyInputDto;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'Local dataset this gateway trains on' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `datasetId ${ID_PATTERN_MESSAGE}` })
  datasetId?: string;
}

export class BindDatasetDto {
  @ApiProperty({
    description:
      'Local dataset to train on from the next round; checked against the federation like at accept',
  })
  @IsString()
  @Matches(ID_PATTERN, { message: `datasetId ${ID_PATTERN_MESSAGE}` })
  datasetId!: string;
}

export class CancelFederationDto {
  @ApiProperty({ example: 'data quality issue at Org2' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
