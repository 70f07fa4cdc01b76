import { median, ratio } from '../report/stats';
import type { Cell } from '../report/table';

/** One system's run at one org count, as the side-by-side table needs it. */
export interface SystemRun {
  orgs: number;
  system: string;
  startupSeconds: number;
  roundSeconds: number[];
  /** All rounds, from the federation's start to the last global model (fedledger) / last evaluate phase (Flower). */
  roundsSeconds: number;
  endToEndSeconds: number;
  startupBytes: number;
  bytesByRound: number[];
  roundsBytes: number;
  /** Initial model, then after each round. */
  accuracyByRound: number[];
  /** The peer system: the "vs Flower" baseline at its org count. */
  isPeer: boolean;
}

/** A comma-separated list of org counts (2–10, no duplicates), in the given order. */
export function parseOrgCounts(text: string): number[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new Error('no org count given (e.g. 3,5)');
  const counts = parts.map((part) => {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < 2 || n > 10)
      throw new Error(`an org count must be an integer from 2 to 10 (got '${part}')`);
    return n;
  });
  if (new Set(counts).size !== counts.length)
    throw new Error(`an org count is listed twice in '${text}'`);
  return counts;
}

/** Round 1 alone (warm-up), then the median of the others (all of them when there is only one). */
export function steadyRound(seconds: readonly number[]): number {
  if (seconds.length === 0) return Number.NaN;
  return median(seconds.length > 1 ? seconds.slice(1) : seconds);
}

/**
 * Table rows, one per run, in the given order: start-up, round 1, the steady round and its ratio to
 * the peer's at the same org count, the rounds' and end-to-end wall time, bytes (MB; kB per round)
 * and the accuracy after each round.
 */
export function sideBySideRows(runs: readonly SystemRun[]): Cell[][] {
  return runs.map((run) => {
    const peer = runs.find((other) => other.isPeer && other.orgs === run.orgs);
    return [
      run.orgs,
      run.system,
      run.startupSeconds,
      run.roundSeconds[0] ?? Number.NaN,
      steadyRound(run.roundSeconds),
      peer === undefined
        ? 'n/a'
        : ratio(steadyRound(run.roundSeconds), steadyRound(peer.roundSeconds)).toFixed(2),
      run.roundsSeconds,
      run.endToEndSeconds,
      run.startupBytes / 1e6,
      run.bytesByRound.length === 0 ? Number.NaN : median(run.bytesByRound) / 1e3,
      run.roundsBytes / 1e6,
      run.accuracyByRound.map((a) => a.toFixed(3)).join(' '),
    ];
  });
}
