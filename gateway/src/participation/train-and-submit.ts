import { Logger } from '@nestjs/common';
import { isFedLedgerError, sha256Hex, type Federation, type LedgerApi } from '@fedledger/core';
import type { PrivacyService } from '../api/privacy/privacy.service';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { TrainingService, TrainResult } from '../ml/training/training.service';
import { ShuttingDownError } from '../platform/common/shutting-down.error';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { MetricsService } from '../platform/metrics/metrics.service';
import { retryWhileEndorserLags } from './lagging-endorser-retry';
import { roundTrainJob } from './round-train-job';
import type { RoundTurnaround } from './round-turnaround';
import type { TrainingAhead } from './training-ahead';

/**
 * A training failure caused by the data (dataset unreadable, changed, no longer fitting the schema,
 * a bad model input), as opposed to the gateway stopping or the ledger being out of reach, which are
 * retried rather than reported.
 */
function isDataFailure(error: unknown): boolean {
  if (error instanceof ShuttingDownError) return false;
  return (
    !isFedLedgerError(error) ||
    (error.code !== 'LEDGER_UNAVAILABLE' && error.code !== 'INTERNAL') ||
    /dataset|schema/i.test(error.message)
  );
}

/**
 * This org's part in an open round: train the global model on the locally bound dataset and submit
 * the update (masked under secure aggregation), or record on the ledger why it cannot.
 */
export class TrainAndSubmit {
  readonly #logger = new Logger('participation');

  constructor(
    private readonly config: GatewayConfig,
    private readonly ledger: () => LedgerApi,
    private readonly bindings: DatasetBindingsStore,
    private readonly training: TrainingService,
    private readonly weights: ModelWeightsService,
    private readonly metrics: MetricsService,
    private readonly privacy: PrivacyService,
    private readonly ahead: TrainingAhead,
    private readonly turnaround: RoundTurnaround,
  ) {}

  /** Trains and submits for an open round; `eventAt` is when the event announcing it arrived. */
  async participate(federationId: string, round: number, eventAt: number): Promise<void> {
    const datasetId = this.bindings.get(federationId);
    if (datasetId === undefined) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'not training: no local dataset bound',
        federationId,
        round,
      });
      await this.#reportIfStillOwed(
        federationId,
        round,
        `no local dataset is bound on ${this.config.mspId}'s gateway (PUT /federations/${federationId}/dataset binds one)`,
      );
      return;
    }
    // Three independent reads at once: they are on the critical path of every round.
    const fetchStarted = Date.now();
    const [federation, submitted, startVersion] = await Promise.all([
      this.ledger().getFederation(federationId),
      this.ledger().listUpdates(federationId, round),
      this.ledger().getModelVersion(federationId, round - 1),
    ]);
    // Handed over here whatever follows, so a round that is skipped below leaves nothing behind.
    const ahead = this.ahead.take(federationId, round);
    if (!federation.participants.includes(this.config.mspId)) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'not training: not a participant',
        federationId,
        round,
      });
      return;
    }
    if (federation.status !== 'running' || federation.currentRound !== round) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'skipping stale round',
        federationId,
        round,
        status: federation.status,
        currentRound: federation.currentRound,
      });
      return;
    }
    if (submitted.some((update) => update.mspId === this.config.mspId)) {
      this.#logger.log({
        org: this.config.mspId,
        msg: 'update already submitted',
        federationId,
        round,
      });
      return;
    }
    this.ahead.remember(federation);
    if (ahead !== undefined && ahead.modelHash !== startVersion.modelHash) {
      // This org computed another model than the majority accepted: what it trained from is not the round's.
      this.ahead.settle('discarded');
      this.#logger.warn({
        org: this.config.mspId,
        msg: 'trained ahead from a model the round did not accept; training again',
        federationId,
        round,
        trainedFrom: ahead.modelHash,
        accepted: startVersion.modelHash,
      });
      await ahead.result.catch(() => undefined);
    }
    const usable = ahead?.modelHash === startVersion.modelHash ? ahead : undefined;
    const globalWeights =
      usable?.weights ?? (await this.weights.weightsOf('scientist', startVersion));
    const turnaroundMs =
      usable === undefined ? this.turnaround.trainingStarted(federationId, round) : undefined;
    this.#logger.log({
      org: this.config.mspId,
      msg: usable === undefined ? 'training started' : 'using the training started ahead',
      federationId,
      round,
      datasetId,
      fetchMs: Date.now() - fetchStarted,
      turnaroundMs,
    });
    let result: TrainResult;
    try {
      result = await (usable?.result ??
        this.training.train(
          roundTrainJob(federation, round, globalWeights, datasetId, this.config.mspId),
        ));
      if (usable !== undefined) this.ahead.settle('used');
    } catch (error) {
      if (usable !== undefined) this.ahead.settle('failed');
      // The data failed, not the gateway: say so on the ledger so the round closes without waiting for its deadline.
      if (isDataFailure(error))
        await this.#reportIfStillOwed(
          federationId,
          round,
          `training failed: ${(error as Error).message}`,
        );
      throw error;
    }
    this.metrics.trainingSeconds.observe(result.seconds);
    const submitStarted = Date.now();
    const { payload, metrics } = await this.#submission(federation, round, globalWeights, result);
    // This org's peer showed the round open before training; another org's may still be behind.
    const update = await retryWhileEndorserLags(
      () =>
        this.ledger().submitUpdate(
          {
            federationId,
            round,
            numSamples: result.numSamples,
            digest: sha256Hex(payload),
            metrics,
          },
          payload,
        ),
      (attempt, delayMs) => {
        this.#logger.warn({
          org: this.config.mspId,
          msg: 'an endorsing peer has not seen the round open yet; submitting again',
          federationId,
          round,
          attempt,
          delayMs,
        });
      },
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
  async #submission(
    federation: Federation,
    round: number,
    start: Uint8Array,
    result: TrainResult,
  ): Promise<{ payload: Uint8Array; metrics: Record<string, number> }> {
    if (federation.privacy?.secureAggregation !== true)
      return { payload: result.weights, metrics: result.metrics };
    const masked = await this.privacy.maskUpdate(
      this.ledger(),
      federation,
      round,
      start,
      result.weights,
      result.numSamples,
    );
    this.#logger.log({
      org: this.config.mspId,
      msg: 'update masked for secure aggregation',
      federationId: federation.id,
      round,
      dp: federation.privacy.dp !== undefined,
      clipped: masked.clipped,
    });
    return {
      payload: masked.bytes,
      metrics: federation.privacy.dp !== undefined ? {} : result.metrics,
    };
  }

  /**
   * Records on the ledger that this org cannot train the round, unless it is not (or no longer) owed:
   * not a participant, round not the open one, already submitted or already reported.
   */
  async #reportIfStillOwed(federationId: string, round: number, reason: string): Promise<void> {
    const federation = await this.ledger().getFederation(federationId);
    if (
      !federation.participants.includes(this.config.mspId) ||
      federation.status !== 'running' ||
      federation.currentRound !== round
    )
      return;
    const roundRecord = await this.ledger().getRound(federationId, round);
    if (
      roundRecord.submitted.includes(this.config.mspId) ||
      (roundRecord.failed ?? []).some((failure) => failure.mspId === this.config.mspId)
    )
      return;
    const text = reason.length > 1000 ? `${reason.slice(0, 997)}...` : reason;
    try {
      await this.ledger().reportTrainingFailure(federationId, round, text);
      this.#logger.warn({
        org: this.config.mspId,
        msg: 'training failure reported on the ledger',
        federationId,
        round,
        reason: text,
      });
    } catch (error) {
      if (
        isFedLedgerError(error) &&
        (error.code === 'ALREADY_EXISTS' ||
          error.code === 'ROUND_NOT_OPEN' ||
          error.code === 'FAILED_PRECONDITION')
      )
        return;
      throw error;
    }
  }
}
