import type { GatewayClient } from './gateway-client';

/** Seconds spent in one kind of step, summed over the hospital gateways (from their `/metrics`). */
export interface StepTotal {
  count: number;
  seconds: number;
}

/** Where a federation's time went, and how aggregation went, as the gateways themselves counted it. */
export interface RoundMetrics {
  /** Successful and failed Aggregate transactions over all hospital gateways (failed: a lost race or an error). */
  aggregations: { succeeded: number; failed: number };
  training: StepTotal;
  submitUpdate: StepTotal;
  aggregate: StepTotal;
  recordEvaluation: StepTotal;
  /** A round event reaching a gateway → its update committed. */
  eventToSubmit: StepTotal;
  /** A round found complete at a gateway → its training for the next round started (ADR 0030). */
  turnaround: StepTotal;
  /** Blob-path trainings started ahead of the acceptance, by outcome (ADR 0030). */
  trainedAhead: { used: number; discarded: number; failed: number };
}

/** Sums `<name>_sum` and `<name>_count` of a Prometheus histogram over the series whose labels match. */
export function histogramTotal(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): StepTotal {
  return {
    count: counterTotal(exposition, `${name}_count`, labels),
    seconds: counterTotal(exposition, `${name}_sum`, labels),
  };
}

/** Sums the samples named `name` (a counter, or one series of a histogram) whose labels match. */
export function counterTotal(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    const match = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const seriesLabels = Object.fromEntries(
      [...(match.at(2) ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => seriesLabels[key] === value))
      total += Number(match[3]);
  }
  return total;
}

/** Reads the hospitals' `/metrics` (at the end of a run) into a {@link RoundMetrics}. */
export async function collectRoundMetrics(
  hospitals: readonly GatewayClient[],
): Promise<RoundMetrics> {
  const expositions = await Promise.all(hospitals.map((gateway) => gateway.metrics()));
  const sum = (name: string, labels: Record<string, string> = {}): StepTotal =>
    expositions
      .map((text) => histogramTotal(text, name, labels))
      .reduce((a, b) => ({ count: a.count + b.count, seconds: a.seconds + b.seconds }), {
        count: 0,
        seconds: 0,
      });
  const ahead = (outcome: string): number =>
    expositions.reduce(
      (total, text) => total + counterTotal(text, 'fedledger_trained_ahead_total', { outcome }),
      0,
    );
  const allAggregate = sum('fedledger_ledger_tx_seconds', { transaction: 'aggregate' });
  const okAggregate = sum('fedledger_ledger_tx_seconds', {
    transaction: 'aggregate',
    outcome: 'ok',
  });
  return {
    aggregations: { succeeded: okAggregate.count, failed: allAggregate.count - okAggregate.count },
    training: sum('fedledger_training_seconds'),
    submitUpdate: sum('fedledger_ledger_tx_seconds', {
      transaction: 'submitUpdate',
      outcome: 'ok',
    }),
    aggregate: okAggregate,
    recordEvaluation: sum('fedledger_ledger_tx_seconds', {
      transaction: 'recordEvaluation',
      outcome: 'ok',
    }),
    eventToSubmit: sum('fedledger_event_to_submit_seconds'),
    turnaround: sum('fedledger_round_turnaround_seconds'),
    trainedAhead: {
      used: ahead('used'),
      discarded: ahead('discarded'),
      failed: ahead('failed'),
    },
  };
}
