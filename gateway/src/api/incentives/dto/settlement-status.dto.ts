import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SettlementErrorDto {
  @ApiProperty({ description: 'Stable error code of the failed step' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty() at!: string;
}

export class SettlementFollowUpDto {
  @ApiProperty({
    enum: ['working', 'waiting', 'retrying'],
    description:
      "working: scoring this org's utilities or settling now; waiting: for other orgs' utilities or the majority time; retrying: the last attempt failed (lastError)",
  })
  state!: 'working' | 'waiting' | 'retrying';
  @ApiProperty({ description: 'Attempts this gateway made since it started' }) attempts!: number;
  @ApiPropertyOptional({ type: SettlementErrorDto, description: 'The last failed attempt' })
  lastError?: SettlementErrorDto;
  @ApiPropertyOptional({ description: 'When this gateway looks again (events can come first)' })
  nextAttemptAt?: string;
}

/** Why a round's contributions are, or are not yet, settled. */
export class SettlementStatusDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty() settled!: boolean;
  @ApiPropertyOptional({ description: 'The SettleContributions transaction, once settled' })
  txId?: string;
  @ApiProperty({ type: [String], description: 'Participants that recorded utilities' })
  recorded!: string[];
  @ApiProperty({ type: [String], description: 'Participants that have not (yet)' })
  missing!: string[];
  @ApiProperty({
    description: 'Whether SettleContributions would be accepted now (by the gateway’s clock)',
  })
  settleableNow!: boolean;
  @ApiProperty({
    description:
      'Recorders that suffice from majorityFrom on (before it, every participant must record)',
  })
  majorityNeeded!: number;
  @ApiProperty({ description: 'Aggregation time + the round deadline length' })
  majorityFrom!: string;
  @ApiPropertyOptional({
    type: SettlementFollowUpDto,
    description:
      'This gateway’s automatic scoring and settling of the round, while it is not settled (absent when it is not following the round: settled, participation off, or not a participant)',
  })
  automation?: SettlementFollowUpDto;
}
