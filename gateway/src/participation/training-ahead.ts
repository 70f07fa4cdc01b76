import { Logger } from '@nestjs/common';
import type { Federation } from '@fedledger/core';
import type { ComputedAggregate } from '../ledger/port/ledger.tokens';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { TrainingService, TrainResult } from '../ml/training/training.service';
import type { GatewayConfig } from '../platform/config/gateway-config';
import type { MetricsService } from '../platform/metrics/metrics.service';
import { roundTrainJob } from './round-train-job';
import type { RoundTurnaround } from './round-turnaround';

/** A training of round `round` started from the model this org computed for round − 1. */
export interface AheadTraining {
  round: number;
  /** The hash of the model it starts from: usable only if the ledger accepts this model. */
  modelHash: string;
  weights: Uint8Array;
  result: Promise<TrainResult>;
}

/**
 * Training ahead on the blob path (ADR 0030). Every participant computes the round's aggregate
 * itself before attesting it, so it holds the next round's starting model before the ledger has
 * accepted anything. The next round's training starts from it at once, while the attestations, the
 * acceptance and their events commit; when the round opens, {@link TrainAndSubmit} uses the result
 * only if the accepted model's hash is the one trained from, and trains again otherwise. Nothing is
 * submitted early: the update goes to the ledger after the round opened, as always, and is the same
 * job (same seed, same inputs) the org would have run after the acceptance.
 */
export class TrainingAhead {
  readonly #logger = new Logger('participation');
  /** The federations this org trained in since start, as last read (their training inputs never change while they run). */
  readonly #federations = new Map<string, Federation>();
  /** At most one per federation: the next round's. */
  readonly #running = new Map<string, AheadTraining>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly bindings: DatasetBindingsStore,
    private readonly training: TrainingService,
    private readonly metrics: MetricsService,
    private readonly turnaround: RoundTurnaround,
  ) {}

  /** Remembers a federation this org trains in, so that its next rounds can start without a read. */
  remember(federation: Federation): void {
    this.#federations.set(federation.id, federation);
  }

  /** Starts training round `computed.round + 1` from this org's aggregate, if there is such a round for it. */
  start(computed: ComputedAggregate): void {
    const federation = this.#federations.get(computed.federationId);
    const datasetId = this.bindings.get(computed.federationId);
    const round = computed.round + 1;
    if (federation === undefined || datasetId === undefined || round > federation.rounds) return;
    if (this.#running.get(federation.id)?.round === round) return; // a retried attestation
    const turnaroundMs = this.turnaround.trainingStarted(federation.id, round);
    const result = this.training.train(
      roundTrainJob(federation, round, computed.weights, datasetId, this.config.mspId),
    );
    // Awaited when the round opens; until then a failure must not count as unhandled.
    result.catch(() => undefined);
    this.#running.set(federation.id, {
      round,
      modelHash: computed.modelHash,
      weights: computed.weights,
      result,
    });
    this.#logger.log({
      org: this.config.mspId,
      msg: 'training ahead from the aggregate computed here',
      federationId: federation.id,
      round,
      from: computed.modelHash,
      fetchMs: computed.fetchMs,
      aggregateMs: computed.aggregateMs,
      turnaroundMs,
    });
  }

  /**
   * The training ahead of `round`, if any, handed over once (an older one is dropped). The caller
   * checks its `modelHash` against the accepted model and counts the outcome with {@link settle}.
   */
  take(federationId: string, round: number): AheadTraining | undefined {
    const ahead = this.#running.get(federationId);
    if (ahead === undefined || ahead.round > round) return undefined;
    this.#running.delete(federationId);
    return ahead.round === round ? ahead : undefined;
  }

  settle(outcome: 'used' | 'discarded' | 'failed'): void {
    this.metrics.trainedAhead.inc({ outcome });
  }
}
