import { Module } from '@nestjs/common';
import { TrainingModule } from '../../ml/training/training.module';
import { TrainingEventsController } from './training-events.controller';

@Module({ imports: [TrainingModule], controllers: [TrainingEventsController] })
export class TrainingApiModule {}
