import { Module } from '@nestjs/common';
import { TrainingService } from './training.service';

/**
 * Local training off the event loop. TrainingService injects DatasetsService, which the root module
 * provides globally through `DatasetsModule.forRoot({ dataDir, stateDir })`.
 */
@Module({
  providers: [TrainingService],
  exports: [TrainingService],
})
export class TrainingModule {}
