import { Module } from '@nestjs/common';
import { IncentivesModule } from '../incentives/incentives.module';
import { ModelsModule } from '../models/models.module';
import { TrainingModule } from '../training/training.module';
import { ParticipationService } from './participation.service';

@Module({ imports: [ModelsModule, TrainingModule, IncentivesModule], providers: [ParticipationService], exports: [ParticipationService] })
export class ParticipationModule {}
