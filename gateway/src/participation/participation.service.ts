import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  EVENT,
  eventFederationId,
  isFedLedgerError,
  type Federation,
  type LedgerApi,
  type LedgerEvent,
  type LedgerEventSource,
} from '@fedledger/core';
import { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import { ContributionSettlementService } from '../api/incentives/contribution-settlement.service';
import { ShuttingDownError } from '../platform/common/shutting-down.error';
import type { GatewayConfig } from '../platform/config/gateway-config';
import { GATEWAY_CONFIG } from '../platform/config/config.tokens';
import { LEDGER, LEDGER_EVENTS, type LedgerProvider } from '../ledger/port/ledger.tokens';
import { MetricsService } from '../platform/metrics/metrics.service';
import { ModelWeightsService } from '../api/models/model-weights.service';
import { PrivacyService } from '../api/privacy/privacy.service';
import { TrainingService } from '../ml/training/training.service';
import { ModelEvaluation } from './model-evaluation';
import { RoundAggregation } from './round-aggregation';
import { RoundTimers } from './round-timers';
import { RoundTurnaround } from './round-turnaround';
import { TrainAndSubmit } from './train-and-submit';
import { TrainingAhead } from './training-ahead';

/** Federations read per ListFederations call when re-arming round timers at start-up (the chaincode's maximum). */
const REARM_PAGE_SIZE = 100;
/** When the peer is unreachable at start-up, how long before the re-arm is tried again. */
const REARM_RETRY_MS = 10_000;

/**
 * Takes part in rounds without a human: listens to the ledger's events and, for federations this
 * org participates in with a locally bound dataset, trains and submits on `RoundOpened` (or the
 * `nextRound` of `RoundAggregated`), aggregates once everyone submitted, and records its evaluation
 * of each new global model. Every step checks the ledger first, so replaying events after a
 * restart (or from block 0) never double-submits. The automation signs as the org's User1
 * identity (the scientist role), so the ledger shows these actions as that user's. This class
 * orders the events and routes them; the steps are {@link TrainAndSubmit}, {@link RoundAggregation},
 * {@link ModelEvaluation}, the {@link RoundTimers} and, for federations with incentives, the
 * {@link ContributionSettlementService}.
 */
@Injectable()
export class ParticipationService
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  readonly #logger = new Logger('participation');
  #subscription: { close(): void } | undefined;
  /** Set once the app starts to stop: from then on no event counts as handled unless its work finished. */
  #stopping = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #timers: RoundTimers;
  readonly #trainAndSubmit: TrainAndSubmit;
  readonly #ahead: TrainingAhead;
  readonly #aggregation: RoundAggregation;
  readonly #evaluation: ModelEvaluation;
  #rearmRetry: NodeJS.Timeout | undefined;
  /** Evaluations running beside the next round's training; awaited at shutdown. */
  readonly #evaluations = new Set<Promise<void>>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LEDGER) private readonly ledgers: LedgerProvider,
    @Inject(LEDGER_EVENTS) private readonly events: LedgerEventSource,
    bindings: DatasetBindingsStore,
    training: TrainingService,
    weights: ModelWeightsService,
    private readonly metrics: MetricsService,
    private readonly settlement: ContributionSettlementService,
    privacy: PrivacyService,
  ) {
    const ledger = (): LedgerApi => this.#ledger;
    this.#timers = new RoundTimers(
      (federationId, round) => {
        void this.#enqueue(() => this.#aggregation.aggregateIfComplete(federationId, round)).catch(
          (error: unknown) => {
            this.#logFailure('deadline', federationId, error, { round });
          },
        );
      },
      (federationId, round) => {
        void this.#enqueue(() =>
          this.#aggregation.aggregateIfComplete(federationId, round, { fallback: true }),
        ).catch((error: unknown) => {
          this.#logFailure('fallback aggregation', federationId, error, { round });
        });
      },
    );
    const turnaround = new RoundTurnaround(metrics);
    this.#ahead = new TrainingAhead(config, bindings, training, metrics, turnaround);
    this.#trainAndSubmit = new TrainAndSubmit(
      config,
      ledger,
      bindings,
      training,
      weights,
      metrics,
      privacy,
      this.#ahead,
      turnaround,
    );
    this.#aggregation = new RoundAggregation(config, ledger, privacy, this.#timers, turnaround);
    this.#evaluation = new ModelEvaluation(config, ledger, bindings, training, weights);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.participation) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'automatic participation disabled by configuration',
      });
      return;
    }
    if (this.config.trainAhead)
      this.ledgers.onBlobAggregateComputed?.((computed) => {
        if (!this.#stopping) this.#ahead.start(computed);
      });
    // Queued ahead of the first event so replayed events find the timers already armed.
    this.#rearmFromLedger();
    this.#subscription = await this.events.listen((event) => this.handle(event), {
      onArrival: (event) => {
        this.#onArrival(event);
      },
    });
    this.#logger.log({ org: this.config.mspId, msg: 'listening to ledger events' });
  }

  /**
   * Deadline and fallback-aggregator timers live in memory, and the events that armed them may be
   * behind the checkpoint, so a restarted gateway reads the ledger instead: for every running
   * federation this org participates in it arms the open round's deadline and runs the aggregation
   * check (designated aggregator at once, the others after their fallback turn). Without this a
   * gateway restarted between the last submit and the Aggregate would leave the round open until
   * someone else happened to act. Not awaited: an unreachable peer must not hold up the start; it
   * is tried again later.
   */
  #rearmFromLedger(): void {
    this.#enqueue(() => this.#rearmRounds()).catch((error: unknown) => {
      this.#logFailure('start-up timer re-arm', undefined, error);
      if (this.#stopping || !isFedLedgerError(error) || error.code !== 'LEDGER_UNAVAILABLE') return;
      this.#rearmRetry = setTimeout(() => {
        this.#rearmFromLedger();
      }, REARM_RETRY_MS);
      this.#rearmRetry.unref();
    });
  }

  async #rearmRounds(): Promise<void> {
    let bookmark = '';
    let rearmed = 0;
    do {
      const page = await this.#ledger.listFederations(REARM_PAGE_SIZE, bookmark);
      for (const federation of page.items) {
        if (!federation.participants.includes(this.config.mspId)) continue;
        await this.#catchUpSettlements(federation);
        if (federation.status !== 'running') continue;
        const round = await this.#ledger.getRound(federation.id, federation.currentRound);
        if (round.status !== 'open') continue;
        this.#timers.scheduleDeadline(federation.id, round.round, round.deadline);
        rearmed += 1;
        try {
          await this.#aggregation.aggregateIfComplete(federation.id, round.round);
        } catch (error) {
          // One federation's failed Aggregate must not leave the others' rounds unarmed.
          if (isFedLedgerError(error) && error.code === 'LEDGER_UNAVAILABLE') throw error;
          this.#logFailure('start-up aggregation check', federation.id, error, {
            round: round.round,
          });
        }
      }
      bookmark = page.bookmark;
    } while (bookmark !== '');
    this.#logger.log({
      org: this.config.mspId,
      msg: 'round timers re-armed from the ledger',
      openRounds: rearmed,
    });
  }

  /** Rounds aggregated while this gateway was down may still wait for its utilities or a settlement. */
  async #catchUpSettlements(federation: Federation): Promise<void> {
    if (federation.incentives === undefined) return;
    try {
      await this.settlement.catchUp(federation);
    } catch (error) {
      if (isFedLedgerError(error) && error.code === 'LEDGER_UNAVAILABLE') throw error;
      this.#logFailure('start-up settlement catch-up', federation.id, error);
    }
  }

  /**
   * Stops taking events as soon as shutdown starts. Nest may destroy the training service before
   * or after this one, so a step it cuts short is also recognised by its {@link ShuttingDownError}.
   */
  onModuleDestroy(): void {
    this.#stopping = true;
    this.#subscription?.close();
    this.#subscription = undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    clearTimeout(this.#rearmRetry);
    this.#timers.clear();
    await Promise.all(this.#evaluations);
  }

  /**
   * Handles one event after the previous ones. Rejects when the event's work did not finish and
   * must be delivered again: LEDGER_UNAVAILABLE (the source reconnects and redelivers it) or the
   * gateway stopping (the restarted gateway resumes from the checkpoint before it). Either way the
   * event source keeps its checkpoint before this event. Any other failure is logged and counted,
   * and the checkpoint moves on.
   */
  handle(event: LedgerEvent): Promise<void> {
    if (this.#stopping) return Promise.reject(new ShuttingDownError('the participation service'));
    const receivedAt = Date.now();
    return this.#enqueue(() => this.#dispatch(event, receivedAt));
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  get #ledger(): LedgerApi {
    return this.ledgers.ledgerFor('scientist');
  }

  async #dispatch(event: LedgerEvent, receivedAt: number): Promise<void> {
    const started = receivedAt;
    const federationId = eventFederationId(event);
    try {
      switch (event.name) {
        case EVENT.RoundOpened: {
          const { payload } = event;
          if (payload.participants.includes(this.config.mspId)) {
            this.#timers.scheduleDeadline(payload.federationId, payload.round, payload.deadline);
            await this.#trainAndSubmit.participate(payload.federationId, payload.round, receivedAt);
          }
          break;
        }
        case EVENT.SubmissionsClosed: {
          const { payload } = event;
          await this.#aggregation.onSubmissionsClosed(payload.federationId, payload.round);
          break;
        }
        case EVENT.PairSeedsRevealed: {
          const { payload } = event;
          await this.#aggregation.aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.AggregateAttested: {
          // Blob path: another org attested; the designated aggregator checks for a majority now.
          const { payload } = event;
          await this.#aggregation.aggregateIfComplete(payload.federationId, payload.round, {
            attested: true,
          });
          break;
        }
        case EVENT.UpdateSubmitted: {
          const { payload } = event;
          await this.#aggregation.aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.TrainingFailed: {
          const { payload } = event;
          await this.#aggregation.aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.RoundAggregated: {
          const { payload } = event;
          this.#timers.cancel(payload.federationId, payload.round);
          // Off the critical path: the evaluation (and its RecordEvaluation commit) runs while the
          // next round trains; only the training and submit decide when the next round closes.
          this.#evaluateInBackground(payload.federationId, payload.version);
          this.settlement.follow(payload.federationId, payload.round);
          if (payload.nextRound !== null) {
            if (payload.deadline !== undefined)
              this.#timers.scheduleDeadline(
                payload.federationId,
                payload.nextRound,
                payload.deadline,
              );
            await this.#trainAndSubmit.participate(
              payload.federationId,
              payload.nextRound,
              receivedAt,
            );
          }
          break;
        }
        case EVENT.UtilitiesRecorded: {
          // Another org's utilities may be the last ones the round waited for.
          const { payload } = event;
          this.settlement.follow(payload.federationId, payload.round);
          break;
        }
        case EVENT.ContributionsSettled: {
          const { payload } = event;
          this.settlement.settled(payload.federationId, payload.round);
          break;
        }
        default:
          return;
      }
    } catch (error) {
      if (this.#stopping || error instanceof ShuttingDownError) {
        // Not a failure of the step: the gateway stopped under it. Swallowing this would checkpoint
        // the event and this org would never take part in that round after the restart.
        this.#logger.log({
          org: this.config.mspId,
          msg: 'event left unhandled by shutdown; it is delivered again after the restart',
          event: event.name,
          federationId,
          txId: event.txId,
        });
        throw error;
      }
      this.#logFailure(event.name, federationId, error, {
        txId: event.txId,
        ms: Date.now() - started,
      });
      if (isFedLedgerError(error) && error.code === 'LEDGER_UNAVAILABLE') throw error;
    }
  }

  /**
   * Blob path (ADR 0026, 0030): an update's commit starts its download at once, and the reads of the
   * round for the aggregation that may follow. At arrival, not in turn: the events are handled one
   * by one, and this org's own training holds the turn until it submits, so the slowest org would
   * otherwise start downloading the others' updates only after its own submit, on the round's path.
   */
  #onArrival(event: LedgerEvent): void {
    if (this.#stopping || event.name !== EVENT.UpdateSubmitted) return;
    const { payload } = event;
    this.ledgers.prefetchBlobUpdate?.(
      payload.federationId,
      payload.round,
      payload.mspId,
      payload.blob,
    );
  }

  #logFailure(
    step: string,
    federationId: string | undefined,
    error: unknown,
    extra: Record<string, unknown> = {},
  ): void {
    const code = isFedLedgerError(error) ? error.code : 'INTERNAL';
    this.metrics.errors.inc({ code, source: 'participation' });
    this.#logger.error({
      org: this.config.mspId,
      msg: 'participation step failed',
      step,
      federationId,
      code,
      error: error instanceof Error ? error.message : String(error),
      ...extra,
    });
  }

  #evaluateInBackground(federationId: string, versionNumber: number): void {
    const running = this.#evaluation
      .evaluate(federationId, versionNumber)
      .catch((error: unknown) => {
        this.#logFailure('evaluation', federationId, error, { version: versionNumber });
      });
    this.#evaluations.add(running);
    void running.finally(() => this.#evaluations.delete(running));
  }
}
