import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  CoalitionPlan,
  ContributionReport,
  OrgContribution,
  RewardBalance,
  UtilityRecord,
} from '@fedledger/core';

export class CoalitionPlanDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ type: [String], description: 'Orgs whose updates the round aggregated, sorted' })
  contributors!: string[];
  @ApiProperty({
    type: [String],
    description:
      "Coalition keys to score: members sorted and joined with ','; '' is the previous global model",
  })
  coalitions!: string[];
  @ApiProperty({ enum: ['exact', 'monte-carlo'] }) method!: 'exact' | 'monte-carlo';
  @ApiPropertyOptional({ description: 'Monte-Carlo only: permutations sampled' })
  permutations?: number;
  @ApiProperty({ description: 'The Aggregate transaction whose id seeds the permutations' })
  seedTxId!: string;
}

export class UtilityRecordDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty() mspId!: string;
  @ApiProperty({ description: 'Validation rows the utilities were measured on' })
  numSamples!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'Coalition key → validation score in [0, 1] (the gateways record the log-loss score 1 − cross-entropy / its maximum)',
  })
  utilities!: Record<string, number>;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

export class OrgContributionDto {
  @ApiProperty() mspId!: string;
  @ApiProperty({
    description:
      'Shapley value of the consortium validation score (log-loss score); may be negative',
  })
  shapley!: number;
  @ApiProperty({ description: 'Rows the update claimed' }) numSamples!: number;
  @ApiProperty({ description: 'L2 distance of the update from the previous global model' })
  updateNorm!: number;
  @ApiProperty({ description: "Cosine of the update's step with the aggregate's step" })
  cosineToAggregate!: number;
  @ApiProperty({ description: 'Credits earned this round' }) credits!: number;
}

export class ContributionReportDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ enum: ['exact', 'monte-carlo'] }) method!: 'exact' | 'monte-carlo';
  @ApiPropertyOptional() permutations?: number;
  @ApiProperty({ description: 'Coalitions scored' }) coalitions!: number;
  @ApiProperty({ type: [String] }) recorders!: string[];
  @ApiProperty({ description: 'Consortium utility of the previous global model' })
  baselineUtility!: number;
  @ApiProperty({ description: 'Consortium utility of every update together' }) fullUtility!: number;
  @ApiProperty({ type: [OrgContributionDto] }) contributions!: OrgContributionDto[];
  @ApiPropertyOptional() creditsPerRound?: number;
  @ApiProperty() creditsAllocated!: number;
  @ApiProperty() settledBy!: string;
  @ApiProperty() settledAt!: string;
  @ApiProperty() txId!: string;
}

export class RewardBalanceDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() mspId!: string;
  @ApiProperty() credits!: number;
  @ApiProperty({ type: [Number], description: 'Rounds whose allocation is included' })
  rounds!: number[];
  @ApiProperty() updatedAt!: string;
  @ApiProperty() txId!: string;
}

export function toCoalitionPlanDto(plan: CoalitionPlan): CoalitionPlanDto {
  return { ...plan, contributors: [...plan.contributors], coalitions: [...plan.coalitions] };
}
export function toUtilityRecordDto(record: UtilityRecord): UtilityRecordDto {
  return { ...record, utilities: { ...record.utilities } };
}
function toOrgContributionDto(contribution: OrgContribution): OrgContributionDto {
  return { ...contribution };
}
export function toContributionReportDto(report: ContributionReport): ContributionReportDto {
  return {
    ...report,
    recorders: [...report.recorders],
    contributions: report.contributions.map(toOrgContributionDto),
  };
}
export function toRewardBalanceDto(balance: RewardBalance): RewardBalanceDto {
  return { ...balance, rounds: [...balance.rounds] };
}
