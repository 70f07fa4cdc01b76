import {
  allCoalitions,
  coalitionMembers,
  encodeFlat,
  shapleyValues,
  weightedMean,
  toFloat32,
  type ClientUpdate,
  type ShapleyResult,
} from '@fedledger/core';
import { evaluate, logLossScore } from '@fedledger/gateway/training';
import type { Scenario } from './scenario';

/** Each org's validation rows: the last `fraction` of its share (its training rows are the rest). */
export interface ValidationSplit {
  scenario: Scenario;
  /** All orgs' validation rows pooled: accuracy on them is the sample-weighted mean of the orgs' accuracies. */
  pooled: { features: Float32Array; labels: Float32Array };
}

/** Splits every org's rows into training and validation (deterministic: the share is already shuffled). */
export function holdOutValidation(scenario: Scenario, fraction: number): ValidationSplit {
  const d = scenario.numFeatures;
  const parts = scenario.orgs.map((org) => {
    const n = org.labels.length;
    const train = n - Math.max(1, Math.round(n * fraction));
    return {
      train: {
        ...org,
        features: org.features.slice(0, train * d),
        labels: org.labels.slice(0, train),
      },
      validation: { features: org.features.slice(train * d), labels: org.labels.slice(train) },
    };
  });
  const total = parts.reduce((sum, p) => sum + p.validation.labels.length, 0);
  const features = new Float32Array(total * d);
  const labels = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    features.set(p.validation.features, offset * d);
    labels.set(p.validation.labels, offset);
    offset += p.validation.labels.length;
  }
  return {
    scenario: { ...scenario, orgs: parts.map((p) => p.train) },
    pooled: { features, labels },
  };
}

/**
 * The round's Shapley values as the ledger computes them: every coalition's update is the
 * sample-weighted mean of its members' submitted weights (the empty coalition is the previous
 * model), its utility the log-loss score (1 − cross-entropy / its maximum, the gateway's
 * `logLossScore`, ADR 0029) over every org's validation rows (what the sample-weighted mean of
 * honest RecordUtilities gives: the score is an affine map of a per-row mean), then core's `shapleyValues`.
 */
export async function roundShapley(
  scenario: Scenario,
  validation: ValidationSplit['pooled'],
  updates: readonly ClientUpdate[],
  previous: Float32Array,
  seed: string,
): Promise<ShapleyResult> {
  const ids = updates.map((u) => u.id);
  const utility = new Map<string, number>();
  for (const key of allCoalitions(ids)) {
    const members = coalitionMembers(key).map(
      (id) => updates.find((u) => u.id === id) as ClientUpdate,
    );
    const weights =
      members.length === 0
        ? previous
        : toFloat32(
            weightedMean(
              members.map((m) => m.weights),
              members.map((m) => m.numSamples),
            ),
          );
    const scored = await evaluate({
      topology: scenario.topology,
      weights: encodeFlat(scenario.weightShapes, weights),
      numFeatures: scenario.numFeatures,
      ...validation,
    });
    utility.set(key, logLossScore(scored.metrics.loss));
  }
  return shapleyValues(ids, utility, seed);
}
