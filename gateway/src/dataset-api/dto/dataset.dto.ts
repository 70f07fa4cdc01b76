import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_MESSAGE } from '../../common/ids';
import type { DatasetRecord } from '../../datasets/dataset-record';
import { MAX_SYNTHETIC_ROWS } from '../../datasets/synthetic-clinical';

export class RegisterCsvDatasetDto {
  @ApiProperty({ example: 'admissions-2025' }) @IsString() @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` }) id!: string;
  @ApiProperty({ description: 'CSV path relative to the gateway’s data directory (must stay inside it)', example: 'admissions.csv' })
  @IsString()
  @MaxLength(1024)
  path!: string;
  @ApiProperty({ example: 'readmitted_30d' }) @IsString() @MaxLength(200) labelColumn!: string;
  @ApiPropertyOptional({ type: [String], description: 'Model input columns in order; default: every column but the label' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  featureColumns?: string[];
  @ApiPropertyOptional({ minimum: 0, maximum: 0.9, default: 0.2 }) @IsOptional() @IsNumber() @Min(0) @Max(0.9) validationFraction?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(0xffff_ffff) seed?: number;
}

export class RegisterSyntheticDatasetDto {
  @ApiProperty({ example: 'synthetic-org1' }) @IsString() @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` }) id!: string;
  @ApiProperty({ minimum: 0, description: 'This org’s share (0-based)' }) @IsInt() @Min(0) @Max(999) orgIndex!: number;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(1000) orgCount!: number;
  @ApiProperty({ minimum: 2, maximum: MAX_SYNTHETIC_ROWS, description: 'Population size before the split (bounded: generation blocks the gateway)' })
  @IsInt()
  @Min(2)
  @Max(MAX_SYNTHETIC_ROWS)
  rows!: number;
  @ApiProperty({ enum: ['iid', 'dirichlet'] }) @IsIn(['iid', 'dirichlet']) mode!: 'iid' | 'dirichlet';
  @ApiPropertyOptional({ description: 'Dirichlet concentration (mode dirichlet)' }) @IsOptional() @IsNumber() @Min(1e-3) @Max(1e6) alpha?: number;
  @ApiProperty({ description: 'Same seed at every org of the consortium' }) @IsInt() @Min(0) @Max(0xffff_ffff) seed!: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 0.9, default: 0.2 }) @IsOptional() @IsNumber() @Min(0) @Max(0.9) validationFraction?: number;
}

export class SyntheticInfoDto {
  @ApiProperty() orgIndex!: number;
  @ApiProperty() orgCount!: number;
  @ApiProperty() rows!: number;
  @ApiProperty({ enum: ['iid', 'dirichlet'] }) mode!: string;
  @ApiPropertyOptional() alpha?: number;
  @ApiProperty() seed!: number;
}

export class DatasetDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['csv', 'synthetic'] }) source!: 'csv' | 'synthetic';
  @ApiProperty({ description: 'Relative to the data directory' }) path!: string;
  @ApiProperty() labelColumn!: string;
  @ApiProperty({ type: [String] }) featureColumns!: string[];
  @ApiProperty() validationFraction!: number;
  @ApiProperty() seed!: number;
  @ApiProperty() numRows!: number;
  @ApiProperty() numTrain!: number;
  @ApiProperty() numValidation!: number;
  @ApiProperty() positiveRate!: number;
  @ApiProperty() fileSha256!: string;
  @ApiProperty() registeredAt!: string;
  @ApiPropertyOptional({ type: SyntheticInfoDto }) synthetic?: SyntheticInfoDto;
}

/** Maps a dataset record to its DTO. */
export function toDatasetDto(record: DatasetRecord): DatasetDto {
  const dto: DatasetDto = {
    id: record.id,
    source: record.source,
    path: record.path,
    labelColumn: record.labelColumn,
    featureColumns: [...record.featureColumns],
    validationFraction: record.validationFraction,
    seed: record.seed,
    numRows: record.numRows,
    numTrain: record.numTrain,
    numValidation: record.numValidation,
    positiveRate: record.positiveRate,
    fileSha256: record.fileSha256,
    registeredAt: record.registeredAt,
  };
  if (record.synthetic) dto.synthetic = { ...record.synthetic };
  return dto;
}
