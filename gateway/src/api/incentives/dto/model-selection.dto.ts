import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  SELECTION_METRICS,
  type ModelSelection,
  type SelectionMetric,
  type VersionScore,
} from '@fedledger/core';

export class ModelSelectionQueryDto {
  @ApiPropertyOptional({
    enum: SELECTION_METRICS,
    default: 'accuracy',
    description: 'Metric to select by (loss: lower is better)',
  })
  @IsOptional()
  @IsIn(SELECTION_METRICS)
  metric?: SelectionMetric;
}

export class VersionScoreDto {
  @ApiProperty() version!: number;
  @ApiProperty() round!: number;
  @ApiProperty() modelHash!: string;
  @ApiProperty({ description: "Sample-weighted mean of the orgs' validation metric" })
  value!: number;
  @ApiProperty({ description: 'Validation rows behind the value' }) numSamples!: number;
  @ApiProperty({ type: [String] }) evaluatedBy!: string[];
  @ApiProperty({
    description: 'Evaluated by at least a majority of the participants (only then selectable)',
  })
  eligible!: boolean;
}

export class ModelSelectionDto {
  @ApiProperty() federationId!: string;
  @ApiProperty({ enum: SELECTION_METRICS }) metric!: SelectionMetric;
  @ApiProperty() higherIsBetter!: boolean;
  @ApiProperty() participants!: number;
  @ApiProperty({ type: [VersionScoreDto] }) versions!: VersionScoreDto[];
  @ApiPropertyOptional({
    type: VersionScoreDto,
    description: 'The best eligible round so far; approve it with POST …/models/{version}/approve',
  })
  best?: VersionScoreDto;
  @ApiProperty() latestVersion!: number;
}

function toVersionScoreDto(score: VersionScore): VersionScoreDto {
  return { ...score, evaluatedBy: [...score.evaluatedBy] };
}
export function toModelSelectionDto(selection: ModelSelection): ModelSelectionDto {
  const dto: ModelSelectionDto = {
    ...selection,
    versions: selection.versions.map(toVersionScoreDto),
  };
  if (selection.best) dto.best = toVersionScoreDto(selection.best);
  else delete dto.best;
  return dto;
}
