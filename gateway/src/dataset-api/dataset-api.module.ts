import { Module } from '@nestjs/common';
import { DatasetsController } from './datasets.controller';

/** HTTP surface of the (global) DatasetsService. */
@Module({ controllers: [DatasetsController] })
export class DatasetApiModule {}
