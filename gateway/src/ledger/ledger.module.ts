import { type DynamicModule, Global, Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { LedgerApi, LedgerEventSource } from '@fedledger/core';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import { FabricConnection } from '../fabric/fabric-connection';
import { statusName } from '../fabric/fabric-error-mapper';
import { MetricsService } from '../metrics/metrics.service';
import { instrumentLedger } from './instrumented-ledger';
import { API_ROLES, type ApiRole, LEDGER, LEDGER_EVENTS, type LedgerProvider } from './ledger.tokens';

/** A ledger supplied by the caller instead of Fabric: tests and the single-process demo. */
export interface InjectedLedger {
  provider: LedgerProvider;
  events: LedgerEventSource;
}

const RAW_LEDGER = Symbol('RAW_LEDGER');

/** Closes the Fabric connection (gateways, then the gRPC client) when the app shuts down. */
@Injectable()
class FabricShutdown implements OnApplicationShutdown {
  constructor(@Inject(RAW_LEDGER) private readonly ledger: LedgerProvider) {}

  onApplicationShutdown(): void {
    if (this.ledger instanceof FabricConnection) this.ledger.close();
  }
}

/** Provides {@link LEDGER} (instrumented with latency metrics) and {@link LEDGER_EVENTS}. */
@Global()
export class LedgerModule {
  static forRoot(injected?: InjectedLedger): DynamicModule {
    const raw: Provider = injected
      ? { provide: RAW_LEDGER, useValue: injected.provider }
      : {
          provide: RAW_LEDGER,
          inject: [GATEWAY_CONFIG, MetricsService],
          useFactory: (config: GatewayConfig, metrics: MetricsService) =>
            FabricConnection.open(config, (transaction, error) => metrics.conflictRetries.inc({ transaction, status: statusName(error.code) })),
        };
    const events: Provider = injected
      ? { provide: LEDGER_EVENTS, useValue: injected.events }
      : { provide: LEDGER_EVENTS, inject: [RAW_LEDGER], useFactory: (connection: FabricConnection) => connection.events };
    return {
      module: LedgerModule,
      providers: [
        raw,
        events,
        FabricShutdown,
        { provide: LEDGER, inject: [RAW_LEDGER, MetricsService], useFactory: instrumentedProvider },
      ],
      exports: [LEDGER, LEDGER_EVENTS],
    };
  }
}

function instrumentedProvider(raw: LedgerProvider, metrics: MetricsService): LedgerProvider {
  const ledgers = new Map<ApiRole, LedgerApi>(
    API_ROLES.map((role) => [
      role,
      instrumentLedger(raw.ledgerFor(role), (method, seconds, outcome) => {
        metrics.ledgerTxSeconds.observe({ transaction: method, outcome }, seconds);
        if (outcome !== 'ok') metrics.errors.inc({ code: outcome, source: 'ledger' });
      }),
    ]),
  );
  return { ledgerFor: (role) => ledgers.get(role) as LedgerApi, waitForBlock: (block, timeoutMs) => raw.waitForBlock(block, timeoutMs) };
}
