import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import {
  EVENT,
  FedLedgerError,
  type LedgerApi,
  type LedgerEvent,
  type LedgerEventSource,
} from '@fedledger/core';
import type { ContributionSettlementService } from '../api/incentives/contribution-settlement.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { LedgerProvider } from '../ledger/port/ledger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import type { TrainingService } from '../ml/training/training.service';
import { ParticipationService } from './participation.service';
import type { PrivacyService } from '../api/privacy/privacy.service';

const roundOpened: LedgerEvent = {
  name: EVENT.RoundOpened,
  payload: {
    txId: 't1',
    federationId: 'f',
    round: 1,
    deadline: '2999-01-01T00:00:00.000Z',
    participants: ['Org1MSP'],
  },
  txId: 't1',
  blockNumber: 3n,
};

function service(
  getFederation: () => Promise<never>,
  listen: LedgerEventSource['listen'] = () => Promise.resolve({ close: () => undefined }),
): { participation: ParticipationService; metrics: MetricsService } {
  // The round's other reads succeed, so the failure seen is getFederation's.
  const ledger = {
    getFederation,
    listUpdates: () => Promise.resolve([]),
    getModelVersion: () => Promise.resolve({}),
  } as unknown as LedgerApi;
  const provider: LedgerProvider = {
    ledgerFor: () => ledger,
    waitForBlock: () => Promise.resolve(),
  };
  const bindings = { get: () => 'local' } as unknown as DatasetBindingsStore;
  const metrics = new MetricsService();
  const config = { mspId: 'Org1MSP', participation: true } as GatewayConfig;
  const participation = new ParticipationService(
    config,
    provider,
    { listen },
    bindings,
    {} as TrainingService,
    {} as ModelWeightsService,
    metrics,
    {} as ContributionSettlementService,
    {} as PrivacyService,
  );
  return { participation, metrics };
}

describe('ParticipationService failure handling', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('rejects with LEDGER_UNAVAILABLE so the event is delivered again, and keeps going afterwards', async () => {
    let calls = 0;
    const { participation, metrics } = service(() => {
      calls += 1;
      return Promise.reject(new FedLedgerError('LEDGER_UNAVAILABLE', 'peer down'));
    });
    await assert.rejects(participation.handle(roundOpened), /LEDGER_UNAVAILABLE/);
    await assert.rejects(participation.handle(roundOpened), /LEDGER_UNAVAILABLE/);
    assert.equal(calls, 2);
    assert.match(
      await metrics.render(),
      /fedledger_errors_total\{code="LEDGER_UNAVAILABLE",source="participation"\} 2/,
    );
    await participation.onApplicationShutdown();
  });

  it('logs other failures and lets the checkpoint advance', async () => {
    const { participation, metrics } = service(() =>
      Promise.reject(new FedLedgerError('FORBIDDEN', 'not a member')),
    );
    await participation.handle(roundOpened);
    assert.match(
      await metrics.render(),
      /fedledger_errors_total\{code="FORBIDDEN",source="participation"\} 1/,
    );
    await participation.onApplicationShutdown();
  });

  it('ignores events it has no step for, and does not listen when disabled', async () => {
    let listened = false;
    const { participation } = service(
      () => Promise.reject(new Error('must not be called')),
      () => {
        listened = true;
        return Promise.resolve({ close: () => undefined });
      },
    );
    await participation.handle({
      name: EVENT.ModelApproved,
      payload: {
        txId: 'x',
        federationId: 'f',
        mspId: 'Org1MSP',
        version: 1,
        modelHash: 'h',
        approvals: ['Org1MSP'],
        deployed: false,
      },
      txId: 'x',
      blockNumber: 1n,
    });
    await participation.onApplicationBootstrap();
    assert.equal(listened, true);
    await participation.onApplicationShutdown();
  });

  it('on the blob path, tells the blob layer of every update when its commit arrives, even while an earlier event is still being handled (ADR 0026, 0030)', async () => {
    const prefetched: string[] = [];
    let releaseRound: (() => void) | undefined;
    const ledger = {
      listFederations: async () => ({ items: [], bookmark: '' }),
      getFederation: async () => ({
        id: 'f',
        participants: ['Org1MSP', 'Org2MSP'],
        weightsPath: 'blob',
      }),
      // The first event's handling waits here, as a training holds the turn until it submits.
      getRound: () =>
        new Promise((resolve) => {
          releaseRound = () => {
            resolve({
              status: 'open',
              submitted: ['Org2MSP'],
              deadline: '2999-01-01T00:00:00.000Z',
            });
          };
        }),
    } as unknown as LedgerApi;
    const provider: LedgerProvider = {
      ledgerFor: () => ledger,
      waitForBlock: () => Promise.resolve(),
      prefetchBlobUpdate: (federationId, round, mspId, blob) =>
        prefetched.push(`${federationId}/${round}/${mspId}/${blob?.byteLength ?? 'no blob'}`),
    };
    let arrive: ((event: LedgerEvent) => void) | undefined;
    const events: LedgerEventSource = {
      listen: async (_onEvent, options) => {
        arrive = options?.onArrival;
        return { close: () => undefined };
      },
    };
    const config = { mspId: 'Org1MSP', participation: true } as GatewayConfig;
    const participation = new ParticipationService(
      config,
      provider,
      events,
      { get: () => 'local' } as unknown as DatasetBindingsStore,
      {} as TrainingService,
      {} as ModelWeightsService,
      new MetricsService(),
      {} as ContributionSettlementService,
      {} as PrivacyService,
    );
    await participation.onApplicationBootstrap();
    const submitted = (mspId: string): LedgerEvent => ({
      name: EVENT.UpdateSubmitted,
      payload: {
        txId: 'u',
        federationId: 'f',
        round: 1,
        mspId,
        submitted: -1,
        participants: 2,
        blob: { digest: 'a'.repeat(64), byteLength: 40 },
      },
      txId: 'u',
      blockNumber: 4n,
    });
    const busy = participation.handle(submitted('Org2MSP'));
    while (releaseRound === undefined) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(arrive !== undefined, 'the participation service asks to hear of arrivals');
    arrive(submitted('Org2MSP'));
    arrive(submitted('Org1MSP'));
    // Its own too: the blob layer fetches only the others' but reads the round on each (ADR 0030).
    assert.deepEqual(
      prefetched,
      ['f/1/Org2MSP/40', 'f/1/Org1MSP/40'],
      'told of every arriving update, with the blob the event names, while the first is handled',
    );
    releaseRound();
    await busy;
    assert.equal(prefetched.length, 2, 'handling the event does not prefetch it again');
    await participation.onApplicationShutdown();
  });
});
