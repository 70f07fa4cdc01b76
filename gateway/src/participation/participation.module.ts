import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { TrainingModule } from '../training/training.module';
import { ParticipationService } from './participation.service';

@Module({ imports: [ModelsModule, TrainingModule], providers: [ParticipationService], exports: [ParticipationService] })
export class ParticipationModule {}
