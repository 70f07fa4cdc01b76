import { Module } from '@nestjs/common';
import { TrainingModule } from '../../ml/training/training.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [TrainingModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
