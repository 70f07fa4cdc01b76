import {
  createStrategy,
  decodeFlat,
  encodeFlat,
  type ClientUpdate,
  type ServerState,
} from '@fedledger/core';
import { evaluate } from '@fedledger/gateway/training';
import { runRounds, type FederationRun, type FederationRunOptions } from './round-loop';

/**
 * Runs a federation with no ledger: the gateway's `trainLocal` per org (sequentially, as on one
 * machine), the core strategy over the decoded updates, then evaluation of the new global model on
 * the common test set. Each org evaluates the global model, as gateways do after every round.
 */
export function runCoordinatorFederation(options: FederationRunOptions): Promise<FederationRun> {
  const { scenario } = options;
  const strategy = createStrategy(options.strategy);
  let global = scenario.initialWeights;
  let serverState: ServerState | undefined;
  return runRounds(options, {
    startOf: () => global,
    submit: (trained, round) => {
      const previous = decodeFlat(global).flat;
      const updates: ClientUpdate[] = trained.map((result, k) => {
        const honest = decodeFlat(result.weights).flat;
        return {
          id: scenario.orgs[k]?.mspId,
          numSamples: result.numSamples,
          weights:
            options.tamper === undefined ? honest : options.tamper(k, round, honest, previous),
        };
      });
      return { updates, previous };
    },
    aggregate: async ({ updates, previous }, round) => {
      const aggregated = strategy.aggregate({
        updates,
        previous,
        ...(serverState !== undefined ? { serverState } : {}),
      });
      await options.onAggregate?.(round, updates, previous, aggregated.weights);
      serverState = aggregated.serverState;
      global = encodeFlat(scenario.weightShapes, aggregated.weights);
    },
    evaluate: async () => {
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
      return score;
    },
  });
}
