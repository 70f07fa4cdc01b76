import { Module } from '@nestjs/common';
import { FederationsController } from './federations.controller';
import { FederationsService } from './federations.service';

@Module({ controllers: [FederationsController], providers: [FederationsService] })
export class FederationsModule {}
