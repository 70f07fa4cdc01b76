import { Module } from '@nestjs/common';
import { TrainingModule } from '../../ml/training/training.module';
import { DatasetBindingService } from './dataset-binding.service';
import { FederationsController } from './federations.controller';
import { FederationsService } from './federations.service';

@Module({
  imports: [TrainingModule],
  controllers: [FederationsController],
  providers: [FederationsService, DatasetBindingService],
  exports: [DatasetBindingService],
})
export class FederationsModule {}
