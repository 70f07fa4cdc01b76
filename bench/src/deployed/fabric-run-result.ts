import type { HyperParameters } from '@fedledger/core';
import type { RoundMetrics, StepTotal } from '@fedledger/demo';

/** Wall clock (ms) and the namespace's loopback bytes when the driver saw round `round`'s global model. */
export interface ByteMark {
  round: number;
  t: number;
  loBytes: number;
}

/** One consecutive phase of the fedledger run: its wall time and loopback bytes. */
export interface Phase {
  phase: string;
  seconds: number;
  bytes: number;
  /** Of those, HTTP bodies of the demo driver's REST calls to the gateways (request + response; headers not counted). */
  driverBodyBytes: number;
  endedAt: number;
  loBytesAtEnd: number;
}

/** What fabric-federation-main.ts writes. */
export interface FabricRunResult {
  orgs: number;
  rounds: number;
  hyperParameters: HyperParameters;
  tfjsBackend: string;
  /** prepare, startup (network up, deployCC, gateways, datasets), federation, finalEvaluations, collect, teardown. */
  phases: Phase[];
  /** The demo's per-round wall time: previous global model seen on the ledger → this one. */
  roundSeconds: number[];
  /** Held-out accuracy of the initial model, then after each round. */
  accuracyByRound: number[];
  roundMarks: ByteMark[];
  roundMetrics: RoundMetrics;
  /** The gateways' `aggregate` calls by outcome (aggregate-outcomes.ts); absent in older results. */
  aggregateOutcomes?: Record<string, StepTotal>;
  /**
   * TCP payload bytes of the rounds (federation phase) per kind of connection, client → server, from
   * `ss` snapshots at its start and end: connections opened and closed in between are missed.
   */
  connectionBytes?: Record<string, number>;
  initialModelHash: string;
  finalModelHash: string;
  gatewayPids: number[];
  /** The MLP's hidden layers, the cohort's rows and Dirichlet α, and where the federation's weights went (blob or the ledger); absent in older results (the demo model). */
  model?: { hiddenUnits: number[]; rows: number; alpha: number; weightsPath: string };
  /** Set by the bench: processes still in the namespace after the run, which it had to stop. */
  leftoverPids?: number;
}

const ROUND_LINE = /^round (\d+)\/\d+ aggregated in /;
const START_LINE = / started the federation; /;

/**
 * The demo's federation driver logs `… started the federation; …` after StartFederation, then one
 * `round r/R aggregated in …` line as it sees each new global model: the bench reads the time and the
 * loopback counter there (round 0: the start). Other lines give undefined.
 */
export function roundMarkFromLog(
  line: string,
  now: number,
  readBytes: () => number,
): ByteMark | undefined {
  if (START_LINE.test(line)) return { round: 0, t: now, loBytes: readBytes() };
  const match = ROUND_LINE.exec(line);
  return match === null ? undefined : { round: Number(match[1]), t: now, loBytes: readBytes() };
}
