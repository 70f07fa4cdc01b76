import { Module } from '@nestjs/common';
import { TrainingModule } from '../../ml/training/training.module';
import { CoalitionScoringService } from './coalition-scoring.service';
import { ContributionSettlementService } from './contribution-settlement.service';
import { IncentivesController } from './incentives.controller';
import { IncentivesService } from './incentives.service';

/** Model selection, contribution scoring and rewards (ADR 0018). */
@Module({
  imports: [TrainingModule],
  controllers: [IncentivesController],
  providers: [IncentivesService, CoalitionScoringService, ContributionSettlementService],
  exports: [ContributionSettlementService],
})
export class IncentivesModule {}
