import { Module } from '@nestjs/common';
import { DatasetBindingService } from './dataset-binding.service';
import { FederationsController } from './federations.controller';
import { FederationsService } from './federations.service';

@Module({ controllers: [FederationsController], providers: [FederationsService, DatasetBindingService], exports: [DatasetBindingService] })
export class FederationsModule {}
