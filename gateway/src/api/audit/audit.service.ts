import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/api-key-store';
import { DEFAULT_PAGE_SIZE } from '../../platform/common/pagination.dto';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { type ModelVerificationDto, toModelVerificationDto } from '../models/dto/model-version.dto';
import {
  type AuditPageDto,
  type KeyHistoryEntryDto,
  toAuditPageDto,
  toKeyHistoryEntryDto,
} from './dto/audit.dto';

@Injectable()
export class AuditService {
  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  async federationTimeline(
    principal: Principal,
    federationId: string,
    pageSize = DEFAULT_PAGE_SIZE,
    bookmark = '',
  ): Promise<AuditPageDto> {
    return toAuditPageDto(
      await this.ledger.ledgerFor(principal.role).listTimeline(federationId, pageSize, bookmark),
    );
  }

  async consortiumTimeline(
    principal: Principal,
    pageSize = DEFAULT_PAGE_SIZE,
    bookmark = '',
  ): Promise<AuditPageDto> {
    return toAuditPageDto(
      await this.ledger.ledgerFor(principal.role).listConsortiumTimeline(pageSize, bookmark),
    );
  }

  async keyHistory(
    principal: Principal,
    objectType: string,
    attributes: string[],
  ): Promise<KeyHistoryEntryDto[]> {
    return (await this.ledger.ledgerFor(principal.role).getKeyHistory(objectType, attributes)).map(
      toKeyHistoryEntryDto,
    );
  }

  async verifyModel(principal: Principal, modelHash: string): Promise<ModelVerificationDto> {
    return toModelVerificationDto(
      await this.ledger.ledgerFor(principal.role).verifyModelHash(modelHash),
    );
  }
}
