import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import type {
  ChaincodeEvent,
  ChaincodeEventsOptions,
  CloseableAsyncIterable,
  Network,
} from '@hyperledger/fabric-gateway';
import type { LedgerApi } from '@fedledger/core';
import type { ContributionSettlementService } from '../api/incentives/contribution-settlement.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { DatasetsService } from '../ml/datasets/datasets.service';
import type { PreparedDataset } from '../ml/datasets/prepared-dataset';
import { FabricEventSource } from '../ledger/fabric/fabric-event-source';
import type { LedgerProvider } from '../ledger/port/ledger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import { TrainingService } from '../ml/training/training.service';
import { ParticipationService } from './participation.service';
import type { PrivacyService } from '../api/privacy/privacy.service';

const chaincodeEvent = (
  block: bigint,
  txId: string,
  eventName: string,
  payload: object,
): ChaincodeEvent => ({
  blockNumber: block,
  transactionId: txId,
  chaincodeName: 'fedledger',
  eventName,
  payload: new TextEncoder().encode(JSON.stringify(payload)),
});

/** Round 1 opens for this org, then an event no participation step handles. */
const LOG = [
  chaincodeEvent(3n, 'open-1', 'RoundOpened', {
    txId: 'open-1',
    federationId: 'f',
    round: 1,
    deadline: '2999-01-01T00:00:00.000Z',
    participants: ['Org1MSP'],
  }),
  chaincodeEvent(4n, 'later', 'ModelApproved', { txId: 'later', federationId: 'f' }),
];

/**
 * A peer replaying `log` from the checkpoint it is given. `consumed(txId)` resolves once the
 * listener is done with that event: it asked for the next one (after checkpointing) or dropped the
 * stream, so a test can look at the checkpoint file without waiting for a time.
 */
function replayingPeer(log: readonly ChaincodeEvent[] = LOG): {
  network: Network;
  consumed(txId: string): Promise<void>;
} {
  const done = new Map<string, () => void>();
  const waits = new Map<string, Promise<void>>();
  const consumed = (txId: string): Promise<void> => {
    let wait = waits.get(txId);
    if (wait === undefined) {
      wait = new Promise<void>((resolve) => done.set(txId, resolve));
      waits.set(txId, wait);
    }
    return wait;
  };
  const network = {
    getChaincodeEvents: async (
      _name: string,
      options: ChaincodeEventsOptions,
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> => {
      const block = options.checkpoint?.getBlockNumber() ?? options.startBlock ?? 0n;
      const txId = options.checkpoint?.getTransactionId();
      let pending = log.filter((entry) => entry.blockNumber >= block);
      if (txId !== undefined)
        pending = pending.slice(pending.findIndex((entry) => entry.transactionId === txId) + 1);
      return {
        close: () => undefined,
        async *[Symbol.asyncIterator]() {
          for (const entry of pending) {
            void consumed(entry.transactionId);
            try {
              yield entry;
            } finally {
              done.get(entry.transactionId)?.();
            }
          }
          await new Promise<void>(() => undefined);
        },
      } as unknown as CloseableAsyncIterable<ChaincodeEvent>;
    },
  } as unknown as Network;
  return { network, consumed };
}

/** A dataset whose load waits for the test, so the round's training is in flight when the gateway stops. */
function gatedDatasets(): { datasets: DatasetsService; loading: Promise<void>; release(): void } {
  let release!: () => void;
  let started!: () => void;
  const loading = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const empty = { features: new Float32Array(), labels: new Float32Array() };
  const dataset = {
    featureColumns: ['x'],
    labelColumn: 'y',
    numFeatures: 1,
    train: empty,
    validation: empty,
  } as unknown as PreparedDataset;
  const datasets = {
    load: async (): Promise<PreparedDataset> => {
      started();
      await released;
      return dataset;
    },
  } as unknown as DatasetsService;
  return { datasets, loading, release };
}

const federation = {
  id: 'f',
  participants: ['Org1MSP'],
  minParticipants: 1,
  status: 'running',
  currentRound: 1,
  modelSpec: { topology: '{}' },
  featureColumns: ['x'],
  labelColumn: 'y',
  hyperParameters: {},
};

function ledgerProvider(): LedgerProvider {
  const ledger = {
    getFederation: async () => federation,
    listFederations: async () => ({ items: [], bookmark: '' }),
    listUpdates: async () => [],
    getModelVersion: async () => ({ version: 0 }),
  } as unknown as LedgerApi;
  return { ledgerFor: () => ledger, waitForBlock: () => Promise.resolve() };
}

/** Collects the first event a listener on `source` receives. */
async function firstEvent(source: FabricEventSource): Promise<string> {
  let subscription: { close(): void } | undefined;
  const txId = await new Promise<string>((resolve) => {
    void source
      .listen(async (event) => {
        resolve(event.txId);
      })
      .then((handle) => (subscription = handle));
  });
  subscription?.close();
  return txId;
}

describe('stopping the gateway while it trains for a round', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('does not checkpoint the round event, so the restarted gateway gets it again', async () => {
    const checkpoint = join(mkdtempSync(join(tmpdir(), 'fl-shutdown-')), 'events.checkpoint.json');
    const peer = replayingPeer();
    const gated = gatedDatasets();
    const training = new TrainingService(gated.datasets);
    const config = { mspId: 'Org1MSP', participation: true } as GatewayConfig;
    const bindings = { get: () => 'local' } as unknown as DatasetBindingsStore;
    const weights = { weightsOf: async () => new Uint8Array() } as unknown as ModelWeightsService;
    const events = new FabricEventSource(peer.network, 'fedledger', checkpoint, 1);
    const participation = new ParticipationService(
      config,
      ledgerProvider(),
      events,
      bindings,
      training,
      weights,
      new MetricsService(),
      {} as ContributionSettlementService,
      {} as PrivacyService,
    );
    await participation.onApplicationBootstrap();
    await gated.loading;

    // Nest's shutdown: every module's onModuleDestroy (here the training service's first, as the
    // issue saw), then the application-shutdown hooks. The training fails in between.
    await training.onModuleDestroy();
    gated.release();
    await peer.consumed('open-1');
    const lifecycle = participation as unknown as Partial<
      Record<
        'onModuleDestroy' | 'beforeApplicationShutdown' | 'onApplicationShutdown',
        () => unknown
      >
    >;
    await lifecycle.onModuleDestroy?.();
    await lifecycle.beforeApplicationShutdown?.();
    await lifecycle.onApplicationShutdown?.();

    // The restarted peer has one more event, so a checkpoint past everything still yields an answer.
    const grown = [
      ...LOG,
      chaincodeEvent(5n, 'newest', 'ModelApproved', { txId: 'newest', federationId: 'f' }),
    ];
    const restarted = new FabricEventSource(
      replayingPeer(grown).network,
      'fedledger',
      checkpoint,
      1,
    );
    assert.equal(await firstEvent(restarted), 'open-1');
  });
});
