import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { Consortium, OrgRole, RoleChangeProposal } from '@fedledger/core';
import { MSP_ID_PATTERN } from '../../../platform/common/ids';

const ORG_ROLES: readonly OrgRole[] = ['member', 'auditor'];

export class ConsortiumMemberDto {
  @ApiProperty({ example: 'Org1MSP' }) @IsString() @Matches(MSP_ID_PATTERN) mspId!: string;
  @ApiProperty({ enum: ORG_ROLES }) @IsIn(ORG_ROLES) role!: OrgRole;
}

export class InitConsortiumDto {
  @ApiProperty({ type: [ConsortiumMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ConsortiumMemberDto)
  members!: ConsortiumMemberDto[];
}

export class ProposeRoleChangeDto extends ConsortiumMemberDto {}

export class ProposalParamsDto {
  @ApiProperty() @IsString() @MaxLength(128) @Matches(/^[A-Za-z0-9._:-]+$/) proposalId!: string;
}

export class ConsortiumDto {
  @ApiProperty({ type: [ConsortiumMemberDto] }) members!: ConsortiumMemberDto[];
  @ApiProperty() initializedAt!: string;
  @ApiProperty() initializedBy!: string;
  @ApiProperty() txId!: string;
}

export class RoleChangeProposalDto {
  @ApiProperty() id!: string;
  @ApiProperty() mspId!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
  @ApiProperty() proposedBy!: string;
  @ApiProperty({ type: [String] }) approvals!: string[];
  @ApiProperty() approvalsRequired!: number;
  @ApiProperty({ enum: ['open', 'applied'] }) status!: 'open' | 'applied';
  @ApiProperty() createdAt!: string;
  @ApiProperty() txId!: string;
}

/** Maps the consortium record. */
export function toConsortiumDto(consortium: Consortium): ConsortiumDto {
  return {
    ...consortium,
    members: consortium.members.map((member) => ({ mspId: member.mspId, role: member.role })),
  };
}

/** Maps a role change proposal. */
export function toRoleChangeProposalDto(proposal: RoleChangeProposal): RoleChangeProposalDto {
  return { ...proposal, approvals: [...proposal.approvals] };
}
