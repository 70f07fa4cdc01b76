import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BindingsModule } from './bindings/bindings.module';
import { ConfigModule } from './config/config.module';
import type { GatewayConfig } from './config/gateway-config';
import { ConsortiumModule } from './consortium/consortium.module';
import { DatasetApiModule } from './dataset-api/dataset-api.module';
import { DatasetsModule } from './datasets/datasets.module';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { createValidationPipe } from './errors/validation.pipe';
import { FederationsModule } from './federations/federations.module';
import { HealthModule } from './health/health.module';
import { IncentivesModule } from './incentives/incentives.module';
import { LedgerConsistencyInterceptor } from './ledger/ledger-consistency.interceptor';
import { type InjectedLedger, LedgerModule } from './ledger/ledger.module';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { ParticipationModule } from './participation/participation.module';
import { PredictionsModule } from './predictions/predictions.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RoundsModule } from './rounds/rounds.module';
import { TrainingApiModule } from './training-api/training-api.module';
import { WebConsoleModule } from './web-console/web-console.module';

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
        DatasetsModule.forRoot({ dataDir: config.dataDir, stateDir: config.stateDir, maxCsvBytes: config.maxCsvBytes }),
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
