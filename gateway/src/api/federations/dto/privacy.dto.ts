import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type {
  DpConfig,
  FixedPointConfig,
  PrivacyBudget,
  PrivacyConfig,
  PrivacySpend,
} from '@fedledger/core';

/**
 * Privacy settings of a federation (input and output), and the budget view. The chaincode checks
 * what needs the rest of the spec (δ below 1/n for n orgs, a strategy that works on sums, a budget
 * that pays for one round) and names the field when it refuses.
 */
export class FixedPointDto {
  @ApiProperty({
    minimum: 1,
    maximum: 2 ** 24,
    description: 'Integer multiplier; the quantization step is 1/scale',
    example: 65536,
  })
  @IsInt()
  @Min(1)
  @Max(2 ** 24)
  scale!: number;

  @ApiProperty({
    exclusiveMinimum: true,
    minimum: 0,
    description:
      'Clipping range of each coordinate of an update’s delta from the round’s start model',
    example: 4,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE)
  @Max(2 ** 20)
  range!: number;
}

export class DpDto {
  @ApiProperty({
    exclusiveMinimum: true,
    minimum: 0,
    description: 'Total ε the federation may spend over its rounds',
    example: 3,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'epsilon must be greater than 0' })
  epsilon!: number;

  @ApiProperty({
    exclusiveMinimum: true,
    minimum: 0,
    description: 'δ; must be below 1/n for the federation’s n orgs',
    example: 1e-5,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'delta must be greater than 0' })
  @Max(0.5, { message: 'delta must be below 1/n for the federation’s n orgs (at most 0.5)' })
  delta!: number;

  @ApiProperty({
    exclusiveMinimum: true,
    minimum: 0,
    description: 'L2 bound each org clips its update’s delta to',
    example: 1,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'clipNorm must be greater than 0' })
  clipNorm!: number;

  @ApiProperty({
    exclusiveMinimum: true,
    minimum: 0,
    description: 'z: the sum carries Gaussian noise of standard deviation z·clipNorm',
    example: 1.1,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE, { message: 'noiseMultiplier must be greater than 0' })
  noiseMultiplier!: number;
}

export class PrivacyInputDto {
  @ApiPropertyOptional({
    description:
      'Pairwise-masked updates; only fedavg, fedavgm and fedadam may run with it; every participant registers a masking key (the gateways do it on create/accept)',
  })
  @IsOptional()
  @IsBoolean()
  secureAggregation?: boolean;

  @ApiPropertyOptional({
    type: FixedPointDto,
    description: 'Defaults to { scale: 65536, range: 4 } with secure aggregation',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FixedPointDto)
  fixedPoint?: FixedPointDto;

  @ApiPropertyOptional({
    type: DpDto,
    description: 'Distributed differential privacy at org level; needs secureAggregation',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DpDto)
  dp?: DpDto;
}

/** The privacy settings as recorded on the ledger. */
export class PrivacyDto {
  @ApiPropertyOptional() secureAggregation?: boolean;
  @ApiPropertyOptional({ type: FixedPointDto }) fixedPoint?: FixedPointDto;
  @ApiPropertyOptional({ type: DpDto }) dp?: DpDto;
}

export class PrivacySpendDto {
  @ApiProperty() round!: number;
  @ApiProperty({
    description: 'ε spent by all rounds up to this one (RDP composition, not a plain sum)',
  })
  epsilonSpent!: number;
  @ApiProperty({ description: 'What this round added' }) epsilonRound!: number;
  @ApiProperty({ description: 'RDP order at which the conversion to (ε, δ) reached its minimum' })
  order!: number;
  @ApiProperty() recordedAt!: string;
  @ApiProperty() txId!: string;
}

/** The auditor’s view of a federation’s privacy (no weights). */
export class PrivacyBudgetDto {
  @ApiProperty() federationId!: string;
  @ApiProperty() secureAggregation!: boolean;
  @ApiProperty({ type: DpDto, nullable: true }) dp!: DpDto | null;
  @ApiProperty({
    nullable: true,
    description: 'Rounds the budget pays for (at most the federation’s rounds); null without DP',
  })
  roundsAllowed!: number | null;
  @ApiProperty({ type: [PrivacySpendDto] }) spends!: PrivacySpendDto[];
  @ApiProperty() epsilonSpent!: number;
  @ApiProperty({ nullable: true }) epsilonRemaining!: number | null;
}

export function toPrivacyConfig(dto: PrivacyInputDto): PrivacyConfig {
  const config: PrivacyConfig = {};
  if (dto.secureAggregation !== undefined) config.secureAggregation = dto.secureAggregation;
  if (dto.fixedPoint !== undefined)
    config.fixedPoint = { scale: dto.fixedPoint.scale, range: dto.fixedPoint.range };
  if (dto.dp !== undefined) config.dp = copyDp(dto.dp);
  return config;
}

export function toPrivacyDto(config: PrivacyConfig): PrivacyDto {
  const dto: PrivacyDto = {};
  if (config.secureAggregation !== undefined) dto.secureAggregation = config.secureAggregation;
  if (config.fixedPoint !== undefined) dto.fixedPoint = copyFixedPoint(config.fixedPoint);
  if (config.dp !== undefined) dto.dp = copyDp(config.dp);
  return dto;
}

export function toPrivacyBudgetDto(budget: PrivacyBudget): PrivacyBudgetDto {
  return {
    federationId: budget.federationId,
    secureAggregation: budget.secureAggregation,
    dp: budget.dp === null ? null : copyDp(budget.dp),
    roundsAllowed: budget.roundsAllowed,
    spends: budget.spends.map((spend: PrivacySpend) => ({
      round: spend.round,
      epsilonSpent: spend.epsilonSpent,
      epsilonRound: spend.epsilonRound,
      order: spend.order,
      recordedAt: spend.recordedAt,
      txId: spend.txId,
    })),
    epsilonSpent: budget.epsilonSpent,
    epsilonRemaining: budget.epsilonRemaining,
  };
}

function copyDp(dp: DpConfig): DpConfig {
  return {
    epsilon: dp.epsilon,
    delta: dp.delta,
    clipNorm: dp.clipNorm,
    noiseMultiplier: dp.noiseMultiplier,
  };
}

function copyFixedPoint(fixedPoint: FixedPointConfig): FixedPointConfig {
  return { scale: fixedPoint.scale, range: fixedPoint.range };
}
