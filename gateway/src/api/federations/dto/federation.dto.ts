import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DataSchemaViewDto, ImputationDto, toImputationDto } from './data-schema.dto';
import {
  STRATEGY_NAMES,
  WEIGHTS_PATHS,
  type Federation,
  type FederationStatus,
  type StrategyName,
  type WeightsPath,
} from '@fedledger/core';
import { IncentivesDto } from '../../incentives/dto/incentives-input.dto';
import { PrivacyDto, toPrivacyDto } from './privacy.dto';

export class ModelSpecDto {
  @ApiProperty({ enum: ['tfjs-layers'] })
  format!: 'tfjs-layers';

  @ApiProperty({ description: 'tfjs layers topology (model.toJSON()) as JSON text' })
  topology!: string;

  @ApiProperty({ description: 'SHA-256 hex of the topology text' })
  topologyHash!: string;
}

export class HyperParametersDto {
  @ApiProperty({ minimum: 1, example: 2 })
  epochs!: number;

  @ApiProperty({ minimum: 1, example: 32 })
  batchSize!: number;

  @ApiProperty({ example: 0.05 })
  learningRate!: number;

  @ApiPropertyOptional({ minimum: 0, description: 'FedProx proximal coefficient μ' })
  proximalMu?: number;
}

export class StrategyConfigDto {
  @ApiProperty({ enum: STRATEGY_NAMES })
  name!: StrategyName;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } })
  params?: Record<string, number>;

  @ApiPropertyOptional({
    description: 'Clip each update to this L2 distance from the previous global model',
  })
  normBound?: number;

  @ApiPropertyOptional({
    description:
      "Clip each update to this multiple of the round's median update distance from the previous global model (ADR 0017)",
  })
  adaptiveNormBound?: number;

  @ApiPropertyOptional({
    description: "Updates disagreeing with the round's median step are left out (ADR 0017)",
  })
  cosineFilter?: boolean;
}

/** The federation's recorded input scaling: every org feeds the model (x − center) / scale, per feature column. */
export class FeatureScalingDto {
  @ApiProperty({ type: [Number], description: 'Per feature column, in featureColumns order' })
  center!: number[];
  @ApiProperty({
    type: [Number],
    description: 'Per feature column, in featureColumns order; all > 0',
  })
  scale!: number[];
}

/** A federation as recorded on the ledger. */
export class InitialBlobDto {
  @ApiProperty({ description: 'SHA-256 hex of the FLW1-encoded initial weights' }) digest!: string;
  @ApiProperty() byteLength!: number;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer' } } })
  weightShapes!: number[][];
}

export class FederationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: ModelSpecDto }) modelSpec!: ModelSpecDto;
  @ApiProperty({ type: [String] }) featureColumns!: string[];
  @ApiProperty() labelColumn!: string;
  @ApiProperty({ type: HyperParametersDto }) hyperParameters!: HyperParametersDto;
  @ApiProperty({ type: StrategyConfigDto }) strategy!: StrategyConfigDto;
  @ApiProperty({ type: [String] }) invitedOrgs!: string[];
  @ApiProperty() minParticipants!: number;
  @ApiProperty() roundDeadlineSeconds!: number;
  @ApiProperty() rounds!: number;
  @ApiPropertyOptional() maxUpdateBytes?: number;
  @ApiPropertyOptional({
    type: FeatureScalingDto,
    description:
      'The input scaling every participant applies for training, evaluation and predictions; absent on older federations (each org then uses its own statistics)',
  })
  featureScaling?: FeatureScalingDto;

  @ApiPropertyOptional({
    type: IncentivesDto,
    description: 'Contribution scoring and reward pool; absent when the federation scores none',
  })
  incentives?: IncentivesDto;

  @ApiPropertyOptional({
    type: PrivacyDto,
    description: 'Secure aggregation and DP settings; absent when the federation has neither',
  })
  privacy?: PrivacyDto;
  @ApiProperty({
    enum: WEIGHTS_PATHS,
    description:
      'How weights travel between orgs (ADR 0022): private-data (Fabric private data) or blob (content-addressed blobs served by each org gateway over mutual TLS, only digests on the ledger). Chosen by model size at creation (FEDLEDGER_BLOB_MIN_PARAMS, default 250000 parameters); older federations report private-data.',
  })
  weightsPath!: WeightsPath;
  @ApiPropertyOptional({
    type: InitialBlobDto,
    description:
      'Blob path: the initial model as the ledger records it (the creator org serves the bytes)',
  })
  initialBlob?: InitialBlobDto;
  @ApiProperty() creatorMsp!: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'cancelled'] })
  status!: FederationStatus;
  @ApiProperty({
    description: '0 before start; the open round while running; the last round once completed',
  })
  currentRound!: number;
  @ApiProperty({ type: [String] }) participants!: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer' } } })
  weightShapes!: number[][];
  @ApiProperty() paramCount!: number;
  @ApiProperty() initialModelHash!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() txId!: string;
  @ApiPropertyOptional() startedAt?: string;
  @ApiPropertyOptional() endedAt?: string;
  @ApiPropertyOptional() cancelReason?: string;
  @ApiPropertyOptional({
    type: DataSchemaViewDto,
    description: 'Schema federations: the raw-data schema every org reads its CSV with',
  })
  dataSchema?: DataSchemaViewDto;
  @ApiPropertyOptional({
    type: ImputationDto,
    description:
      'Schema federations, once started: the consortium’s fill values for missing numbers',
  })
  imputation?: ImputationDto;
}

export class FederationPageDto {
  @ApiProperty({ type: [FederationDto] }) items!: FederationDto[];
  @ApiProperty({ description: 'Empty when there is nothing more' }) bookmark!: string;
}

/** Maps a ledger federation to its response DTO. */
export function toFederationDto(federation: Federation): FederationDto {
  const dto: FederationDto = {
    id: federation.id,
    name: federation.name,
    modelSpec: {
      format: federation.modelSpec.format,
      topology: federation.modelSpec.topology,
      topologyHash: federation.modelSpec.topologyHash,
    },
    featureColumns: [...federation.featureColumns],
    labelColumn: federation.labelColumn,
    hyperParameters: { ...federation.hyperParameters },
    strategy: { ...federation.strategy },
    invitedOrgs: [...federation.invitedOrgs],
    minParticipants: federation.minParticipants,
    roundDeadlineSeconds: federation.roundDeadlineSeconds,
    rounds: federation.rounds,
    weightsPath: federation.weightsPath ?? 'private-data',
    creatorMsp: federation.creatorMsp,
    status: federation.status,
    currentRound: federation.currentRound,
    participants: [...federation.participants],
    weightShapes: federation.weightShapes.map((shape) => [...shape]),
    paramCount: federation.paramCount,
    initialModelHash: federation.initialModelHash,
    createdAt: federation.createdAt,
    txId: federation.txId,
  };
  if (federation.description !== undefined) dto.description = federation.description;
  if (federation.initialBlob !== undefined)
    dto.initialBlob = {
      ...federation.initialBlob,
      weightShapes: federation.initialBlob.weightShapes.map((shape) => [...shape]),
    };
  if (federation.maxUpdateBytes !== undefined) dto.maxUpdateBytes = federation.maxUpdateBytes;
  if (federation.incentives !== undefined) dto.incentives = { ...federation.incentives };
  if (federation.featureScaling !== undefined)
    dto.featureScaling = {
      center: [...federation.featureScaling.center],
      scale: [...federation.featureScaling.scale],
    };
  if (federation.privacy !== undefined) dto.privacy = toPrivacyDto(federation.privacy);
  if (federation.startedAt !== undefined) dto.startedAt = federation.startedAt;
  if (federation.endedAt !== undefined) dto.endedAt = federation.endedAt;
  if (federation.cancelReason !== undefined) dto.cancelReason = federation.cancelReason;
  if (federation.dataSchema !== undefined)
    dto.dataSchema = JSON.parse(JSON.stringify(federation.dataSchema)) as DataSchemaViewDto;
  if (federation.imputation !== undefined) dto.imputation = toImputationDto(federation.imputation);
  return dto;
}
