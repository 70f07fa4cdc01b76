import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './api/audit/audit.module';
import { AuthModule } from './api/auth/auth.module';
import { BindingsModule } from './ml/bindings/bindings.module';
import { ConfigModule } from './platform/config/config.module';
import type { GatewayConfig } from './platform/config/gateway-config';
import { ConsortiumModule } from './api/consortium/consortium.module';
import { DatasetApiModule } from './api/datasets/dataset-api.module';
import { DatasetsModule } from './ml/datasets/datasets.module';
import { AllExceptionsFilter } from './platform/errors/all-exceptions.filter';
import { createValidationPipe } from './platform/errors/validation.pipe';
import { FederationsModule } from './api/federations/federations.module';
import { HealthModule } from './api/health/health.module';
import { IncentivesModule } from './api/incentives/incentives.module';
import { LedgerConsistencyInterceptor } from './ledger/port/ledger-consistency.interceptor';
import { type InjectedLedger, LedgerModule } from './ledger/port/ledger.module';
import { MetricsModule } from './api/metrics/metrics.module';
import { ModelsModule } from './api/models/models.module';
import { ParticipationModule } from './participation/participation.module';
import { PredictionsModule } from './api/predictions/predictions.module';
import { PrivacyModule } from './api/privacy/privacy.module';
import { RoundsModule } from './api/rounds/rounds.module';
import { TrainingApiModule } from './api/training/training-api.module';
import { WebConsoleModule } from './api/web-console/web-console.module';

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** Required in `in-process` mode; in `fabric` mode the ledger is built from the connection file. */
  ledger?: InjectedLedger;
  /** The built web console; defaults to gateway/console/dist. */
  consoleDir?: string;
}

/** The gateway's root module; the global pipe, filter and guard are APP_* providers so every test gets them. */
@Module({})
export class AppModule {
  static forRoot(options: GatewayAppOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        LedgerModule.forRoot(options.ledger),
        DatasetsModule.forRoot({
          dataDir: config.dataDir,
          stateDir: config.stateDir,
          maxCsvBytes: config.maxCsvBytes,
        }),
        BindingsModule,
        PrivacyModule,
        AuthModule,
        HealthModule,
        ConsortiumModule,
        DatasetApiModule,
        TrainingApiModule,
        FederationsModule,
        RoundsModule,
        ModelsModule,
        IncentivesModule,
        PredictionsModule,
        AuditModule,
        ParticipationModule,
        WebConsoleModule.forRoot(options.consoleDir),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: LedgerConsistencyInterceptor },
      ],
    };
  }
}
