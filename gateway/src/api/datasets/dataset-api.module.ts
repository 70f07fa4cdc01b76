import { Module } from '@nestjs/common';
import { DatasetAdminService } from './dataset-admin.service';
import { DatasetsController } from './datasets.controller';

/** HTTP surface of the (global) DatasetsService. */
@Module({ controllers: [DatasetsController], providers: [DatasetAdminService] })
export class DatasetApiModule {}
