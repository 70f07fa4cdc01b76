import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { LedgerApi, LedgerEventSource } from '@fedledger/core';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { FabricConnection } from '../fabric/fabric-connection';
import { statusName } from '../fabric/fabric-error-mapper';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { BlobPath } from '../blobs/blob-path';
import type { BlobPathLedger } from '../blobs/blob-path-ledger';
import { instrumentLedger } from './instrumented-ledger';
import {
  API_ROLES,
  type ApiRole,
  LEDGER,
  LEDGER_EVENTS,
  type LedgerProvider,
} from './ledger.tokens';

/** A ledger supplied by the caller instead of Fabric: tests and the single-process demo. */
export interface InjectedLedger {
  provider: LedgerProvider;
  events: LedgerEventSource;
}

const RAW_LEDGER = Symbol('RAW_LEDGER');
const BLOB_PATH = Symbol('BLOB_PATH');

/** Closes the blob server and the Fabric connection (gateways, then the gRPC client) when the app shuts down. */
@Injectable()
class FabricShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(RAW_LEDGER) private readonly ledger: LedgerProvider,
    @Inject(BLOB_PATH) private readonly blobPath: BlobPath | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.blobPath?.close();
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
            FabricConnection.open(config, (transaction, error) => {
              metrics.conflictRetries.inc({ transaction, status: statusName(error.code) });
            }),
        };
    const events: Provider = injected
      ? { provide: LEDGER_EVENTS, useValue: injected.events }
      : {
          provide: LEDGER_EVENTS,
          inject: [RAW_LEDGER],
          useFactory: (connection: FabricConnection) => connection.events,
        };
    return {
      module: LedgerModule,
      providers: [
        raw,
        events,
        {
          provide: BLOB_PATH,
          inject: [GATEWAY_CONFIG, RAW_LEDGER],
          useFactory: (config: GatewayConfig, ledger: LedgerProvider) =>
            config.blob === undefined
              ? null
              : BlobPath.open(config.mspId, config.blob, config.stateDir, () =>
                  ledger.ledgerFor('scientist').getConsortium(),
                ),
        },
        FabricShutdown,
        {
          provide: LEDGER,
          inject: [RAW_LEDGER, MetricsService, BLOB_PATH],
          useFactory: instrumentedProvider,
        },
      ],
      exports: [LEDGER, LEDGER_EVENTS],
    };
  }
}

/** Each role's ledger, with the blob path under it when configured (ADR 0022), instrumented with latency metrics. */
function instrumentedProvider(
  raw: LedgerProvider,
  metrics: MetricsService,
  blobPath: BlobPath | null,
): LedgerProvider {
  const wrapped = new Map<ApiRole, LedgerApi | BlobPathLedger>(
    API_ROLES.map((role) => [
      role,
      blobPath === null ? raw.ledgerFor(role) : blobPath.wrap(raw.ledgerFor(role)),
    ]),
  );
  const ledgers = new Map<ApiRole, LedgerApi>(
    API_ROLES.map((role) => [
      role,
      instrumentLedger(wrapped.get(role) as LedgerApi, (method, seconds, outcome) => {
        metrics.ledgerTxSeconds.observe({ transaction: method, outcome }, seconds);
        if (outcome !== 'ok') metrics.errors.inc({ code: outcome, source: 'ledger' });
      }),
    ]),
  );
  const provider: LedgerProvider = {
    ledgerFor: (role) => ledgers.get(role) as LedgerApi,
    waitForBlock: (block, timeoutMs) => raw.waitForBlock(block, timeoutMs),
  };
  if (blobPath === null) return provider;
  // The participation automation signs as the scientist; its prefetches read the ledger as it does.
  const scientist = wrapped.get('scientist') as BlobPathLedger;
  return {
    ...provider,
    prefetchBlobUpdate: (federationId, round, mspId, blob) =>
      void scientist.prefetchUpdate(federationId, round, mspId, blob).catch(() => undefined),
    onBlobAggregateComputed: (listener) => {
      blobPath.onAggregateComputed(listener);
    },
  };
}
