import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Buckets for round steps that take from a fraction of a second to minutes (training, event to submit). */
const ROUND_STEP_BUCKETS_SECONDS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];

/**
 * Prometheus metrics of one gateway. Each app owns its registry (not prom-client's global one), so
 * several gateways can run in one process (tests, the single-process demo).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly roundsParticipated = new Counter({
    name: 'fedledger_rounds_participated_total',
    help: 'Rounds for which this gateway trained and submitted an update',
    registers: [this.registry],
  });

  readonly trainingSeconds = new Histogram({
    name: 'fedledger_training_seconds',
    help: 'Duration of local training jobs',
    buckets: ROUND_STEP_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly eventToSubmitSeconds = new Histogram({
    name: 'fedledger_event_to_submit_seconds',
    help: 'From the ledger event that opened a round reaching this gateway to its update being committed: fetch, training, submit (training ahead, ADR 0030: only what is left of a training that started before the event)',
    buckets: ROUND_STEP_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly roundTurnaroundSeconds = new Histogram({
    name: 'fedledger_round_turnaround_seconds',
    help: 'From this gateway finding a round complete to its training for the next round starting: the ledger and transfer time between two trainings (ADR 0030)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly trainedAhead = new Counter({
    name: 'fedledger_trained_ahead_total',
    help: "Blob-path trainings started from this org's own aggregate before its acceptance (ADR 0030), by outcome: used (that model was accepted), discarded (another was), failed",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly unsettledRounds = new Gauge({
    name: 'fedledger_contribution_rounds_unsettled',
    help: 'Aggregated rounds with incentives that this gateway is seeing through to settlement (scoring, waiting for other orgs, or retrying a failed step); GET /federations/{id}/rounds/{round}/settlement says why',
    registers: [this.registry],
  });

  readonly ledgerTxSeconds = new Histogram({
    name: 'fedledger_ledger_tx_seconds',
    help: 'Latency of ledger transactions by transaction and outcome',
    labelNames: ['transaction', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly conflictRetries = new Counter({
    name: 'fedledger_ledger_conflict_retries_total',
    help: 'Submits that failed validation with an MVCC or phantom read conflict and were endorsed again, by transaction and validation code',
    labelNames: ['transaction', 'status'] as const,
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'fedledger_errors_total',
    help: 'Errors by stable code and where they surfaced: http (answered to a client), ledger (a ledger call failed), participation (an automatic step failed)',
    labelNames: ['code', 'source'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fedledger_gateway_' });
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
