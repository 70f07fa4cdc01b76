import { median } from '../report/stats';
import type { FederationRun, RoundTiming } from './round-loop';

const FIELDS: (keyof RoundTiming)[] = [
  'training',
  'submit',
  'aggregate',
  'evaluation',
  'total',
  'ledgerCalls',
];

/** Median of each phase over a run's rounds (`ledgerCalls` only when the run has it). */
export function medianTiming(run: FederationRun): RoundTiming {
  const timing: Partial<RoundTiming> = {};
  for (const field of FIELDS) {
    const values = run.rounds
      .map((r) => r.timing[field])
      .filter((v): v is number => v !== undefined);
    if (values.length > 0) {
      timing[field] = median(values);
    }
  }
  return timing as RoundTiming;
}
