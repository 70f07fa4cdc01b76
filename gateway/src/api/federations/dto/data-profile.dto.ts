import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataProfile } from '@fedledger/core';

export class ColumnProfileDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['numeric', 'categorical'] }) type!: 'numeric' | 'categorical';
  @ApiProperty({ description: 'Rows where the value is missing' }) missing!: number;
  @ApiProperty({ description: 'missing / rows' }) missingRate!: number;
  @ApiPropertyOptional({
    description: 'numeric: mean of the observed values (null when none)',
    type: Number,
    nullable: true,
  })
  mean?: number | null;
  @ApiPropertyOptional({
    type: [Number],
    description: 'categorical: rows per level, in the schema’s level order',
  })
  levelCounts?: number[];
}

export class DataProfileDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() mspId!: string;
  @ApiProperty({ description: 'Training rows' }) rows!: number;
  @ApiProperty() positives!: number;
  @ApiProperty({ type: [ColumnProfileDto] }) columns!: ColumnProfileDto[];
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

export class DatasetBindingDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() datasetId!: string;
  @ApiProperty({
    description: 'Whether this org’s data profile was recorded again (pending schema federations)',
  })
  profileRecorded!: boolean;
}

/** A recorded profile with its per-column missing rates (what the consortium compares across sites). */
export function toDataProfileDto(profile: DataProfile): DataProfileDto {
  return {
    federationId: profile.federationId,
    mspId: profile.mspId,
    rows: profile.rows,
    positives: profile.positives,
    columns: profile.columns.map((column) => {
      const base = {
        name: column.name,
        type: column.type,
        missing: column.missing,
        missingRate: column.missing / profile.rows,
      };
      if (column.type === 'categorical') return { ...base, levelCounts: [...column.levelCounts] };
      const observed = profile.rows - column.missing;
      return { ...base, mean: observed > 0 ? column.sum / observed : null };
    }),
    recordedAt: profile.recordedAt,
    txId: profile.txId,
  };
}
