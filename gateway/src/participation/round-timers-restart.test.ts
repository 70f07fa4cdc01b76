import assert from 'node:assert/strict';
import { afterEach, before, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import { EVENT, type Federation, type LedgerApi, type Page, type Round } from '@fedledger/core';
import type { ContributionSettlementService } from '../api/incentives/contribution-settlement.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { LedgerProvider } from '../ledger/port/ledger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import type { TrainingService } from '../ml/training/training.service';
import { ParticipationService } from './participation.service';
import { AGGREGATOR_FALLBACK_MS } from './round-aggregation';
import type { PrivacyService } from '../api/privacy/privacy.service';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

function federation(
  id: string,
  participants: string[],
  fields: Partial<Federation> = {},
): Federation {
  return {
    id,
    participants,
    status: 'running',
    currentRound: 1,
    minParticipants: 1,
    ...fields,
  } as Federation;
}

function round(
  federationId: string,
  submitted: string[],
  deadline: number,
  fields: Partial<Round> = {},
): Round {
  return {
    federationId,
    round: 1,
    status: 'open',
    openedAt: new Date(NOW - HOUR).toISOString(),
    deadline: new Date(deadline).toISOString(),
    submitted,
    ...fields,
  };
}

/**
 * A ledger as a gateway restarted between the last submit and the Aggregate finds it: rounds are
 * open on the ledger, and every event announcing them is behind the checkpoint, so nothing is
 * delivered again. `listFederations` pages by one to exercise the bookmark.
 */
function restartedLedger(
  federations: Federation[],
  rounds: Map<string, Round>,
): { provider: LedgerProvider; aggregated: string[] } {
  const aggregated: string[] = [];
  const ledger = {
    listFederations: async (pageSize: number, bookmark: string): Promise<Page<Federation>> => {
      assert.ok(pageSize >= 1);
      const start = bookmark === '' ? 0 : Number(bookmark);
      const next = start + 1;
      return {
        items: federations.slice(start, next),
        bookmark: next < federations.length ? String(next) : '',
      };
    },
    getFederation: async (id: string) => federations.find((candidate) => candidate.id === id),
    getRound: async (id: string) => rounds.get(id),
    aggregate: async (id: string) => {
      aggregated.push(id);
      return { version: 1, modelHash: 'h' };
    },
  } as unknown as LedgerApi;
  return {
    provider: { ledgerFor: () => ledger, waitForBlock: () => Promise.resolve() },
    aggregated,
  };
}

function startedGateway(provider: LedgerProvider, mspId: string): ParticipationService {
  const config = { mspId, participation: true } as GatewayConfig;
  const events = { listen: async () => ({ close: () => undefined }) };
  return new ParticipationService(
    config,
    provider,
    events,
    { get: () => undefined } as unknown as DatasetBindingsStore,
    {} as TrainingService,
    {} as ModelWeightsService,
    new MetricsService(),
    {} as ContributionSettlementService,
    {} as PrivacyService,
  );
}

/** Resolves once every step queued before it (the start-up re-arm included) has run. */
function settled(participation: ParticipationService): Promise<void> {
  return participation.handle({
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
}

describe('round timers after a restart', () => {
  before(() => {
    Logger.overrideLogger(false);
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it('aggregates at start-up a round everyone submitted to, when this org is its designated aggregator', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    // Round 1's designated aggregator is the first participant by MSP id: Org1MSP.
    const federations = [
      federation('other', ['Org2MSP', 'Org3MSP']),
      federation('done', ['Org1MSP', 'Org2MSP'], { status: 'completed' }),
      federation('f', ['Org1MSP', 'Org2MSP']),
    ];
    const rounds = new Map([['f', round('f', ['Org1MSP', 'Org2MSP'], NOW + HOUR)]]);
    const { provider, aggregated } = restartedLedger(federations, rounds);
    const participation = startedGateway(provider, 'Org1MSP');
    await participation.onApplicationBootstrap();
    await settled(participation);
    assert.deepEqual(aggregated, ['f']);
    await participation.onApplicationShutdown();
  });

  it('steps in as fallback aggregator after its turn when the designated one does not', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const federations = [federation('f', ['Org1MSP', 'Org2MSP'])];
    const rounds = new Map([['f', round('f', ['Org1MSP', 'Org2MSP'], NOW + HOUR)]]);
    const { provider, aggregated } = restartedLedger(federations, rounds);
    const participation = startedGateway(provider, 'Org2MSP'); // rank 1 in round 1
    await participation.onApplicationBootstrap();
    await settled(participation);
    assert.deepEqual(aggregated, [], 'the designated aggregator has its turn first');
    mock.timers.tick(AGGREGATOR_FALLBACK_MS);
    await settled(participation);
    assert.deepEqual(aggregated, ['f']);
    await participation.onApplicationShutdown();
  });

  it('re-arms the deadline of the open round, so a round with a silent org closes with the quorum', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const federations = [federation('f', ['Org1MSP', 'Org2MSP'])];
    const rounds = new Map([['f', round('f', ['Org1MSP'], NOW + HOUR)]]);
    const { provider, aggregated } = restartedLedger(federations, rounds);
    const participation = startedGateway(provider, 'Org1MSP');
    await participation.onApplicationBootstrap();
    await settled(participation);
    assert.deepEqual(aggregated, [], 'not complete before the deadline');
    mock.timers.tick(HOUR + 60_000);
    await settled(participation);
    assert.deepEqual(aggregated, ['f']);
    await participation.onApplicationShutdown();
  });

  it('aggregates at start-up a round whose deadline passed during the outage, with the quorum in', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const federations = [
      federation('f', ['Org1MSP', 'Org2MSP', 'Org3MSP'], { minParticipants: 2 }),
    ];
    const rounds = new Map([['f', round('f', ['Org2MSP', 'Org3MSP'], NOW - 60_000)]]);
    const { provider, aggregated } = restartedLedger(federations, rounds);
    const participation = startedGateway(provider, 'Org1MSP');
    await participation.onApplicationBootstrap();
    await settled(participation);
    assert.deepEqual(aggregated, ['f']);
    await participation.onApplicationShutdown();
  });
});
