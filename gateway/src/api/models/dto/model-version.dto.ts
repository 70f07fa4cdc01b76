import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Contribution, Evaluation, ModelVerification, ModelVersion } from '@fedledger/core';
import { FeatureScalingDto, StrategyConfigDto } from '../../federations/dto/federation.dto';

export class ContributionDto {
  @ApiProperty() mspId!: string;
  @ApiProperty() numSamples!: number;
  @ApiProperty() digest!: string;
  @ApiProperty() accepted!: boolean;
  @ApiProperty({ description: 'Share of the new model this update carried' }) weight!: number;
  @ApiPropertyOptional() score?: number;
  @ApiPropertyOptional() reason?: string;
}

export class EvaluationDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() mspId!: string;
  @ApiProperty() numSamples!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) metrics!: Record<
    string,
    number
  >;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

export class ModelVersionDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() round!: number;
  @ApiProperty({ description: 'SHA-256 hex of the FLW1-encoded weights' }) modelHash!: string;
  @ApiProperty({ type: String, nullable: true }) parentHash!: string | null;
  @ApiProperty({ type: StrategyConfigDto }) strategy!: StrategyConfigDto;
  @ApiProperty({ type: [ContributionDto] }) contributors!: ContributionDto[];
  @ApiProperty() paramCount!: number;
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer' } } })
  weightShapes!: number[][];
  @ApiPropertyOptional({
    type: [String],
    description:
      'Blob path (ADR 0022): the orgs whose gateways hold and serve these weights (the creator for version 0, the attesting majority after)',
  })
  servedBy?: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() txId!: string;
  @ApiProperty({ type: [EvaluationDto] }) evaluations!: EvaluationDto[];
  @ApiProperty({ type: [String] }) approvals!: string[];
  @ApiProperty() approvalsRequired!: number;
  @ApiProperty() deployed!: boolean;
}

export class ModelVerificationDto {
  @ApiProperty() modelHash!: string;
  @ApiProperty() found!: boolean;
  @ApiPropertyOptional() federationId?: string;
  @ApiPropertyOptional() version?: number;
  @ApiPropertyOptional() round?: number;
  @ApiPropertyOptional() createdAt?: string;
}

/** The model as TensorFlow.js artifacts in one JSON document. */
export class TfjsModelBundleDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() modelHash!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'tfjs model.json; its weightsManifest points at weights.bin',
  })
  modelJson!: Record<string, unknown>;
  @ApiProperty({ description: 'weights.bin, base64' }) weightsBinBase64!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'The model inputs, in order (the federation’s featureColumns)',
  })
  featureColumns?: string[];
  @ApiPropertyOptional({
    type: FeatureScalingDto,
    description:
      'The federation’s input scaling: feed the model (x − center) / scale per feature column; absent for federations without one',
  })
  featureScaling?: FeatureScalingDto;
}

/** Maps an evaluation to its DTO. */
export function toEvaluationDto(evaluation: Evaluation): EvaluationDto {
  return { ...evaluation, metrics: { ...evaluation.metrics } };
}

/** Maps a contribution to its DTO. */
export function toContributionDto(contribution: Contribution): ContributionDto {
  return { ...contribution };
}

/** Maps a model version to its DTO. */
export function toModelVersionDto(model: ModelVersion): ModelVersionDto {
  return {
    federationId: model.federationId,
    version: model.version,
    round: model.round,
    modelHash: model.modelHash,
    parentHash: model.parentHash,
    strategy: { ...model.strategy },
    contributors: model.contributors.map(toContributionDto),
    paramCount: model.paramCount,
    weightShapes: model.weightShapes.map((shape) => [...shape]),
    createdAt: model.createdAt,
    txId: model.txId,
    evaluations: model.evaluations.map(toEvaluationDto),
    approvals: [...model.approvals],
    approvalsRequired: model.approvalsRequired,
    deployed: model.deployed,
    ...(model.servedBy !== undefined ? { servedBy: [...model.servedBy] } : {}),
  };
}

/** Maps a verification answer to its DTO. */
export function toModelVerificationDto(verification: ModelVerification): ModelVerificationDto {
  return { ...verification };
}
