import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '@fedledger/core';

/** The body of every error response. */
export class ErrorBodyDto {
  @ApiProperty({ enum: ERROR_CODES, example: 'NOT_FOUND' })
  code!: ErrorCode;

  @ApiProperty({ example: 'federation fed-1 does not exist' })
  message!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  details!: Record<string, unknown> | null;
}

/** Builds an error body. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ErrorBodyDto {
  return { code, message, details: details ?? null };
}
