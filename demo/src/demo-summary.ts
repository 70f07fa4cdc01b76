import type { HyperParameters, StrategyConfig } from '@fedledger/core';
import type { AuditView } from './audit-view';
import type { HeldOutScore } from './demo-evaluation';
import type { RoundMetrics } from './round-metrics';
import type { LedgerKind } from './running-consortium';

/** How far (as a fraction) federated accuracy may trail centralized accuracy for the demo's goal. */
export const GOAL_MAX_GAP_TO_CENTRALIZED = 0.03;

/** `demo-output/summary.json`. Accuracies are fractions in [0, 1], all on the same pooled held-out set. */
export interface DemoSummary {
  ledger: LedgerKind;
  /** Why the run is not on Fabric (in-process only). */
  ledgerNote?: string;
  /** The Fabric release of the network (fabric only), e.g. `3.1.5`. */
  fabricVersion?: string;
  rounds: number;
  /** Accuracy of the last global model through the federation's input scaling (without one: mean over the hospitals' own scalings). */
  finalAccuracy: number;
  /** The round the consortium's model selection picked (best sample-weighted validation accuracy; ADR 0017): the model to deploy. */
  selectedRound: number;
  /** Held-out accuracy of the selected round's model; the goal is judged on it. */
  selectedAccuracy: number;
  centralizedAccuracy: number;
  localOnlyAccuracy: Record<string, number>;
  finalModelHash: string;
  verifiedByAuditor: boolean;
  /** Wall seconds per round, from the previous global model (or the start) to the new one on the ledger, as seen by polling every 100 ms. */
  roundSeconds: number[];
  /** Global accuracy before training (round 0) and after each round. */
  roundAccuracy: Array<{
    round: number;
    accuracy: number;
    auc: number | null;
    byHospital?: Record<string, number>;
    modelHash: string;
  }>;
  /** How model inputs were scaled: the federation's recorded scaling, or each hospital's own statistics. */
  inputScaling: { source: 'federation' | 'per-hospital'; center?: number[]; scale?: number[] };
  /** How each accuracy was computed. */
  accuracyNote: string;
  finalAuc: number | null;
  centralizedAuc: number | null;
  localOnlyAuc: Record<string, number | null>;
  goal: {
    maxGapToCentralized: number;
    gapToCentralized: number;
    bestLocalOnly: number;
    withinGapOfCentralized: boolean;
    aboveBestLocalOnly: boolean;
    met: boolean;
  };
  federationId: string;
  dataset: {
    generator: string;
    rows: number;
    split: string;
    seed: number;
    heldOutRows: number;
    heldOutPositiveRate: number;
    hospitals: Array<{
      mspId: string;
      rows: number;
      train: number;
      validation: number;
      positiveRate: number;
      fileSha256: string;
    }>;
  };
  model: {
    preset: string;
    hiddenUnits: number[];
    hyperParameters: HyperParameters;
    strategy: StrategyConfig;
    localOnlyAndCentralizedEpochs: number;
  };
  audit: {
    lineageIntact: boolean;
    auditorWeightsAccess: string;
    finalModel: AuditView['finalModel'];
    lineage: AuditView['lineage'];
    timelineEntries: number;
    timelineActions: Record<string, number>;
  };
  /** What the hospital gateways' own `/metrics` counted: Aggregate attempts, and time per kind of step. */
  roundMetrics: RoundMetrics;
  gateways: Array<{ mspId: string; url: string; swagger: string }>;
  tfjsBackend: string;
  wallSeconds: number;
  startedAt: string;
}

/** Decides the demo's goal from the scores; never adjusts them. */
export function evaluateGoal(
  finalAccuracy: number,
  centralized: HeldOutScore,
  localOnly: HeldOutScore[],
): DemoSummary['goal'] {
  const bestLocalOnly = Math.max(...localOnly.map((score) => score.accuracy));
  const gapToCentralized = centralized.accuracy - finalAccuracy;
  const withinGapOfCentralized = gapToCentralized <= GOAL_MAX_GAP_TO_CENTRALIZED;
  const aboveBestLocalOnly = finalAccuracy > bestLocalOnly;
  return {
    maxGapToCentralized: GOAL_MAX_GAP_TO_CENTRALIZED,
    gapToCentralized,
    bestLocalOnly,
    withinGapOfCentralized,
    aboveBestLocalOnly,
    met: withinGapOfCentralized && aboveBestLocalOnly,
  };
}
