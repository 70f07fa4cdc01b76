import { Module } from '@nestjs/common';
import { TrainingModule } from '../training/training.module';
import { FederationsController } from './federations.controller';
import { FederationsService } from './federations.service';

@Module({ imports: [TrainingModule], controllers: [FederationsController], providers: [FederationsService] })
export class FederationsModule {}
