import { FedLedgerError } from '../errors';
import type { ModelVersion } from '../types';
import { majority } from '../quorum';

/** Metrics a consortium may select a model by; loss is better when lower, the others when higher. */
export const SELECTION_METRICS = ['accuracy', 'auc', 'loss'] as const;
export type SelectionMetric = (typeof SELECTION_METRICS)[number];

/** One version's consortium-level validation score. */
export interface VersionScore {
  version: number;
  round: number;
  modelHash: string;
  /** Σ numSamples·metric / Σ numSamples over the orgs' evaluations that report the metric. */
  value: number;
  /** Validation rows behind `value`. */
  numSamples: number;
  /** Orgs whose evaluation entered `value`, sorted. */
  evaluatedBy: string[];
  /** True when at least a majority of the participants evaluated it (only then can it be selected). */
  eligible: boolean;
}

/** The consortium's view of which model to deploy: every version's score and the best round so far. */
export interface ModelSelection {
  federationId: string;
  metric: SelectionMetric;
  higherIsBetter: boolean;
  participants: number;
  /** Versions ≥ 1 with at least one evaluation reporting the metric, oldest first. */
  versions: VersionScore[];
  /** The eligible version with the best value (the earliest on ties); absent until one is eligible. */
  best?: VersionScore;
  /** The newest version, so a reader sees at once whether the best is the last. */
  latestVersion: number;
}

/** Throws INVALID_ARGUMENT unless `metric` is one of {@link SELECTION_METRICS}. */
export function parseSelectionMetric(metric: string): SelectionMetric {
  if (!(SELECTION_METRICS as readonly string[]).includes(metric)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `metric must be one of ${SELECTION_METRICS.join(', ')}, got ${JSON.stringify(metric)}`,
    );
  }
  return metric as SelectionMetric;
}

/**
 * Scores every version by the sample-weighted mean of the orgs' validation metric and picks the
 * best eligible one. Version 0 (the untrained initial model) is never a candidate. Sums run over
 * evaluations sorted by MSP id, so every peer computes the same value.
 */
export function selectModel(
  federationId: string,
  participants: number,
  versions: readonly ModelVersion[],
  metric: SelectionMetric,
): ModelSelection {
  const higherIsBetter = metric !== 'loss';
  const needed = majority(participants);
  const scores: VersionScore[] = [];
  for (const version of [...versions].sort((a, b) => a.version - b.version)) {
    if (version.version === 0) continue;
    const evaluations = [...version.evaluations]
      .filter((e) => typeof e.metrics[metric] === 'number' && Number.isFinite(e.metrics[metric]))
      .sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0));
    if (evaluations.length === 0) continue;
    let weighted = 0;
    let samples = 0;
    for (const e of evaluations) {
      weighted += e.numSamples * e.metrics[metric];
      samples += e.numSamples;
    }
    scores.push({
      version: version.version,
      round: version.round,
      modelHash: version.modelHash,
      value: weighted / samples,
      numSamples: samples,
      evaluatedBy: evaluations.map((e) => e.mspId),
      eligible: evaluations.length >= needed,
    });
  }
  let best: VersionScore | undefined;
  for (const score of scores) {
    if (!score.eligible) continue;
    if (
      best === undefined ||
      (higherIsBetter ? score.value > best.value : score.value < best.value)
    )
      best = score;
  }
  const latestVersion = versions.reduce((max, v) => Math.max(max, v.version), 0);
  return {
    federationId,
    metric,
    higherIsBetter,
    participants,
    versions: scores,
    ...(best ? { best } : {}),
    latestVersion,
  };
}
