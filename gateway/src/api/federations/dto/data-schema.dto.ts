import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  IMPUTATION_METHODS,
  type ColumnSchema,
  type DataSchema,
  type ImputationMethod,
  type Imputation,
} from '@fedledger/core';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** Missing-value tokens when the creator gives none: an empty cell, `?`, `NA`. */
export const DEFAULT_MISSING_TOKENS = ['', '?', 'NA'];

export class ColumnSchemaDto {
  @ApiProperty({ example: 'age' }) @IsString() @MaxLength(256) name!: string;
  @ApiProperty({ enum: ['numeric', 'categorical'] }) @IsIn(['numeric', 'categorical']) type!:
    'numeric' | 'categorical';
  @ApiPropertyOptional({
    description: 'numeric: smallest valid value (smaller ones make the dataset incompatible)',
  })
  @IsOptional()
  @IsNumber(FINITE)
  min?: number;
  @ApiPropertyOptional({ description: 'numeric: largest valid value' })
  @IsOptional()
  @IsNumber(FINITE)
  max?: number;
  @ApiPropertyOptional({
    type: [Number],
    example: [0],
    description:
      'numeric: values that mean "not measured" (e.g. 0 where a site records nothing as 0)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsNumber(FINITE, { each: true })
  missingValues?: number[];
  @ApiPropertyOptional({
    type: [String],
    example: ['typical', 'atypical', 'none'],
    description: 'categorical: the declared levels, one-hot encoded in this order at every org',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  levels?: string[];
}

export class LabelSchemaDto {
  @ApiProperty({ example: 'readmitted', description: 'One of the schema’s columns' })
  @IsString()
  @MaxLength(256)
  column!: string;
  @ApiProperty({
    type: [String],
    example: ['yes'],
    description: 'Cell values that mean positive (1); numbers for a numeric label column',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsString({ each: true })
  positiveValues!: string[];
}

export class ImputationPolicyDto {
  @ApiPropertyOptional({
    enum: IMPUTATION_METHODS,
    default: 'mean',
    description:
      'Fill missing numbers with the consortium mean or median (median needs min and max on numeric columns)',
  })
  @IsOptional()
  @IsIn(IMPUTATION_METHODS)
  method?: ImputationMethod;
  @ApiPropertyOptional({ default: false, description: 'Add a 0/1 “was missing” input per column' })
  @IsOptional()
  @IsBoolean()
  indicators?: boolean;
}

/** The federation's data schema as the creator gives it (see docs: bring your own CSV). */
export class DataSchemaDto {
  @ApiProperty({
    type: [ColumnSchemaDto],
    description:
      'Every column the federation reads, the label included; order in the files does not matter',
  })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(1024)
  @ValidateNested({ each: true })
  @Type(() => ColumnSchemaDto)
  columns!: ColumnSchemaDto[];
  @ApiProperty({ type: LabelSchemaDto })
  @ValidateNested()
  @Type(() => LabelSchemaDto)
  label!: LabelSchemaDto;
  @ApiPropertyOptional({
    type: [String],
    default: DEFAULT_MISSING_TOKENS,
    description: 'Cell texts (trimmed) that mean missing',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  missingTokens?: string[];
  @ApiPropertyOptional({ type: ImputationPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ImputationPolicyDto)
  imputation?: ImputationPolicyDto;
}

/** The schema as recorded (defaults filled in). */
export function toDataSchema(dto: DataSchemaDto): DataSchema {
  const columns = dto.columns.map((column): ColumnSchema => {
    if (column.type === 'categorical')
      return { name: column.name, type: 'categorical', levels: [...(column.levels ?? [])] };
    const numeric: ColumnSchema = { name: column.name, type: 'numeric' };
    if (column.min !== undefined) numeric.min = column.min;
    if (column.max !== undefined) numeric.max = column.max;
    if (column.missingValues !== undefined) numeric.missingValues = [...column.missingValues];
    return numeric;
  });
  return {
    columns,
    label: { column: dto.label.column, positiveValues: [...dto.label.positiveValues] },
    missingTokens: [...(dto.missingTokens ?? DEFAULT_MISSING_TOKENS)],
    imputation: {
      method: dto.imputation?.method ?? 'mean',
      indicators: dto.imputation?.indicators ?? false,
    },
  };
}

/** Response: the recorded schema. */
export class DataSchemaViewDto {
  @ApiProperty({ type: [ColumnSchemaDto] }) columns!: ColumnSchemaDto[];
  @ApiProperty({ type: LabelSchemaDto }) label!: LabelSchemaDto;
  @ApiProperty({ type: [String] }) missingTokens!: string[];
  @ApiProperty({ type: ImputationPolicyDto }) imputation!: ImputationPolicyDto;
}

/** Response: the consortium's imputation values, fixed at start. */
export class ImputationDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Fill value per numeric input column',
  })
  values!: Record<string, number>;
  @ApiProperty({ type: [String], description: 'Orgs whose data profiles it was computed from' })
  fromOrgs!: string[];
  @ApiProperty({ description: 'Training rows of those orgs in all' }) rows!: number;
}

export function toImputationDto(imputation: Imputation): ImputationDto {
  return {
    values: { ...imputation.values },
    fromOrgs: [...imputation.fromOrgs],
    rows: imputation.rows,
  };
}
