import type { ClientUpdate, HyperParameters, StrategyConfig } from '@fedledger/core';
import { trainLocal } from '@fedledger/gateway/training';
import type { OrgData, Scenario } from './scenario';

export type TrainResult = Awaited<ReturnType<typeof trainLocal>>;

/** Wall time of one round's phases, in seconds. */
export interface RoundTiming {
  training: number;
  /** Coordinator: decoding each update into the aggregation input. Ledger: SubmitUpdate transactions. */
  submit: number;
  aggregate: number;
  /** Every org scoring the new global model (on the common test set); ledger: plus fetching it and RecordEvaluation. */
  evaluation: number;
  total: number;
  /** Ledger runs only: time inside LedgerApi calls (transactions and queries) during the round. */
  ledgerCalls?: number;
}

export interface RoundOutcome {
  round: number;
  testAccuracy: number;
  testLoss: number;
  timing: RoundTiming;
}

export interface FederationRun {
  rounds: RoundOutcome[];
  finalAccuracy: number;
  totalSeconds: number;
}

export interface FederationRunOptions {
  scenario: Scenario;
  strategy: StrategyConfig;
  hyperParameters: HyperParameters;
  rounds: number;
  /** Called after every round (progress output). */
  onRound?: (outcome: RoundOutcome) => void;
  /**
   * Replaces what org `orgIndex` submits (attack harness): gets its honestly trained flat weights
   * and the round's starting global model, returns the flat weights it submits instead.
   */
  tamper?: (
    orgIndex: number,
    round: number,
    trained: Float32Array,
    global: Float32Array,
  ) => Float32Array;
  /** Called with every round's submitted updates, the previous global model and the aggregate (contribution scoring). */
  onAggregate?: (
    round: number,
    updates: ClientUpdate[],
    previous: Float32Array,
    aggregate: Float32Array,
  ) => Promise<void> | void;
}

/** Seed of an org's local batch order in a round: fixed so reruns train on identical batches. */
export function localSeed(round: number, orgIndex: number): number {
  return 1000 * round + orgIndex;
}

/** Every org trains in turn (as one machine would) from the weights `startOf` gives it. */
export async function trainEveryOrg(
  scenario: Scenario,
  hyperParameters: HyperParameters,
  round: number,
  startOf: (org: OrgData) => Uint8Array,
): Promise<TrainResult[]> {
  const trained = [];
  for (const [k, org] of scenario.orgs.entries()) {
    trained.push(
      await trainLocal({
        topology: scenario.topology,
        weights: startOf(org),
        features: org.features,
        labels: org.labels,
        numFeatures: scenario.numFeatures,
        hyperParameters,
        seed: localSeed(round, k),
      }),
    );
  }
  return trained;
}

/**
 * What one kind of bench federation does in each phase of a round (no ledger, the in-process
 * ledger, the secure-aggregation path); {@link runRounds} is the loop around them, shared so that
 * every kind times the same phases the same way.
 */
export interface RoundSteps<Submitted> {
  /** The weights an org starts this round's training from. */
  startOf(org: OrgData): Uint8Array;
  /** The "submit" phase: from the orgs' trained results to what the aggregation takes. */
  submit(trained: TrainResult[], round: number): Promise<Submitted> | Submitted;
  /** The "aggregate" phase: computes (or commits) the round's new global model. */
  aggregate(submitted: Submitted, round: number): Promise<void> | void;
  /** The "evaluation" phase: every org scores the new global model; the last score is reported. */
  evaluate(round: number): Promise<{ loss: number; accuracy: number }>;
  /** Ledger runs: seconds spent inside ledger calls since the last call of this (once per round). */
  takeLedgerSeconds?(): number;
}

/** Runs `options.rounds` rounds of train → submit → aggregate → evaluate, timing each phase. */
export async function runRounds<Submitted>(
  options: FederationRunOptions,
  steps: RoundSteps<Submitted>,
): Promise<FederationRun> {
  const { scenario, hyperParameters } = options;
  const outcomes: RoundOutcome[] = [];
  const started = performance.now();
  for (let round = 1; round <= options.rounds; round++) {
    const roundStart = performance.now();
    const trained = await trainEveryOrg(scenario, hyperParameters, round, (org) =>
      steps.startOf(org),
    );
    const submitStart = performance.now();
    const submitted = await steps.submit(trained, round);
    const aggregateStart = performance.now();
    await steps.aggregate(submitted, round);
    const evaluationStart = performance.now();
    const score = await steps.evaluate(round);
    const end = performance.now();
    const outcome: RoundOutcome = {
      round,
      testAccuracy: score.accuracy,
      testLoss: score.loss,
      timing: {
        training: (submitStart - roundStart) / 1000,
        submit: (aggregateStart - submitStart) / 1000,
        aggregate: (evaluationStart - aggregateStart) / 1000,
        evaluation: (end - evaluationStart) / 1000,
        total: (end - roundStart) / 1000,
        ...(steps.takeLedgerSeconds === undefined
          ? {}
          : { ledgerCalls: steps.takeLedgerSeconds() }),
      },
    };
    outcomes.push(outcome);
    options.onRound?.(outcome);
  }
  return {
    rounds: outcomes,
    finalAccuracy: outcomes.at(-1)?.testAccuracy ?? Number.NaN,
    totalSeconds: (performance.now() - started) / 1000,
  };
}
