import {
  createStrategy,
  decodeFlat,
  encodeFlat,
  type ClientUpdate,
  type HyperParameters,
  type ServerState,
  type StrategyConfig,
} from '@fedledger/core';
import { evaluate, trainLocal } from '@fedledger/gateway/training';
import type { OrgData, Scenario } from './scenario';

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

/** `performance.now()` marks taken as a round moves from phase to phase. */
export interface PhaseMarks {
  roundStart: number;
  submitStart: number;
  aggregateStart: number;
  evaluationStart: number;
  end: number;
}

/** A round's outcome from its final test score and phase marks (milliseconds → seconds). */
export function roundOutcome(
  round: number,
  score: { loss: number; accuracy: number },
  marks: PhaseMarks,
  ledgerCalls?: number,
): RoundOutcome {
  return {
    round,
    testAccuracy: score.accuracy,
    testLoss: score.loss,
    timing: {
      training: (marks.submitStart - marks.roundStart) / 1000,
      submit: (marks.aggregateStart - marks.submitStart) / 1000,
      aggregate: (marks.evaluationStart - marks.aggregateStart) / 1000,
      evaluation: (marks.end - marks.evaluationStart) / 1000,
      total: (marks.end - marks.roundStart) / 1000,
      ...(ledgerCalls === undefined ? {} : { ledgerCalls }),
    },
  };
}

/** Every org trains in turn (as one machine would) from the weights `startOf` gives it. */
export async function trainEveryOrg(
  scenario: Scenario,
  hyperParameters: HyperParameters,
  round: number,
  startOf: (org: OrgData) => Uint8Array,
): Promise<Array<Awaited<ReturnType<typeof trainLocal>>>> {
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

/**
 * Runs a federation with no ledger: the gateway's `trainLocal` per org (sequentially, as on one
 * machine), the core strategy over the decoded updates, then evaluation of the new global model on
 * the common test set. Each org evaluates the global model, as gateways do after every round.
 */
export async function runCoordinatorFederation(
  options: FederationRunOptions,
): Promise<FederationRun> {
  const { scenario, hyperParameters } = options;
  const strategy = createStrategy(options.strategy);
  let global = scenario.initialWeights;
  let serverState: ServerState | undefined;
  const outcomes: RoundOutcome[] = [];
  const started = performance.now();
  for (let round = 1; round <= options.rounds; round++) {
    const roundStart = performance.now();
    const trained = await trainEveryOrg(scenario, hyperParameters, round, () => global);
    const submitStart = performance.now();
    const previous = decodeFlat(global).flat;
    const updates: ClientUpdate[] = trained.map((result, k) => {
      const honest = decodeFlat(result.weights).flat;
      return {
        id: scenario.orgs[k]?.mspId,
        numSamples: result.numSamples,
        weights: options.tamper === undefined ? honest : options.tamper(k, round, honest, previous),
      };
    });
    const aggregateStart = performance.now();
    const aggregated = strategy.aggregate({
      updates,
      previous,
      ...(serverState !== undefined ? { serverState } : {}),
    });
    await options.onAggregate?.(round, updates, previous, aggregated.weights);
    serverState = aggregated.serverState;
    global = encodeFlat(scenario.weightShapes, aggregated.weights);
    const evaluationStart = performance.now();
    let score = { loss: Number.NaN, accuracy: Number.NaN };
    for (let k = 0; k < scenario.orgs.length; k++) {
      const result = await evaluate({
        topology: scenario.topology,
        weights: global,
        numFeatures: scenario.numFeatures,
        ...scenario.test,
      });
      score = { loss: result.metrics.loss, accuracy: result.metrics.accuracy };
    }
    const outcome = roundOutcome(round, score, {
      roundStart,
      submitStart,
      aggregateStart,
      evaluationStart,
      end: performance.now(),
    });
    outcomes.push(outcome);
    options.onRound?.(outcome);
  }
  return {
    rounds: outcomes,
    finalAccuracy: outcomes.at(-1)?.testAccuracy ?? Number.NaN,
    totalSeconds: (performance.now() - started) / 1000,
  };
}
