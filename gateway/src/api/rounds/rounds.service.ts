import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/api-key-store';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import {
  type RoundDto,
  toRoundDto,
  toUpdateMetadataDto,
  type UpdateMetadataDto,
} from './dto/round.dto';

@Injectable()
export class RoundsService {
  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  async get(principal: Principal, federationId: string, round: number): Promise<RoundDto> {
    return toRoundDto(await this.ledger.ledgerFor(principal.role).getRound(federationId, round));
  }

  async listUpdates(
    principal: Principal,
    federationId: string,
    round: number,
  ): Promise<UpdateMetadataDto[]> {
    return (await this.ledger.ledgerFor(principal.role).listUpdates(federationId, round)).map(
      toUpdateMetadataDto,
    );
  }
}
