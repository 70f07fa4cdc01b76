import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { TrainingModule } from '../../ml/training/training.module';
import { PredictionsController } from './predictions.controller';
import { PredictionsService } from './predictions.service';

@Module({
  imports: [ModelsModule, TrainingModule],
  controllers: [PredictionsController],
  providers: [PredictionsService],
})
export class PredictionsModule {}
