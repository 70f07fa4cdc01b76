import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ID_PATTERN, ID_PATTERN_MESSAGE } from '../../../platform/common/ids';
import {
  DATASET_FORMATS,
  type DatasetFormat,
  type DatasetRecord,
} from '../../../ml/datasets/dataset-record';
import { SPLIT_MODES, type SplitMode } from '../../../ml/datasets/org-split';
import { MAX_SYNTHETIC_ROWS } from '../../../ml/datasets/synthetic-clinical';

export class RegisterCsvDatasetDto {
  @ApiProperty({ example: 'admissions-2025' })
  @IsString()
  @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` })
  id!: string;
  @ApiProperty({
    description: 'CSV path relative to the gateway’s data directory (must stay inside it)',
    example: 'admissions.csv',
  })
  @IsString()
  @MaxLength(1024)
  path!: string;
  @ApiProperty({ example: 'readmitted_30d' }) @IsString() @MaxLength(200) labelColumn!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'Model input columns in order; default: every column but the label',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  featureColumns?: string[];
  @ApiPropertyOptional({ minimum: 0, maximum: 0.9, default: 0.2 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.9)
  validationFraction?: number;
  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(0xffff_ffff)
  seed?: number;
  @ApiPropertyOptional({
    enum: DATASET_FORMATS,
    default: 'numeric',
    description:
      '`numeric`: every feature a number, the label 0/1 (checked now). `raw`: cells stay text — missing tokens, categories, ' +
      'any column order — and are read under a federation’s data schema when the dataset is bound (accept or create).',
  })
  @IsOptional()
  @IsIn(DATASET_FORMATS)
  format?: DatasetFormat;
  @ApiPropertyOptional({
    description:
      'Raw only: column whose value test/validation/valid/1/true marks a validation (test) row; excluded from the features',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  splitColumn?: string;
  @ApiPropertyOptional({
    description:
      'Raw only: a separate CSV of validation (test) rows, relative to the data directory',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  testPath?: string;
}

export class RegisterSyntheticDatasetDto {
  @ApiProperty({ example: 'synthetic-org1' })
  @IsString()
  @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` })
  id!: string;
  @ApiProperty({ minimum: 0, description: 'This org’s share (0-based)' })
  @IsInt()
  @Min(0)
  @Max(999)
  orgIndex!: number;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(1000) orgCount!: number;
  @ApiProperty({
    minimum: 2,
    maximum: MAX_SYNTHETIC_ROWS,
    description: 'Population size before the split (bounded: generation blocks the gateway)',
  })
  @IsInt()
  @Min(2)
  @Max(MAX_SYNTHETIC_ROWS)
  rows!: number;
  @ApiPropertyOptional({
    enum: ['clinical', 'multisite'],
    default: 'clinical',
    description:
      '`clinical`: numeric features and a 0/1 label, split by mode. `multisite`: each org gets the raw file of one hospital site — its own ' +
      'column order and missing-value token, missing cells, categorical columns, HbA1c never measured at site 2 (recorded as 0), age and ' +
      'readmission-rate shift between sites — registered as a raw dataset to use with the multisite data schema (see the README).',
  })
  @IsOptional()
  @IsIn(['clinical', 'multisite'])
  variant?: 'clinical' | 'multisite';
  @ApiProperty({
    enum: SPLIT_MODES,
    description:
      'clinical variant: how the population is split. `iid`: equal shares. `dirichlet`: each label cut across orgs by Dir(alpha) ' +
      'proportions (label and size skew). `dirichlet-equal-size`: equal shares, each org’s label mix drawn from a Dir(alpha) centred on the population’s (label skew only)',
  })
  @ValidateIf(
    (dto: Partial<RegisterSyntheticDatasetDto>) =>
      dto.variant !== 'multisite' || dto.mode !== undefined,
  )
  @IsIn(SPLIT_MODES)
  mode!: SplitMode;
  @ApiPropertyOptional({ description: 'Dirichlet concentration (both Dirichlet modes)' })
  @IsOptional()
  @IsNumber()
  @Min(1e-3)
  @Max(1e6)
  alpha?: number;
  @ApiProperty({ description: 'Same seed at every org of the consortium' })
  @IsInt()
  @Min(0)
  @Max(0xffff_ffff)
  seed!: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 0.9, default: 0.2 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.9)
  validationFraction?: number;
}

export class SyntheticInfoDto {
  @ApiProperty() orgIndex!: number;
  @ApiProperty() orgCount!: number;
  @ApiProperty() rows!: number;
  @ApiPropertyOptional({ enum: ['clinical', 'multisite'] }) variant?: string;
  @ApiPropertyOptional({ enum: SPLIT_MODES }) mode?: string;
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
  @ApiProperty({ enum: DATASET_FORMATS }) format!: DatasetFormat;
  @ApiPropertyOptional({ type: [String], description: 'Raw datasets: the header in file order' })
  columns?: string[];
  @ApiPropertyOptional() splitColumn?: string;
  @ApiPropertyOptional() testPath?: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Share of rows labelled 1 (numeric datasets; null for raw ones, whose label means something only under a schema)',
  })
  positiveRate!: number | null;
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
    format: record.format ?? 'numeric',
    positiveRate: record.positiveRate ?? null,
    fileSha256: record.fileSha256,
    registeredAt: record.registeredAt,
  };
  if (record.synthetic) dto.synthetic = { ...record.synthetic };
  if (record.columns !== undefined) dto.columns = [...record.columns];
  if (record.splitColumn !== undefined) dto.splitColumn = record.splitColumn;
  if (record.testPath !== undefined) dto.testPath = record.testPath;
  return dto;
}
