import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `incentives` of a federation: present turns contribution scoring on; `creditsPerRound` adds a reward pool. */
export class IncentivesDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1_000_000_000,
    description:
      'Reward pool: positive integer credits split after each round by positive Shapley value',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  creditsPerRound?: number;
}
