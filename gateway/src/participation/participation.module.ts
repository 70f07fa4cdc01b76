import { Module } from '@nestjs/common';
import { IncentivesModule } from '../api/incentives/incentives.module';
import { ModelsModule } from '../api/models/models.module';
import { TrainingModule } from '../ml/training/training.module';
import { ParticipationService } from './participation.service';

@Module({
  imports: [ModelsModule, TrainingModule, IncentivesModule],
  providers: [ParticipationService],
  exports: [ParticipationService],
})
export class ParticipationModule {}
