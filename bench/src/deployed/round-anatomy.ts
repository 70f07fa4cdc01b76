import { type RoundMetrics, type StepTotal } from '@fedledger/demo';
import type { ByteMark } from './fabric-run-result';

/**
 * Where a fedledger round's wall time goes on Fabric, in seconds per round (means over the orgs'
 * calls from their /metrics), against the median round time.
 */
export interface RoundAnatomy {
  roundSeconds: number;
  /** Local training (the gateways' fedledger_training_seconds). */
  training: number;
  /** SubmitUpdate: endorse, order, commit (ledger). */
  submit: number;
  /** Round event reaching a gateway → its training starts: fetching the global model and the round through the ledger. */
  eventToTraining: number;
  /** Aggregate: endorse, order, commit (ledger), by one org per round. */
  aggregate: number;
  /** The rest: waiting for the slowest org, commit → event delivery, the driver's 100 ms polling. */
  waitAndNotify: number;
  /** RecordEvaluation, beside the next round's training (not on the round's path). */
  recordEvaluation: number;
  /** (submit + eventToTraining + aggregate) / round: time in ledger calls on the round's path. */
  ledgerShareLow: number;
  /** (round − training) / round: everything that is not this org's training, waiting included. */
  ledgerShareHigh: number;
}

export function roundAnatomy(roundSeconds: number, metrics: RoundMetrics): RoundAnatomy {
  const perCall = (step: StepTotal): number =>
    step.count === 0 ? Number.NaN : step.seconds / step.count;
  const training = perCall(metrics.training);
  const submit = perCall(metrics.submitUpdate);
  const eventToSubmit = perCall(metrics.eventToSubmit);
  const aggregate = perCall(metrics.aggregate);
  const eventToTraining = Math.max(0, eventToSubmit - training - submit);
  return {
    roundSeconds,
    training,
    submit,
    eventToTraining,
    aggregate,
    waitAndNotify: Math.max(0, roundSeconds - eventToSubmit - aggregate),
    recordEvaluation: perCall(metrics.recordEvaluation),
    ledgerShareLow: (submit + eventToTraining + aggregate) / roundSeconds,
    ledgerShareHigh: (roundSeconds - training) / roundSeconds,
  };
}

/** Loopback bytes per round from the driver's marks (round 0: the federation's start); rounds without both marks are left out. */
export function bytesByRound(marks: readonly ByteMark[]): number[] {
  const byRound = new Map(marks.map((m) => [m.round, m]));
  const out: number[] = [];
  for (let round = 1; byRound.has(round) && byRound.has(round - 1); round++) {
    out.push(
      (byRound.get(round) as ByteMark).loBytes - (byRound.get(round - 1) as ByteMark).loBytes,
    );
  }
  return out;
}
