import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { AuditEntry, KeyHistoryEntry, Page } from '@fedledger/core';

export class AuditEntryDto {
  @ApiProperty() txId!: string;
  @ApiProperty() timestamp!: string;
  @ApiProperty() actorMsp!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty({ example: 'SubmitUpdate' }) action!: string;
  @ApiProperty({ example: 'federation/fed-1/round/2' }) target!: string;
  @ApiPropertyOptional() federationId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<
    string,
    unknown
  >;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty() bookmark!: string;
}

export class KeyHistoryEntryDto {
  @ApiProperty() txId!: string;
  @ApiProperty() timestamp!: string;
  @ApiProperty() isDelete!: boolean;
  @ApiProperty({
    description: 'The value written by that transaction (decoded JSON)',
    nullable: true,
  })
  value!: unknown;
}

export class KeyHistoryParamsDto {
  @ApiProperty({ example: 'federation', description: 'Composite-key object type' })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/)
  objectType!: string;
}

export class KeyHistoryQueryDto {
  @ApiProperty({
    type: [String],
    description: 'Composite-key attributes, comma-separated or repeated',
    example: ['fed-1'],
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',') : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(128, { each: true })
  attributes!: string[];
}

export class ModelHashParamsDto {
  @ApiProperty({ description: 'SHA-256 hex of the FLW1 weights' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'modelHash must be 64 lowercase hex characters' })
  modelHash!: string;
}

/** Maps an audit entry to its DTO. */
export function toAuditEntryDto(entry: AuditEntry): AuditEntryDto {
  return { ...entry };
}

/** Maps a page of audit entries. */
export function toAuditPageDto(page: Page<AuditEntry>): AuditPageDto {
  return { items: page.items.map(toAuditEntryDto), bookmark: page.bookmark };
}

/** Maps a key history entry. */
export function toKeyHistoryEntryDto(entry: KeyHistoryEntry): KeyHistoryEntryDto {
  return {
    txId: entry.txId,
    timestamp: entry.timestamp,
    isDelete: entry.isDelete,
    value: entry.value,
  };
}
