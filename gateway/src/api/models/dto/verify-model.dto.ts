import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBase64, IsOptional, Matches } from 'class-validator';

/** Either the SHA-256 of a model file, or the FLW1 file itself in base64. */
export class VerifyModelDto {
  @ApiPropertyOptional({ description: 'SHA-256 hex of the FLW1-encoded weights', example: 'ab12…' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'modelHash must be 64 lowercase hex characters' })
  modelHash?: string;

  @ApiPropertyOptional({
    description: 'The FLW1 weights file (as downloaded from …/weights.flw1), base64',
  })
  @IsOptional()
  @IsBase64()
  weightsBase64?: string;
}
