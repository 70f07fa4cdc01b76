import assert from 'node:assert/strict';
import { afterEach, before, describe, it, mock } from 'node:test';
import { Logger } from '@nestjs/common';
import {
  FedLedgerError,
  type ContributionReport,
  type Federation,
  type LedgerApi,
  type UtilityRecord,
} from '@fedledger/core';
import type { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import type { LedgerProvider } from '../../ledger/port/ledger.tokens';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { flushEventLoop } from '../../testing/event-loop';
import type { CoalitionScoringService } from './coalition-scoring.service';
import {
  ContributionSettlementService,
  SETTLEMENT_RETRY_FIRST_MS,
} from './contribution-settlement.service';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const DEADLINE_S = 600;
const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP'];

/**
 * A ledger with one federation whose rounds 1..`aggregated` are aggregated at NOW. `failures`
 * makes the next calls of a method throw the given codes, one per call, in order.
 */
class FakeLedger {
  readonly utilities = new Map<number, string[]>();
  readonly reports = new Map<number, string>();
  readonly failures = new Map<string, string[]>();
  readonly calls: string[] = [];
  federation: Federation;

  constructor(aggregated: number, fields: Partial<Federation> = {}) {
    this.federation = {
      id: 'f',
      participants: ORGS,
      status: 'running',
      currentRound: aggregated + 1,
      rounds: 5,
      roundDeadlineSeconds: DEADLINE_S,
      incentives: { creditsPerRound: 100 },
      ...fields,
    } as Federation;
  }

  record(round: number, mspId: string): void {
    this.utilities.set(round, [...(this.utilities.get(round) ?? []), mspId]);
  }

  #step(method: string): void {
    this.calls.push(method);
    const code = this.failures.get(method)?.shift();
    if (code !== undefined) throw new FedLedgerError(code as never, `${method} failed (${code})`);
  }

  api(): LedgerApi {
    return {
      getFederation: async () => {
        this.#step('getFederation');
        return this.federation;
      },
      getContributions: async (_id: string, round: number) => {
        this.#step('getContributions');
        const settledBy = this.reports.get(round);
        if (settledBy === undefined) throw new FedLedgerError('NOT_FOUND', 'not settled');
        return { round, settledBy } as ContributionReport;
      },
      listContributions: async () =>
        [...this.reports.keys()].map((round) => ({ round }) as ContributionReport),
      listUtilities: async (_id: string, round: number) =>
        (this.utilities.get(round) ?? []).map((mspId) => ({ mspId }) as UtilityRecord),
      getModelVersion: async () => ({ createdAt: new Date(NOW).toISOString() }),
      settleContributions: async (_id: string, round: number) => {
        this.#step('settleContributions');
        if (this.reports.has(round)) throw new FedLedgerError('ALREADY_EXISTS', 'settled');
        this.reports.set(round, 'Org1MSP');
        return { round, recorders: this.utilities.get(round), creditsAllocated: 100, txId: 't' };
      },
    } as unknown as LedgerApi;
  }
}

function settlementFor(
  ledger: FakeLedger,
  options: { scoringFailures?: string[]; bound?: boolean } = {},
): { service: ContributionSettlementService; metrics: MetricsService; scored: number[] } {
  const api = ledger.api();
  const provider: LedgerProvider = { ledgerFor: () => api, waitForBlock: () => Promise.resolve() };
  const scored: number[] = [];
  const failures = [...(options.scoringFailures ?? [])];
  const scoring = {
    scoreRound: async (_id: string, round: number) => {
      const code = failures.shift();
      if (code !== undefined) throw new FedLedgerError(code as never, `scoring failed (${code})`);
      scored.push(round);
      ledger.record(round, 'Org1MSP');
    },
  } as unknown as CoalitionScoringService;
  const bindings = {
    get: () => (options.bound === false ? undefined : 'local'),
  } as unknown as DatasetBindingsStore;
  const metrics = new MetricsService();
  const service = new ContributionSettlementService(
    { mspId: 'Org1MSP' } as GatewayConfig,
    provider,
    bindings,
    scoring,
    metrics,
  );
  return { service, metrics, scored };
}

async function unsettledGauge(metrics: MetricsService): Promise<number> {
  return (await metrics.unsettledRounds.get()).values[0]?.value ?? 0;
}

describe('ContributionSettlementService: every aggregated round is seen through to settlement', () => {
  before(() => {
    Logger.overrideLogger(false);
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it('scores, settles once everyone recorded, and forgets the round', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    ledger.record(1, 'Org2MSP');
    ledger.record(1, 'Org3MSP');
    const { service, metrics, scored } = settlementFor(ledger);
    service.follow('f', 1);
    await flushEventLoop();
    assert.deepEqual(scored, [1]);
    assert.equal(ledger.reports.get(1), 'Org1MSP');
    assert.deepEqual(service.pending(), []);
    assert.equal(await unsettledGauge(metrics), 0);
    await service.onApplicationShutdown();
  });

  it('a settlement that lost every MVCC race is tried again, and the failure is shown meanwhile', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    ledger.record(1, 'Org2MSP');
    ledger.record(1, 'Org3MSP');
    ledger.failures.set('settleContributions', ['CONFLICT']);
    const { service, metrics } = settlementFor(ledger);
    service.follow('f', 1);
    await flushEventLoop();
    assert.equal(ledger.reports.has(1), false);
    const pending = service.pending('f');
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.state, 'retrying');
    assert.equal(pending[0]?.lastError?.code, 'CONFLICT');
    assert.equal(
      pending[0]?.nextAttemptAt,
      new Date(NOW + SETTLEMENT_RETRY_FIRST_MS).toISOString(),
    );
    assert.equal(await unsettledGauge(metrics), 1);
    mock.timers.tick(SETTLEMENT_RETRY_FIRST_MS);
    await flushEventLoop();
    assert.equal(ledger.reports.get(1), 'Org1MSP');
    assert.deepEqual(service.pending(), []);
    await service.onApplicationShutdown();
  });

  it("this org's failed scoring is retried with a doubling back-off until it is recorded", async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    ledger.record(1, 'Org2MSP');
    ledger.record(1, 'Org3MSP');
    const { service, scored } = settlementFor(ledger, {
      scoringFailures: ['LEDGER_TIMEOUT', 'LEDGER_TIMEOUT'],
    });
    service.follow('f', 1);
    await flushEventLoop();
    mock.timers.tick(SETTLEMENT_RETRY_FIRST_MS);
    await flushEventLoop();
    assert.deepEqual(scored, []);
    assert.equal(service.pending()[0]?.attempts, 2);
    mock.timers.tick(SETTLEMENT_RETRY_FIRST_MS); // the second wait is twice the first
    await flushEventLoop();
    assert.deepEqual(scored, []);
    mock.timers.tick(SETTLEMENT_RETRY_FIRST_MS);
    await flushEventLoop();
    assert.deepEqual(scored, [1]);
    assert.equal(ledger.reports.get(1), 'Org1MSP');
    await service.onApplicationShutdown();
  });

  it('with a silent org, waits until the majority time and then settles with the majority', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    ledger.record(1, 'Org2MSP');
    const { service } = settlementFor(ledger);
    service.follow('f', 1);
    await flushEventLoop();
    assert.equal(ledger.reports.has(1), false, 'not before the majority time');
    assert.equal(service.pending()[0]?.state, 'waiting');
    for (let waited = 0; waited < DEADLINE_S * 1000; waited += 30_000) {
      mock.timers.tick(30_000);
      await flushEventLoop();
    }
    assert.equal(ledger.reports.get(1), 'Org1MSP');
    assert.deepEqual(service.pending(), []);
    await service.onApplicationShutdown();
  });

  it('another org settling first, or a federation without incentives, ends the follow-up quietly', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const settledElsewhere = new FakeLedger(1);
    settledElsewhere.reports.set(1, 'Org2MSP');
    const first = settlementFor(settledElsewhere);
    first.service.follow('f', 1);
    await flushEventLoop();
    assert.deepEqual(first.scored, [], 'no scoring for a settled round');
    assert.deepEqual(first.service.pending(), []);

    const plain = new FakeLedger(1);
    delete plain.federation.incentives;
    const second = settlementFor(plain);
    second.service.follow('f', 1);
    await flushEventLoop();
    assert.deepEqual(second.scored, []);
    assert.deepEqual(second.service.pending(), []);
  });

  it('an event during an attempt runs one more attempt right after it, not a second one beside it', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    const { service, scored } = settlementFor(ledger);
    service.follow('f', 1);
    service.follow('f', 1);
    service.follow('f', 1);
    await flushEventLoop();
    assert.deepEqual(scored, [1], 'scored once');
    assert.equal(ledger.calls.filter((c) => c === 'getFederation').length, 2);
    ledger.record(1, 'Org2MSP');
    ledger.record(1, 'Org3MSP');
    service.follow('f', 1); // the last org's UtilitiesRecorded
    await flushEventLoop();
    assert.equal(ledger.reports.get(1), 'Org1MSP');
    await service.onApplicationShutdown();
  });

  it('a ContributionsSettled event ends a waiting follow-up without another ledger call', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(1);
    const { service, metrics } = settlementFor(ledger);
    service.follow('f', 1);
    await flushEventLoop();
    assert.equal(service.pending()[0]?.state, 'waiting');
    const calls = ledger.calls.length;
    service.settled('f', 1);
    assert.deepEqual(service.pending(), []);
    assert.equal(await unsettledGauge(metrics), 0);
    mock.timers.tick(SETTLEMENT_RETRY_FIRST_MS);
    await flushEventLoop();
    assert.equal(ledger.calls.length, calls, 'its retry timer is gone');
    await service.onApplicationShutdown();
  });

  it('catch-up follows the aggregated rounds that are not settled, including a completed federation’s last', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW });
    const ledger = new FakeLedger(3, { status: 'completed', currentRound: 3, rounds: 3 });
    ledger.reports.set(1, 'Org2MSP');
    const { service, scored } = settlementFor(ledger, { bound: true });
    await service.catchUp(ledger.federation);
    await flushEventLoop();
    assert.deepEqual(scored.sort(), [2, 3]);
    await service.onApplicationShutdown();
  });
});
