import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_MESSAGE } from './ids';

export class FederationParamsDto {
  @ApiProperty({ example: 'readmission-2026' })
  @IsString()
  @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` })
  id!: string;
}

export class RoundParamsDto extends FederationParamsDto {
  @ApiProperty({ minimum: 1, example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  round!: number;
}

export class VersionParamsDto extends FederationParamsDto {
  @ApiProperty({
    minimum: 0,
    example: 1,
    description: '0 is the initial model; version r aggregates round r',
  })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  version!: number;
}

export class DatasetParamsDto {
  @ApiProperty({ example: 'admissions-2025' })
  @IsString()
  @Matches(ID_PATTERN, { message: `id ${ID_PATTERN_MESSAGE}` })
  id!: string;
}
