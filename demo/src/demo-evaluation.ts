import type { HyperParameters } from '@fedledger/core';
import { applyStandardizer, type Standardizer } from '@fedledger/gateway/datasets';
import { evaluate, trainLocal } from '@fedledger/gateway/training';
import type { HeldOutScore } from '@fedledger/gateway/schema';
import type { DemoData, HospitalData, RawMatrix } from './demo-data';

export type { HeldOutScore };

/**
 * How the hospitals turn raw rows into model inputs: the one scaling a federation records on the
 * ledger (what the gateways apply to training, evaluation and predictions), or, for a federation
 * without one, each hospital's own training statistics.
 */
export type GlobalInputScaling =
  { kind: 'federation'; standardizer: Standardizer } | { kind: 'per-hospital' };

/** The global model on the held-out patients, as the hospitals deploy it. */
export interface GlobalModelScore extends HeldOutScore {
  /** One score per hospital, only with per-hospital scaling (then `accuracy` is their plain mean). */
  byHospital?: HeldOutScore[];
}
/** The same model and optimiser settings the federation uses, trained for the federation's total epochs. */
export interface TrainingRecipe {
  topology: string;
  initialWeights: Uint8Array;
  hyperParameters: HyperParameters;
  totalEpochs: number;
  seed: number;
}

/** Scores weights on the held-out rows after standardising them with `standardizer`. */
export async function scoreOnHeldOut(
  topology: string,
  weights: Uint8Array,
  heldOut: RawMatrix,
  standardizer: Standardizer,
): Promise<HeldOutScore> {
  const result = await evaluate({
    topology,
    weights,
    features: applyStandardizer(heldOut.features, standardizer),
    labels: heldOut.labels,
    numFeatures: heldOut.numFeatures,
  });
  const score: HeldOutScore = { accuracy: result.metrics['accuracy'] };
  // AUC is reported only when both classes occur in the held-out labels.
  const metrics: Readonly<Partial<Record<string, number>>> = result.metrics;
  if (metrics['auc'] !== undefined) score.auc = metrics['auc'];
  return score;
}

/**
 * Scores the global model on the held-out rows through the federation's recorded scaling. Without
 * one, every hospital feeds the model differently scaled inputs, so the rows are scored once per
 * hospital (through its own statistics) and the headline number is the plain mean over hospitals.
 */
export async function scoreGlobalModel(
  topology: string,
  weights: Uint8Array,
  data: DemoData,
  scaling: GlobalInputScaling,
): Promise<GlobalModelScore> {
  if (scaling.kind === 'federation')
    return scoreOnHeldOut(topology, weights, data.heldOut, scaling.standardizer);
  const byHospital: HeldOutScore[] = [];
  for (const hospital of data.hospitals)
    byHospital.push(
      await scoreOnHeldOut(topology, weights, data.heldOut, hospital.prepared.standardizer),
    );
  const mean = (pick: (score: HeldOutScore) => number | undefined): number | undefined => {
    const values = byHospital.map(pick);
    return values.every((value) => value !== undefined)
      ? values.reduce((sum, value) => sum + value, 0) / values.length
      : undefined;
  };
  const score: GlobalModelScore = { accuracy: mean((s) => s.accuracy) as number, byHospital };
  const auc = mean((s) => s.auc);
  if (auc !== undefined) score.auc = auc;
  return score;
}

/** Trains the recipe on one hospital's training split only and scores it through that hospital's standardizer. */
export async function localOnlyScore(
  recipe: TrainingRecipe,
  hospital: HospitalData,
  heldOut: RawMatrix,
): Promise<HeldOutScore> {
  const { train, numFeatures, standardizer } = hospital.prepared;
  const trained = await trainLocal({
    topology: recipe.topology,
    weights: recipe.initialWeights,
    features: train.features,
    labels: train.labels,
    numFeatures,
    hyperParameters: { ...recipe.hyperParameters, epochs: recipe.totalEpochs },
    seed: recipe.seed,
  });
  return scoreOnHeldOut(recipe.topology, trained.weights, heldOut, standardizer);
}

/** Trains the recipe on every hospital's training rows pooled (for comparison only: this is what federation avoids). */
export async function centralizedScore(
  recipe: TrainingRecipe,
  data: DemoData,
): Promise<HeldOutScore> {
  const { pooledTrain } = data;
  const trained = await trainLocal({
    topology: recipe.topology,
    weights: recipe.initialWeights,
    features: applyStandardizer(pooledTrain.features, pooledTrain.standardizer),
    labels: pooledTrain.labels,
    numFeatures: pooledTrain.numFeatures,
    hyperParameters: { ...recipe.hyperParameters, epochs: recipe.totalEpochs },
    seed: recipe.seed,
  });
  return scoreOnHeldOut(recipe.topology, trained.weights, data.heldOut, pooledTrain.standardizer);
}
