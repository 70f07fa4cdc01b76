import type { RoundMetrics, StepTotal } from '@fedledger/demo';

/** Mean seconds per call of each round step, and the Aggregate attempts, from a demo's roundMetrics. */
export interface RoundSplit {
  trainingSeconds: number;
  submitSeconds: number;
  aggregateSeconds: number;
  recordEvaluationSeconds: number;
  eventToSubmitSeconds: number;
  aggregationsSucceeded: number;
  aggregationsFailed: number;
}

export function roundSplit(metrics: RoundMetrics): RoundSplit {
  const mean = (step: StepTotal): number =>
    step.count === 0 ? Number.NaN : step.seconds / step.count;
  return {
    trainingSeconds: mean(metrics.training),
    submitSeconds: mean(metrics.submitUpdate),
    aggregateSeconds: mean(metrics.aggregate),
    recordEvaluationSeconds: mean(metrics.recordEvaluation),
    eventToSubmitSeconds: mean(metrics.eventToSubmit),
    aggregationsSucceeded: metrics.aggregations.succeeded,
    aggregationsFailed: metrics.aggregations.failed,
  };
}
