import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/api-key-store';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import type { ConsortiumMemberDto } from './dto/consortium.dto';
import {
  type ConsortiumDto,
  type RoleChangeProposalDto,
  toConsortiumDto,
  toRoleChangeProposalDto,
} from './dto/consortium.dto';

@Injectable()
export class ConsortiumService {
  constructor(@Inject(LEDGER) private readonly ledger: LedgerProvider) {}

  async init(principal: Principal, members: ConsortiumMemberDto[]): Promise<ConsortiumDto> {
    return toConsortiumDto(
      await this.ledger
        .ledgerFor(principal.role)
        .initConsortium(members.map(({ mspId, role }) => ({ mspId, role }))),
    );
  }

  async get(principal: Principal): Promise<ConsortiumDto> {
    return toConsortiumDto(await this.ledger.ledgerFor(principal.role).getConsortium());
  }

  async propose(principal: Principal, change: ConsortiumMemberDto): Promise<RoleChangeProposalDto> {
    return toRoleChangeProposalDto(
      await this.ledger.ledgerFor(principal.role).proposeRoleChange(change.mspId, change.role),
    );
  }

  async approve(principal: Principal, proposalId: string): Promise<RoleChangeProposalDto> {
    return toRoleChangeProposalDto(
      await this.ledger.ledgerFor(principal.role).approveRoleChange(proposalId),
    );
  }

  async getProposal(principal: Principal, proposalId: string): Promise<RoleChangeProposalDto> {
    return toRoleChangeProposalDto(
      await this.ledger.ledgerFor(principal.role).getRoleChange(proposalId),
    );
  }
}
