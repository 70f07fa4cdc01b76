import { ApiProperty } from '@nestjs/swagger';
import type { Federation, Round, UpdateMetadata } from '@fedledger/core';
import {
  RoundDto,
  toRoundDto,
  toUpdateMetadataDto,
  UpdateMetadataDto,
} from '../../rounds/dto/round.dto';

export class FederationStatusDto {
  @ApiProperty() federationId!: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'cancelled'] }) status!: string;
  @ApiProperty() currentRound!: number;
  @ApiProperty() rounds!: number;
  @ApiProperty({ type: [String] }) participants!: string[];
  @ApiProperty({ type: RoundDto, nullable: true }) round!: RoundDto | null;
  @ApiProperty({
    type: [UpdateMetadataDto],
    description: 'Updates submitted for the current round',
  })
  submissions!: UpdateMetadataDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The local dataset bound to this federation on this gateway',
  })
  localDatasetId!: string | null;
}

/** Maps a federation, its current round and that round's updates to the status DTO. */
export function toFederationStatusDto(
  federation: Federation,
  round: Round | null,
  updates: UpdateMetadata[],
  localDatasetId: string | null,
): FederationStatusDto {
  return {
    federationId: federation.id,
    status: federation.status,
    currentRound: federation.currentRound,
    rounds: federation.rounds,
    participants: [...federation.participants],
    round: round ? toRoundDto(round) : null,
    submissions: updates.map(toUpdateMetadataDto),
    localDatasetId,
  };
}
