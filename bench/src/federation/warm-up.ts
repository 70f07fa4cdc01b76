import { evaluate, trainLocal } from '@fedledger/gateway/training';
import type { Scenario } from './scenario';

/**
 * One short untimed fit and evaluation, so kernel compilation and JIT warm-up are not charged to
 * whichever run happens to go first.
 */
export async function warmUp(scenario: Scenario): Promise<void> {
  const org = scenario.orgs.at(0);
  if (org === undefined) {
    return;
  }
  const trained = await trainLocal({
    topology: scenario.topology,
    weights: scenario.initialWeights,
    features: org.features,
    labels: org.labels,
    numFeatures: scenario.numFeatures,
    hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.001 },
    seed: 0,
  });
  await evaluate({
    topology: scenario.topology,
    weights: trained.weights,
    numFeatures: scenario.numFeatures,
    ...scenario.test,
  });
}
