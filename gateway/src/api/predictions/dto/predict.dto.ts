import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  ValidateIf,
} from 'class-validator';
import type { RawRecord } from '../../../ml/schema/schema-records';
import type { PredictionReceipt } from '@fedledger/core';
import { IsNumberMatrix } from '../../../platform/common/is-number-record';

export const MAX_PREDICTION_ROWS = 10_000;

export const INPUT_SCALINGS = ['federation', 'local-dataset', 'none'] as const;
/** Which scaling turned a prediction request's raw rows into model inputs. */
export type InputScaling = (typeof INPUT_SCALINGS)[number];

export class PredictRequestDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description:
      'Rows of raw feature values in the federation’s featureColumns order (the gateway applies the federation’s featureScaling)',
    example: [[63, 1, 27.4]],
  })
  @ValidateIf((dto: PredictRequestDto) => dto.records === undefined || dto.rows !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTION_ROWS)
  @IsNumberMatrix()
  rows?: number[][];

  @ApiPropertyOptional({
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true },
    },
    description:
      'Schema federations: raw records by column name, as in the CSVs (categories as text, missing tokens, absent or null = missing); ' +
      'the gateway encodes, imputes and scales them exactly as in training. Give either rows or records.',
    example: [{ age: 63, chest_pain: 'typical', cholesterol: '?' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTION_ROWS)
  @IsObject({ each: true })
  records?: RawRecord[];
}

export class PredictionReceiptDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() modelHash!: string;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of the input rows' })
  inputHash!: string;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of the predictions' })
  outputHash!: string;
  @ApiProperty() count!: number;
  @ApiProperty() requesterMsp!: string;
  @ApiProperty() requesterId!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

export class PredictResponseDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description: 'Model outputs per row (for the binary presets, [probability])',
  })
  predictions!: number[][];

  @ApiPropertyOptional({
    enum: INPUT_SCALINGS,
    description:
      'How the raw rows were scaled into model inputs: `federation` (the federation’s recorded featureScaling, the same at every org), ' +
      '`local-dataset` (a federation without one: the bound dataset’s own training statistics, see standardizedWith), `none` (rows used as given)',
  })
  inputScaling?: InputScaling;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Local dataset whose training statistics standardised the rows; only for federations without a featureScaling (null otherwise)',
  })
  standardizedWith!: string | null;

  @ApiProperty({ type: PredictionReceiptDto })
  receipt!: PredictionReceiptDto;
}

/** Maps a ledger prediction receipt to its DTO. */
export function toPredictionReceiptDto(receipt: PredictionReceipt): PredictionReceiptDto {
  return { ...receipt };
}
