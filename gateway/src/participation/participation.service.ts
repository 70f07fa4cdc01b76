import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import {
  aggregatorRank,
  EVENT,
  eventFederationId,
  LOST_AGGREGATION_RACE,
  LOST_CLOSE_RACE,
  roundReady,
  isFedLedgerError,
  sha256Hex,
  type DataSchema,
  type Federation,
  type Imputation,
  type LedgerApi,
  type LedgerEvent,
  type LedgerEventSource,
} from '@fedledger/core';
import { DatasetBindingsStore } from '../bindings/dataset-bindings.store';
import { CoalitionScoringService } from '../incentives/coalition-scoring.service';
import { ShuttingDownError } from '../common/shutting-down.error';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import { LEDGER, LEDGER_EVENTS, type LedgerProvider } from '../ledger/ledger.tokens';
import { MetricsService } from '../metrics/metrics.service';
import { ModelWeightsService } from '../models/model-weights.service';
import { PrivacyService } from '../privacy/privacy.service';
import { TrainingService } from '../training/training.service';
import { retryWhileEndorserLags } from './lagging-endorser-retry';
import { participationSeed } from './participation-seed';

/** Schema federations' schema and imputation, for training and evaluation jobs. */
function schemaOf(federation: Federation): { dataSchema?: DataSchema; imputation?: Imputation } {
  return {
    ...(federation.dataSchema !== undefined ? { dataSchema: federation.dataSchema } : {}),
    ...(federation.imputation !== undefined ? { imputation: federation.imputation } : {}),
  };
}

/**
 * A training failure caused by the data (dataset unreadable, changed, no longer fitting the schema,
 * a bad model input), as opposed to the gateway stopping or the ledger being out of reach, which are
 * retried rather than reported.
 */
function isDataFailure(error: unknown): boolean {
  if (error instanceof ShuttingDownError) return false;
  return !isFedLedgerError(error) || (error.code !== 'LEDGER_UNAVAILABLE' && error.code !== 'INTERNAL') || /dataset|schema/i.test(error.message);
}

/** Ask a little after the deadline so the peer's transaction timestamp is past it too. */
const DEADLINE_GRACE_MS = 2_000;
/** setTimeout's ceiling (~24.8 days); a later deadline is re-checked when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * How long each participant after the round's designated aggregator waits before stepping in: long
 * enough for the designated one's Aggregate (a few hundred ms to a few s on Fabric) to commit, short
 * enough that a dead aggregator costs a round seconds, not its deadline.
 */
export const AGGREGATOR_FALLBACK_MS = 5_000;
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
 * identity (the scientist role), so the ledger shows these actions as that user's.
 */
@Injectable()
export class ParticipationService implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  readonly #logger = new Logger('participation');
  #subscription: { close(): void } | undefined;
  /** Set once the app starts to stop: from then on no event counts as handled unless its work finished. */
  #stopping = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #deadlines = new Map<string, NodeJS.Timeout>();
  readonly #fallbacks = new Map<string, NodeJS.Timeout>();
  #rearmRetry: NodeJS.Timeout | undefined;
  /** Evaluations running beside the next round's training; awaited at shutdown. */
  readonly #evaluations = new Set<Promise<void>>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LEDGER) private readonly ledgers: LedgerProvider,
    @Inject(LEDGER_EVENTS) private readonly events: LedgerEventSource,
    private readonly bindings: DatasetBindingsStore,
    private readonly training: TrainingService,
    private readonly weights: ModelWeightsService,
    private readonly metrics: MetricsService,
    private readonly scoring: CoalitionScoringService,
    private readonly privacy: PrivacyService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.participation) {
      this.#logger.log({ org: this.config.mspId, msg: 'automatic participation disabled by configuration' });
      return;
    }
    // Queued ahead of the first event so replayed events find the timers already armed.
    this.#rearmFromLedger();
    this.#subscription = await this.events.listen((event) => this.handle(event));
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
      this.#rearmRetry = setTimeout(() => this.#rearmFromLedger(), REARM_RETRY_MS);
      this.#rearmRetry.unref();
    });
  }

  async #rearmRounds(): Promise<void> {
    let bookmark = '';
    let rearmed = 0;
    do {
      const page = await this.#ledger.listFederations(REARM_PAGE_SIZE, bookmark);
      for (const federation of page.items) {
        if (federation.status !== 'running' || !federation.participants.includes(this.config.mspId)) continue;
        const round = await this.#ledger.getRound(federation.id, federation.currentRound);
        if (round.status !== 'open') continue;
        this.#scheduleDeadline(federation.id, round.round, round.deadline);
        rearmed += 1;
        try {
          await this.#aggregateIfComplete(federation.id, round.round);
        } catch (error) {
          // One federation's failed Aggregate must not leave the others' rounds unarmed.
          if (isFedLedgerError(error) && error.code === 'LEDGER_UNAVAILABLE') throw error;
          this.#logFailure('start-up aggregation check', federation.id, error, { round: round.round });
        }
      }
      bookmark = page.bookmark;
    } while (bookmark !== '');
    this.#logger.log({ org: this.config.mspId, msg: 'round timers re-armed from the ledger', openRounds: rearmed });
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
    for (const timers of [this.#deadlines, this.#fallbacks]) {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    }
    await Promise.all(this.#evaluations);
  }

  /**
   * When a round's deadline passes, aggregate with whoever submitted (if at least minParticipants),
   * so one silent org cannot stall the federation. The chaincode checks the deadline against the
   * transaction timestamp; this timer only decides when to ask.
   */
  #scheduleDeadline(federationId: string, round: number, deadline: string): void {
    const key = `${federationId}\u0000${round}`;
    if (this.#deadlines.has(key) || Number.isNaN(Date.parse(deadline))) return;
    const delay = Math.max(0, Date.parse(deadline) - Date.now() + DEADLINE_GRACE_MS);
    const timer = setTimeout(() => {
      this.#deadlines.delete(key);
      if (Date.now() < Date.parse(deadline)) {
        this.#scheduleDeadline(federationId, round, deadline);
        return;
      }
      this.#enqueue(() => this.#aggregateIfComplete(federationId, round)).catch((error: unknown) => this.#logFailure('deadline', federationId, error, { round }));
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    this.#deadlines.set(key, timer);
  }

  /** The round is closed: its deadline and fallback timers have nothing left to do. */
  #cancelTimers(federationId: string, round: number): void {
    const key = `${federationId}\u0000${round}`;
    for (const timers of [this.#deadlines, this.#fallbacks]) {
      clearTimeout(timers.get(key));
      timers.delete(key);
    }
  }

  /** Steps in as aggregator after `delayMs` unless the round was aggregated meanwhile. */
  #scheduleFallback(federationId: string, round: number, delayMs: number): void {
    const key = `${federationId}\u0000${round}`;
    if (this.#fallbacks.has(key)) return;
    const timer = setTimeout(() => {
      this.#fallbacks.delete(key);
      this.#enqueue(() => this.#aggregateIfComplete(federationId, round, { fallback: true })).catch((error: unknown) => this.#logFailure('fallback aggregation', federationId, error, { round }));
    }, delayMs);
    timer.unref();
    this.#fallbacks.set(key, timer);
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
            this.#scheduleDeadline(payload.federationId, payload.round, payload.deadline);
            await this.#participate(payload.federationId, payload.round, receivedAt);
          }
          break;
        }
        case EVENT.SubmissionsClosed: {
          const { payload } = event;
          await this.#onSubmissionsClosed(payload.federationId, payload.round);
          break;
        }
        case EVENT.PairSeedsRevealed: {
          const { payload } = event;
          await this.#aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.AggregateAttested: {
          // Blob path: another org attested; the designated aggregator checks for a majority now.
          const { payload } = event;
          await this.#aggregateIfComplete(payload.federationId, payload.round, { attested: true });
          break;
        }
        case EVENT.UpdateSubmitted: {
          const { payload } = event;
          // Blob path (ADR 0026): fetch the other org's update now, while waiting for the slower ones.
          if (payload.mspId !== this.config.mspId) this.ledgers.prefetchBlobUpdate?.(payload.federationId, payload.round, payload.mspId);
          await this.#aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.TrainingFailed: {
          const { payload } = event;
          await this.#aggregateIfComplete(payload.federationId, payload.round);
          break;
        }
        case EVENT.RoundAggregated: {
          const { payload } = event;
          this.#cancelTimers(payload.federationId, payload.round);
          // Off the critical path: the evaluation (and its RecordEvaluation commit) runs while the
          // next round trains; only the training and submit decide when the next round closes.
          this.#evaluateInBackground(payload.federationId, payload.version);
          this.#scoreContributionsInBackground(payload.federationId, payload.round);
          if (payload.nextRound !== null) {
            if (payload.deadline !== undefined) this.#scheduleDeadline(payload.federationId, payload.nextRound, payload.deadline);
            await this.#participate(payload.federationId, payload.nextRound, receivedAt);
          }
          break;
        }
        case EVENT.UtilitiesRecorded: {
          const { payload } = event;
          this.#inBackground('contribution settlement', payload.federationId, () => this.scoring.settleIfComplete(payload.federationId, payload.round));
          break;
        }
        default:
          return;
      }
    } catch (error) {
      if (this.#stopping || error instanceof ShuttingDownError) {
        // Not a failure of the step: the gateway stopped under it. Swallowing this would checkpoint
        // the event and this org would never take part in that round after the restart.
        this.#logger.log({ org: this.config.mspId, msg: 'event left unhandled by shutdown; it is delivered again after the restart', event: event.name, federationId, txId: event.txId });
        throw error;
      }
      this.#logFailure(event.name, federationId, error, { txId: event.txId, ms: Date.now() - started });
      if (isFedLedgerError(error) && error.code === 'LEDGER_UNAVAILABLE') throw error;
    }
  }

  #logFailure(step: string, federationId: string | undefined, error: unknown, extra: Record<string, unknown> = {}): void {
    const code = isFedLedgerError(error) ? error.code : 'INTERNAL';
    this.metrics.errors.inc({ code, source: 'participation' });
    this.#logger.error({ org: this.config.mspId, msg: 'participation step failed', step, federationId, code, error: error instanceof Error ? error.message : String(error), ...extra });
  }

  /** Loads the federation if this org participates in it with a bound dataset, else undefined. */
  async #participation(federationId: string): Promise<{ federation: Federation; datasetId: string } | undefined> {
    const datasetId = this.bindings.get(federationId);
    if (datasetId === undefined) return undefined;
    const federation = await this.#ledger.getFederation(federationId);
    if (!federation.participants.includes(this.config.mspId)) return undefined;
    return { federation, datasetId };
  }

  /** Trains and submits for an open round; `eventAt` is when the event announcing it arrived. */
  async #participate(federationId: string, round: number, eventAt: number): Promise<void> {
    const datasetId = this.bindings.get(federationId);
    if (datasetId === undefined) {
      this.#logger.log({ org: this.config.mspId, msg: 'not training: no local dataset bound', federationId, round });
      await this.#reportIfStillOwed(federationId, round, `no local dataset is bound on ${this.config.mspId}'s gateway (PUT /federations/${federationId}/dataset binds one)`);
      return;
    }
    // Three independent reads at once: they are on the critical path of every round.
    const fetchStarted = Date.now();
    const [federation, submitted, startVersion] = await Promise.all([
      this.#ledger.getFederation(federationId),
      this.#ledger.listUpdates(federationId, round),
      this.#ledger.getModelVersion(federationId, round - 1),
    ]);
    if (!federation.participants.includes(this.config.mspId)) {
      this.#logger.log({ org: this.config.mspId, msg: 'not training: not a participant', federationId, round });
      return;
    }
    if (federation.status !== 'running' || federation.currentRound !== round) {
      this.#logger.log({ org: this.config.mspId, msg: 'skipping stale round', federationId, round, status: federation.status, currentRound: federation.currentRound });
      return;
    }
    if (submitted.some((update) => update.mspId === this.config.mspId)) {
      this.#logger.log({ org: this.config.mspId, msg: 'update already submitted', federationId, round });
      return;
    }
    const globalWeights = await this.weights.weightsOf('scientist', startVersion);
    this.#logger.log({ org: this.config.mspId, msg: 'training started', federationId, round, datasetId, fetchMs: Date.now() - fetchStarted });
    let result: Awaited<ReturnType<TrainingService['train']>>;
    try {
      result = await this.training.train({
      jobId: `${federationId}/${round}/${this.config.mspId}`,
      federationId,
      round,
      topology: federation.modelSpec.topology,
      weights: globalWeights,
      datasetId,
      featureColumns: federation.featureColumns,
      labelColumn: federation.labelColumn,
      hyperParameters: federation.hyperParameters,
      seed: participationSeed(federationId, round, this.config.mspId),
      ...(federation.featureScaling !== undefined ? { featureScaling: federation.featureScaling } : {}),
      ...schemaOf(federation),
      });
    } catch (error) {
      // The data failed, not the gateway: say so on the ledger so the round closes without waiting for its deadline.
      if (isDataFailure(error)) await this.#reportIfStillOwed(federationId, round, `training failed: ${(error as Error).message}`);
      throw error;
    }
    this.metrics.trainingSeconds.observe(result.seconds);
    const submitStarted = Date.now();
    const { payload, metrics } = await this.#submission(federation, round, globalWeights, result);
    // This org's peer showed the round open before training; another org's may still be behind.
    const update = await retryWhileEndorserLags(
      () => this.#ledger.submitUpdate({ federationId, round, numSamples: result.numSamples, digest: sha256Hex(payload), metrics }, payload),
      (attempt, delayMs) =>
        this.#logger.warn({ org: this.config.mspId, msg: 'an endorsing peer has not seen the round open yet; submitting again', federationId, round, attempt, delayMs }),
    );
    this.metrics.roundsParticipated.inc();
    const eventToSubmitMs = Date.now() - eventAt;
    this.metrics.eventToSubmitSeconds.observe(eventToSubmitMs / 1000);
    this.#logger.log({
      msg: 'update submitted',
      federationId,
      round,
      numSamples: result.numSamples,
      digest: update.digest,
      trainingSeconds: result.seconds,
      backend: result.backend,
      submitMs: Date.now() - submitStarted,
      eventToSubmitMs,
      txId: update.txId,
    });
  }

  /**
   * What goes on the ledger for a trained model: the plain weights, or under secure aggregation the
   * masked (and, with DP, clipped and noised) delta. Under DP the local training metrics stay local
   * too: they are statistics of the org's data that the noise does not cover.
   */
  async #submission(federation: Federation, round: number, start: Uint8Array, result: { weights: Uint8Array; numSamples: number; metrics: Record<string, number> }): Promise<{ payload: Uint8Array; metrics: Record<string, number> }> {
    if (federation.privacy?.secureAggregation !== true) return { payload: result.weights, metrics: result.metrics };
    const masked = await this.privacy.maskUpdate(this.#ledger, federation, round, start, result.weights, result.numSamples);
    this.#logger.log({ org: this.config.mspId, msg: 'update masked for secure aggregation', federationId: federation.id, round, dp: federation.privacy.dp !== undefined, clipped: masked.clipped });
    return { payload: masked.bytes, metrics: federation.privacy.dp !== undefined ? {} : result.metrics };
  }

  /**
   * Secure aggregation with missing updates after the deadline: the ledger must first fix the
   * submitter set (CloseSubmissions, asked by whoever's turn it is) and every survivor must reveal
   * its seeds with the dropped orgs (each gateway does that on SubmissionsClosed). True once the
   * round can be aggregated.
   */
  async #secureRoundReady(federationId: string, round: number): Promise<boolean> {
    let set;
    try {
      set = await this.#ledger.getSubmitterSet(federationId, round);
    } catch (error) {
      if (!(isFedLedgerError(error) && error.code === 'NOT_FOUND')) throw error;
      try {
        set = await this.#ledger.closeSubmissions(federationId, round);
        this.#logger.log({ org: this.config.mspId, msg: 'submitter set fixed', federationId, round, submitters: set.submitters, dropped: set.dropped });
      } catch (closeError) {
        // Another gateway fixed the set first (its SubmissionsClosed event brings this org back here).
        if (isFedLedgerError(closeError) && LOST_CLOSE_RACE.has(closeError.code)) return false;
        throw closeError;
      }
    }
    const reveals = await this.#ledger.listPairSeedReveals(federationId, round);
    return set.dropped.length === 0 || set.submitters.every((msp) => reveals.some((reveal) => reveal.mspId === msp));
  }

  /** A round's submitter set was fixed: reveal this org's seeds with the dropped orgs if it survived. */
  async #onSubmissionsClosed(federationId: string, round: number): Promise<void> {
    const federation = await this.#ledger.getFederation(federationId);
    if (!federation.participants.includes(this.config.mspId)) return;
    await this.privacy.revealIfSurvivor(this.#ledger, federation, round);
    await this.#aggregateIfComplete(federationId, round);
  }

  /**
   * The event's `submitted` count is not known to the chaincode (counting would make concurrent
   * submissions conflict), so the round's `submitted` list decides whether everyone is in. Only the
   * round's designated aggregator asks at once (see {@link aggregatorRank}); the others wait their
   * turn and ask only if the round is still open then (`fallback`). On the blob path everyone
   * asks at once when the round is complete (that attests), and the designated one again on each
   * attestation (`attested`), which accepts the model once a majority agrees.
   */
  async #aggregateIfComplete(federationId: string, round: number, { fallback = false, attested = false } = {}): Promise<void> {
    // Both reads at once: this check runs on every submission and attestation, on the round's path.
    const [federation, roundRecord] = await Promise.all([this.#ledger.getFederation(federationId), this.#ledger.getRound(federationId, round)]);
    const rank = aggregatorRank(federation.participants, round, this.config.mspId);
    if (rank < 0) return;
    if (roundRecord.status !== 'open') return;
    // The chaincode's rule (core's roundReady): an org that reported it cannot train counts as done.
    const tally = {
      participants: federation.participants.length,
      submitted: roundRecord.submitted.length,
      failed: (roundRecord.failed ?? []).filter((failure) => !roundRecord.submitted.includes(failure.mspId)).length,
      minParticipants: federation.minParticipants,
      pastDeadline: Date.now() >= Date.parse(roundRecord.deadline),
    };
    if (!roundReady(tally)) return;
    // Blob path (ADR 0022): every participant re-runs the aggregation and attests at once (its own
    // key, no contention); accepting the majority's model stays with the designated aggregator.
    const attestNow = federation.weightsPath === 'blob' && !attested;
    if (rank > 0 && !fallback && !attestNow) {
      this.#scheduleFallback(federationId, round, rank * AGGREGATOR_FALLBACK_MS);
      return;
    }
    if (fallback) this.#logger.warn({ org: this.config.mspId, msg: 'round still open after its designated aggregator had its turn: aggregating', federationId, round, rank });
    // Under secure aggregation only a round where every participant submitted needs no fixed submitter set.
    const allSubmitted = roundRecord.submitted.length >= federation.participants.length;
    if (federation.privacy?.secureAggregation === true && !allSubmitted && !(await this.#secureRoundReady(federationId, round))) return;
    const started = Date.now();
    try {
      const version = await this.#ledger.aggregate(federationId, round);
      this.#logger.log({ org: this.config.mspId, msg: 'round aggregated', federationId, round, version: version.version, modelHash: version.modelHash, ms: Date.now() - started });
    } catch (error) {
      if (isFedLedgerError(error) && LOST_AGGREGATION_RACE.has(error.code)) {
        // Blob path: QUORUM_NOT_MET after this org attested means the majority is not there yet.
        const msg = federation.weightsPath === 'blob' && error.code === 'QUORUM_NOT_MET' ? 'attested; waiting for a majority of attestations' : 'aggregation done elsewhere';
        this.#logger.log({ org: this.config.mspId, msg, federationId, round, code: error.code });
        return;
      }
      throw error;
    }
  }

  /**
   * Records on the ledger that this org cannot train the round, unless it is not (or no longer) owed:
   * not a participant, round not the open one, already submitted or already reported.
   */
  async #reportIfStillOwed(federationId: string, round: number, reason: string): Promise<void> {
    const federation = await this.#ledger.getFederation(federationId);
    if (!federation.participants.includes(this.config.mspId) || federation.status !== 'running' || federation.currentRound !== round) return;
    const roundRecord = await this.#ledger.getRound(federationId, round);
    if (roundRecord.submitted.includes(this.config.mspId) || (roundRecord.failed ?? []).some((failure) => failure.mspId === this.config.mspId)) return;
    const text = reason.length > 1000 ? `${reason.slice(0, 997)}...` : reason;
    try {
      await this.#ledger.reportTrainingFailure(federationId, round, text);
      this.#logger.warn({ org: this.config.mspId, msg: 'training failure reported on the ledger', federationId, round, reason: text });
    } catch (error) {
      if (isFedLedgerError(error) && (error.code === 'ALREADY_EXISTS' || error.code === 'ROUND_NOT_OPEN' || error.code === 'FAILED_PRECONDITION')) return;
      throw error;
    }
  }

  /** Contribution scoring (ADR 0018) beside the next round's training, for federations with incentives and a bound dataset. */
  #scoreContributionsInBackground(federationId: string, round: number): void {
    this.#inBackground('contribution scoring', federationId, async () => {
      const context = await this.#participation(federationId);
      if (context === undefined || context.federation.incentives === undefined) return;
      await this.scoring.scoreRound(federationId, round, context.datasetId);
      await this.scoring.settleIfComplete(federationId, round);
    });
  }

  #inBackground(step: string, federationId: string, work: () => Promise<void>): void {
    const running = work().catch((error: unknown) => this.#logFailure(step, federationId, error));
    this.#evaluations.add(running);
    void running.finally(() => this.#evaluations.delete(running));
  }

  #evaluateInBackground(federationId: string, versionNumber: number): void {
    const running = this.#evaluate(federationId, versionNumber).catch((error: unknown) => this.#logFailure('evaluation', federationId, error, { version: versionNumber }));
    this.#evaluations.add(running);
    void running.finally(() => this.#evaluations.delete(running));
  }

  async #evaluate(federationId: string, versionNumber: number): Promise<void> {
    const context = await this.#participation(federationId);
    if (context === undefined) return;
    const { federation, datasetId } = context;
    const version = await this.#ledger.getModelVersion(federationId, versionNumber);
    if (version.evaluations.some((evaluation) => evaluation.mspId === this.config.mspId)) {
      this.#logger.log({ org: this.config.mspId, msg: 'evaluation already recorded', federationId, version: versionNumber });
      return;
    }
    const started = Date.now();
    const weights = await this.weights.weightsOf('scientist', version);
    const result = await this.training.evaluate({
      topology: federation.modelSpec.topology,
      weights,
      datasetId,
      featureColumns: federation.featureColumns,
      labelColumn: federation.labelColumn,
      ...(federation.featureScaling !== undefined ? { featureScaling: federation.featureScaling } : {}),
      ...schemaOf(federation),
    });
    const evaluation = await this.#ledger.recordEvaluation(federationId, versionNumber, result.numSamples, result.metrics, result.backend);
    this.#logger.log({ org: this.config.mspId, msg: 'evaluation recorded', federationId, version: versionNumber, numSamples: result.numSamples, metrics: result.metrics, backend: result.backend, ms: Date.now() - started, txId: evaluation.txId });
  }
}
