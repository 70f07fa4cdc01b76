import { Module } from '@nestjs/common';
import { ModelWeightsService } from './model-weights.service';
import { ModelVerificationController, ModelVersionsController } from './models.controller';
import { ModelsService } from './models.service';

@Module({
  controllers: [ModelVersionsController, ModelVerificationController],
  providers: [ModelsService, ModelWeightsService],
  exports: [ModelWeightsService],
})
export class ModelsModule {}
