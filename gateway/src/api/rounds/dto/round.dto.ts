import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Round, RoundStatus, UpdateMetadata } from '@fedledger/core';

/** A participant's report that it could not train the round. */
export class TrainingFailureDto {
  @ApiProperty() mspId!: string;
  @ApiProperty({ example: 'dataset "site2" no longer matches the schema: …' }) reason!: string;
}

export class RoundDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ enum: ['open', 'aggregated'] }) status!: RoundStatus;
  @ApiProperty() openedAt!: string;
  @ApiProperty() deadline!: string;
  @ApiProperty({ type: [String], description: 'Orgs that submitted, sorted' }) submitted!: string[];
  @ApiProperty({
    type: [TrainingFailureDto],
    description: 'Participants that reported they could not train this round, and why',
  })
  failed!: TrainingFailureDto[];
  @ApiPropertyOptional() aggregatedAt?: string;
  @ApiPropertyOptional() modelVersion?: number;
}

/** Public metadata of one org's update (the weights stay in the private collection). */
export class UpdateMetadataDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty() mspId!: string;
  @ApiProperty() numSamples!: number;
  @ApiProperty({ description: 'SHA-256 hex of the encoded weights' }) digest!: string;
  @ApiProperty({ description: 'L2 distance from the round’s starting global model' }) norm!: number;
  @ApiProperty() byteLength!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) metrics!: Record<
    string,
    number
  >;
  @ApiPropertyOptional({
    description:
      'True under secure aggregation: the digest is of the masked update and norm is 0 (only the owner knows it)',
  })
  masked?: boolean;
  @ApiPropertyOptional({
    description:
      'Blob path (ADR 0022): the org whose gateway serves the update bytes; norm is then 0 (not computed on the ledger)',
  })
  servedBy?: string;
  @ApiProperty() submittedBy!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() txId!: string;
}

/** Maps a ledger round to its DTO. */
export function toRoundDto(round: Round): RoundDto {
  const dto: RoundDto = {
    federationId: round.federationId,
    round: round.round,
    status: round.status,
    openedAt: round.openedAt,
    deadline: round.deadline,
    submitted: [...round.submitted],
    failed: (round.failed ?? []).map((failure) => ({ ...failure })),
  };
  if (round.aggregatedAt !== undefined) dto.aggregatedAt = round.aggregatedAt;
  if (round.modelVersion !== undefined) dto.modelVersion = round.modelVersion;
  return dto;
}

/** Maps update metadata to its DTO. */
export function toUpdateMetadataDto(update: UpdateMetadata): UpdateMetadataDto {
  return {
    federationId: update.federationId,
    round: update.round,
    mspId: update.mspId,
    numSamples: update.numSamples,
    digest: update.digest,
    norm: update.norm,
    byteLength: update.byteLength,
    metrics: { ...update.metrics },
    ...(update.masked !== undefined ? { masked: update.masked } : {}),
    ...(update.servedBy !== undefined ? { servedBy: update.servedBy } : {}),
    submittedBy: update.submittedBy,
    submittedAt: update.submittedAt,
    txId: update.txId,
  };
}
