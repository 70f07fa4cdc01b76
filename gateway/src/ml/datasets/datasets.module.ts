import { Module, type DynamicModule } from '@nestjs/common';
import { DATASETS_OPTIONS, type DatasetsOptions } from './datasets-options';
import { DatasetsService } from './datasets.service';

/**
 * Local datasets of this org. Import once at the root with `DatasetsModule.forRoot({ dataDir, stateDir })`;
 * the module is global, so feature modules (training, federations) can inject DatasetsService
 * without importing it again.
 */
@Module({})
export class DatasetsModule {
  static forRoot(options: DatasetsOptions): DynamicModule {
    return {
      module: DatasetsModule,
      global: true,
      providers: [{ provide: DATASETS_OPTIONS, useValue: options }, DatasetsService],
      exports: [DatasetsService],
    };
  }
}
