import type { LedgerApi } from '@fedledger/core';
import { evaluate } from '@fedledger/gateway/training';
import { runRounds, type FederationRun, type FederationRunOptions } from './round-loop';
import { openLedgerWorld } from './ledger-world';

/**
 * Runs the same federation as {@link runCoordinatorFederation}, but every step goes through the
 * in-process ledger like a gateway's would: GetGlobalWeights, local training, SubmitUpdate per org,
 * Aggregate by the first org, then every org fetches the new model, evaluates it and records the
 * evaluation. Time inside ledger calls is summed separately (`timing.ledgerCalls`).
 */
export async function runLedgerFederation(
  options: FederationRunOptions & { federationId: string },
): Promise<FederationRun> {
  const { scenario, hyperParameters } = options;
  const mspIds = scenario.orgs.map((org) => org.mspId);
  const world = await openLedgerWorld(mspIds);
  const federationId = await world.createFederation({
    id: options.federationId,
    topology: scenario.topology,
    shapes: scenario.weightShapes,
    initialWeights: scenario.initialWeights,
    strategy: options.strategy,
    rounds: options.rounds,
    hyperParameters,
  });
  let ledgerSeconds = 0;
  const timed = async <T>(call: (api: LedgerApi) => Promise<T>, mspId: string): Promise<T> => {
    const start = performance.now();
    try {
      return await call(world.ledger(mspId));
    } finally {
      ledgerSeconds += (performance.now() - start) / 1000;
    }
  };
  // What each org's gateway holds as the current global model (fetched before round 1 as on RoundOpened).
  const held = new Map<string, Uint8Array>();
  for (const mspId of mspIds) {
    held.set(mspId, await world.ledger(mspId).getGlobalWeights(federationId, 0));
  }
  return runRounds(options, {
    startOf: (org) => held.get(org.mspId) as Uint8Array,
    submit: async (trained, round) => {
      for (const [k, result] of trained.entries()) {
        const mspId = mspIds[k];
        await timed(
          () => world.submitUpdate(mspId, federationId, round, result.numSamples, result.weights),
          mspId,
        );
      }
    },
    aggregate: async (_submitted, round) => {
      await timed(() => world.aggregate(mspIds[0], federationId, round), mspIds[0]);
    },
    evaluate: async (round) => {
      let score = { loss: Number.NaN, accuracy: Number.NaN };
      for (const mspId of mspIds) {
        const weights = await timed((api) => api.getGlobalWeights(federationId, round), mspId);
        held.set(mspId, weights);
        const result = await evaluate({
          topology: scenario.topology,
          weights,
          numFeatures: scenario.numFeatures,
          ...scenario.test,
        });
        score = { loss: result.metrics.loss, accuracy: result.metrics.accuracy };
        await timed(
          (api) =>
            api.recordEvaluation(federationId, round, result.numSamples, {
              loss: score.loss,
              accuracy: score.accuracy,
            }),
          mspId,
        );
      }
      return score;
    },
    takeLedgerSeconds: () => {
      const seconds = ledgerSeconds;
      ledgerSeconds = 0;
      return seconds;
    },
  });
}
