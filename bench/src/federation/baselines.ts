import type { HyperParameters } from '@fedledger/core';
import { evaluate, trainLocal } from '@fedledger/gateway/training';
import { pooledTrainingData, type Scenario } from './scenario';

/** Test accuracy after training on `data` for `epochs` from the scenario's initial weights. */
async function trainAndScore(
  scenario: Scenario,
  data: { features: Float32Array; labels: Float32Array },
  hyperParameters: HyperParameters,
  seed: number,
): Promise<number> {
  const trained = await trainLocal({
    topology: scenario.topology,
    weights: scenario.initialWeights,
    numFeatures: scenario.numFeatures,
    ...data,
    hyperParameters,
    seed,
  });
  const scored = await evaluate({
    topology: scenario.topology,
    weights: trained.weights,
    numFeatures: scenario.numFeatures,
    ...scenario.test,
  });
  return scored.metrics.accuracy;
}

/** Centralised baseline: all orgs' rows pooled, the same number of epochs a federated run does in total. */
export function centralizedAccuracy(
  scenario: Scenario,
  hyperParameters: HyperParameters,
  rounds: number,
): Promise<number> {
  return trainAndScore(
    scenario,
    pooledTrainingData(scenario),
    { ...hyperParameters, epochs: hyperParameters.epochs * rounds },
    7,
  );
}

/** Local-only baseline: each org trains alone for the same total epochs; one test accuracy per org. */
export async function localOnlyAccuracies(
  scenario: Scenario,
  hyperParameters: HyperParameters,
  rounds: number,
): Promise<number[]> {
  const accuracies: number[] = [];
  for (const [k, org] of scenario.orgs.entries()) {
    accuracies.push(
      await trainAndScore(
        scenario,
        org,
        { ...hyperParameters, epochs: hyperParameters.epochs * rounds },
        11 + k,
      ),
    );
  }
  return accuracies;
}
