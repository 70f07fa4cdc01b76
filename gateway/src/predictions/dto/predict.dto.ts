import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import type { PredictionReceipt } from '@fedledger/core';
import { IsNumberMatrix } from '../../common/is-number-record';

export const MAX_PREDICTION_ROWS = 10_000;

export const INPUT_SCALINGS = ['federation', 'local-dataset', 'none'] as const;
/** Which scaling turned a prediction request's raw rows into model inputs. */
export type InputScaling = (typeof INPUT_SCALINGS)[number];

export class PredictRequestDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description: 'Rows of raw feature values in the federation’s featureColumns order (the gateway applies the federation’s featureScaling)',
    example: [[63, 1, 27.4]],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTION_ROWS)
  @IsNumberMatrix()
  rows!: number[][];
}

export class PredictionReceiptDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() modelHash!: string;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of the input rows' }) inputHash!: string;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of the predictions' }) outputHash!: string;
  @ApiProperty() count!: number;
  @ApiProperty() requesterMsp!: string;
  @ApiProperty() requesterId!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

export class PredictResponseDto {
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'number' } }, description: 'Model outputs per row (for the binary presets, [probability])' })
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
    description: 'Local dataset whose training statistics standardised the rows; only for federations without a featureScaling (null otherwise)',
  })
  standardizedWith!: string | null;

  @ApiProperty({ type: PredictionReceiptDto })
  receipt!: PredictionReceiptDto;
}

/** Maps a ledger prediction receipt to its DTO. */
export function toPredictionReceiptDto(receipt: PredictionReceipt): PredictionReceiptDto {
  return { ...receipt };
}
