import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  isFedLedgerError,
  settlementReadiness,
  type Federation,
  type LedgerApi,
} from '@fedledger/core';
import { DatasetBindingsStore } from '../../ml/bindings/dataset-bindings.store';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../../platform/config/config.tokens';
import { LEDGER, type LedgerProvider } from '../../ledger/port/ledger.tokens';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { CoalitionScoringService } from './coalition-scoring.service';
import { findContributions } from './find-contributions';

/** First wait before a round that is not settled yet is looked at again; it doubles up to the cap. */
export const SETTLEMENT_RETRY_FIRST_MS = 2_000;
export const SETTLEMENT_RETRY_MAX_MS = 5 * 60_000;

/** This gateway's background work on one unsettled round, as the settlement status shows it. */
export interface SettlementFollowUp {
  federationId: string;
  round: number;
  /**
   * working: an attempt runs now (scoring this org's utilities or settling); waiting: for other
   * orgs' utilities or the time from which a majority suffices; retrying: the last attempt failed.
   */
  state: 'working' | 'waiting' | 'retrying';
  attempts: number;
  lastError?: { code: string; message: string; at: string };
  nextAttemptAt?: string;
}

interface FollowUp {
  status: SettlementFollowUp;
  running?: Promise<void>;
  /** Asked for again while an attempt ran (an event arrived): attempt once more right after it. */
  again: boolean;
  timer?: NodeJS.Timeout;
  /** Attempts in a row that ended with the round still unsettled (sets the back-off). */
  unsettled: number;
}

function followUpKey(federationId: string, round: number): string {
  return `${federationId}\u0000${round}`;
}

type Outcome =
  { kind: 'settled' } | { kind: 'not-followed' } | { kind: 'waiting'; majorityFromMs?: number };

/**
 * Sees every aggregated round of a federation with incentives (ADR 0018) through to settlement,
 * for this org: scores its utilities if they are missing, settles once the chaincode's rule
 * ({@link settlementReadiness}) allows, and — whatever failed or is still missing — looks again
 * after a back-off, at the time a majority suffices, or when another org records, until the round is
 * settled. Before this, one failed step (a ledger timeout, settlements that all lost an MVCC race)
 * left a round unsettled for ever with only a log line to say so; now the round's settlement
 * status shows what it waits for and this gateway's last error.
 */
@Injectable()
export class ContributionSettlementService implements OnApplicationShutdown {
  readonly #logger = new Logger('contributions');
  readonly #followUps = new Map<string, FollowUp>();
  #stopping = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LEDGER) private readonly ledgers: LedgerProvider,
    private readonly bindings: DatasetBindingsStore,
    private readonly scoring: CoalitionScoringService,
    private readonly metrics: MetricsService,
  ) {}

  get #ledger(): LedgerApi {
    return this.ledgers.ledgerFor('scientist');
  }

  /** Sees the round through to settlement; called again (an event, a restart) it attempts at once. */
  follow(federationId: string, round: number): void {
    if (this.#stopping) return;
    const key = followUpKey(federationId, round);
    let followUp = this.#followUps.get(key);
    if (followUp === undefined) {
      followUp = {
        status: { federationId, round, state: 'working', attempts: 0 },
        again: false,
        unsettled: 0,
      };
      this.#followUps.set(key, followUp);
      this.metrics.unsettledRounds.set(this.#followUps.size);
    }
    if (followUp.running !== undefined) {
      followUp.again = true;
      return;
    }
    clearTimeout(followUp.timer);
    const current = followUp;
    current.running = this.#attempt(key, current).finally(() => {
      current.running = undefined;
      if (current.again && this.#followUps.get(key) === current) {
        current.again = false;
        this.follow(federationId, round);
      }
    });
  }

  /** The round was settled (a committed ContributionsSettled event): nothing left to follow. */
  settled(federationId: string, round: number): void {
    const key = followUpKey(federationId, round);
    const followUp = this.#followUps.get(key);
    if (followUp === undefined) return;
    clearTimeout(followUp.timer);
    followUp.again = false;
    this.#followUps.delete(key);
    this.metrics.unsettledRounds.set(this.#followUps.size);
  }

  /**
   * Follows every aggregated round of the federation that has no settlement yet (at start-up: the
   * events that would have started it may be behind the checkpoint). No-op without incentives.
   */
  async catchUp(federation: Federation): Promise<void> {
    if (federation.incentives === undefined || !federation.participants.includes(this.config.mspId))
      return;
    // The open round is not aggregated; a completed federation's current round is its last, aggregated.
    const aggregated =
      federation.status === 'completed' ? federation.currentRound : federation.currentRound - 1;
    const settled = new Set(
      (await this.#ledger.listContributions(federation.id)).map((report) => report.round),
    );
    for (let round = 1; round <= aggregated; round++)
      if (!settled.has(round)) this.follow(federation.id, round);
  }

  /** The rounds this gateway is still seeing through, oldest first (all federations, or one). */
  pending(federationId?: string): SettlementFollowUp[] {
    return [...this.#followUps.values()]
      .map((f) => ({ ...f.status }))
      .filter((s) => federationId === undefined || s.federationId === federationId)
      .sort((a, b) => a.federationId.localeCompare(b.federationId) || a.round - b.round);
  }

  async onApplicationShutdown(): Promise<void> {
    this.#stopping = true;
    for (const followUp of this.#followUps.values()) clearTimeout(followUp.timer);
    await Promise.all([...this.#followUps.values()].flatMap((f) => f.running ?? []));
  }

  async #attempt(key: string, followUp: FollowUp): Promise<void> {
    const { status } = followUp;
    status.attempts += 1;
    status.state = 'working';
    delete status.nextAttemptAt;
    let outcome: Outcome;
    try {
      outcome = await this.#settle(status.federationId, status.round);
    } catch (error) {
      if (this.#stopping) return;
      const code = isFedLedgerError(error) ? error.code : 'INTERNAL';
      const message = error instanceof Error ? error.message : String(error);
      status.state = 'retrying';
      status.lastError = { code, message, at: new Date().toISOString() };
      this.metrics.errors.inc({ code, source: 'participation' });
      this.#logger.error({
        org: this.config.mspId,
        msg: 'contribution settlement step failed; trying again',
        federationId: status.federationId,
        round: status.round,
        attempt: status.attempts,
        code,
        error: message,
      });
      this.#retryLater(key, followUp);
      return;
    }
    if (outcome.kind !== 'waiting') {
      if (this.#followUps.get(key) === followUp) this.#followUps.delete(key);
      this.metrics.unsettledRounds.set(this.#followUps.size);
      return;
    }
    status.state = 'waiting';
    this.#retryLater(key, followUp, outcome.majorityFromMs);
  }

  #retryLater(key: string, followUp: FollowUp, majorityFromMs?: number): void {
    if (this.#stopping) return;
    followUp.unsettled += 1;
    const backoff = Math.min(
      SETTLEMENT_RETRY_MAX_MS,
      SETTLEMENT_RETRY_FIRST_MS * 2 ** (followUp.unsettled - 1),
    );
    const untilMajority = majorityFromMs === undefined ? Infinity : majorityFromMs - Date.now();
    const delay = Math.max(0, Math.min(backoff, untilMajority));
    followUp.status.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const { federationId, round } = followUp.status;
    followUp.timer = setTimeout(() => {
      if (this.#followUps.get(key) === followUp) this.follow(federationId, round);
    }, delay);
    followUp.timer.unref();
  }

  /** One pass: settled already, or score this org's utilities if missing and settle if the rule allows. */
  async #settle(federationId: string, round: number): Promise<Outcome> {
    const ledger = this.#ledger;
    const federation = await ledger.getFederation(federationId);
    if (
      federation.incentives === undefined ||
      !federation.participants.includes(this.config.mspId) ||
      (federation.status !== 'running' && federation.status !== 'completed')
    )
      return { kind: 'not-followed' };
    if ((await findContributions(ledger, federationId, round)) !== undefined)
      return { kind: 'settled' };
    let records = await ledger.listUtilities(federationId, round);
    const datasetId = this.bindings.get(federationId);
    if (datasetId !== undefined && !records.some((r) => r.mspId === this.config.mspId)) {
      await this.scoring.scoreRound(federationId, round, datasetId);
      records = await ledger.listUtilities(federationId, round);
    }
    const version = await ledger.getModelVersion(federationId, round);
    const readiness = settlementReadiness(
      federation.participants,
      records.map((r) => r.mspId),
      Date.parse(version.createdAt),
      federation.roundDeadlineSeconds,
      Date.now(),
    );
    const waitForMajority =
      records.length >= readiness.majorityNeeded ? readiness.majorityFromMs : undefined;
    if (!readiness.ready) return { kind: 'waiting', majorityFromMs: waitForMajority };
    try {
      const report = await ledger.settleContributions(federationId, round);
      this.#logger.log({
        org: this.config.mspId,
        msg: 'contributions settled',
        federationId,
        round,
        recorders: report.recorders.length,
        creditsAllocated: report.creditsAllocated,
        txId: report.txId,
      });
      return { kind: 'settled' };
    } catch (error) {
      // Another org settled first; or the client's clock ran ahead of the majority time by the
      // chaincode's reading (back off rather than ask again at once).
      if (isFedLedgerError(error) && error.code === 'ALREADY_EXISTS') return { kind: 'settled' };
      if (isFedLedgerError(error) && error.code === 'FAILED_PRECONDITION')
        return { kind: 'waiting' };
      throw error;
    }
  }
}
