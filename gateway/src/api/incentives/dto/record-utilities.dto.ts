import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_MESSAGE } from '../../../platform/common/ids';

/** Utilities measured elsewhere, recorded as they are (the chaincode checks coalitions and range). */
export class RecordUtilitiesDto {
  @ApiProperty({ minimum: 1, description: 'Validation rows the utilities were measured on' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  numSamples!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'Every planned coalition (GET …/coalitions) → its validation score in [0, 1] (the gateways record the log-loss score 1 − cross-entropy / its maximum)',
  })
  @IsObject()
  utilities!: Record<string, number>;
}

/** Lets the gateway score the coalitions itself on a local dataset's validation split. */
export class ScoreUtilitiesDto {
  @ApiPropertyOptional({
    description: 'Local dataset to score on; default: the dataset bound to the federation',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `datasetId ${ID_PATTERN_MESSAGE}` })
  datasetId?: string;
}
