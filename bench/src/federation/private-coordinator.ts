import {
  createStrategy,
  decodeFixedPointMean,
  decodeFlat,
  decodeMasked,
  encodeFlat,
  generateMaskingKeyPair,
  toFloat32,
  unmaskSum,
  type Federation,
  type PrivacyConfig,
  type ServerState,
} from '@fedledger/core';
import { evaluate } from '@fedledger/gateway/training';
import { buildMaskedUpdate } from '@fedledger/gateway';
import { runRounds, type FederationRun, type FederationRunOptions } from './round-loop';

export interface PrivateRunOptions extends FederationRunOptions {
  privacy: PrivacyConfig;
  minParticipants: number;
}

export interface PrivateRun extends FederationRun {
  /** Per round: seconds all orgs spent masking (clip, noise, fixed point, pair masks), and the unmasking of the sum. */
  maskSeconds: number[];
  unmaskSeconds: number[];
  /** L2 norms of every org's delta before clipping, per round. */
  deltaNorms: number[][];
}

/**
 * The coordinator run of {@link runCoordinatorFederation} with the privacy path of the gateway and
 * chaincode: each org's update built by the gateway's `buildMaskedUpdate` (clip + noise share under
 * DP, fixed point, pair masks), the sum unmasked and decoded with core as `Aggregate` does, and the
 * strategy run on the single averaged model. No ledger: the math is the same.
 */
export async function runPrivateFederation(options: PrivateRunOptions): Promise<PrivateRun> {
  const { scenario, privacy } = options;
  const fixedPoint = privacy.fixedPoint;
  if (privacy.secureAggregation !== true || fixedPoint === undefined)
    throw new Error('runPrivateFederation needs secure aggregation with a fixed point');
  const strategy = createStrategy(options.strategy);
  const participants = scenario.orgs.map((org) => org.mspId);
  const keys = new Map(participants.map((msp) => [msp, generateMaskingKeyPair()]));
  const peers = participants.map((mspId) => ({
    mspId,
    publicKey: keys.get(mspId)?.publicKey as string,
  }));
  const federation = {
    id: 'bench-private',
    minParticipants: options.minParticipants,
    participants,
    privacy,
  } as Federation;
  let global = scenario.initialWeights;
  let serverState: ServerState | undefined;
  const unmaskSeconds: number[] = [];
  const deltaNorms: number[][] = [];
  const run = await runRounds(options, {
    startOf: () => global,
    // The "submit" phase is every org masking its update (clip, noise, fixed point, pair masks).
    submit: (trained, round) => {
      const start = decodeFlat(global).flat;
      const masked = trained.map((result, k) => {
        const mspId = participants[k];
        return buildMaskedUpdate({
          federation,
          round,
          mspId,
          keys: keys.get(mspId) as NonNullable<ReturnType<typeof keys.get>>,
          peers,
          start,
          local: decodeFlat(result.weights).flat,
          numSamples: result.numSamples,
        });
      });
      deltaNorms.push(masked.map((m) => m.deltaNorm));
      const totalWeight =
        privacy.dp !== undefined
          ? trained.length
          : trained.reduce((sum, r) => sum + r.numSamples, 0);
      return { start, masked, totalWeight };
    },
    aggregate: ({ start, masked, totalWeight }) => {
      const unmaskStart = performance.now();
      const sum = unmaskSum(
        masked.map((m) => decodeMasked(m.bytes, start.length, 'masked update')),
        [],
        start.length,
      );
      const mean = decodeFixedPointMean(sum, totalWeight, fixedPoint);
      for (let j = 0; j < mean.length; j++) mean[j] = start[j] + mean[j];
      unmaskSeconds.push((performance.now() - unmaskStart) / 1000);
      const aggregated = strategy.aggregate({
        updates: [{ id: 'secure-sum', numSamples: totalWeight, weights: toFloat32(mean) }],
        previous: start,
        ...(serverState !== undefined ? { serverState } : {}),
      });
      serverState = aggregated.serverState;
      global = encodeFlat(scenario.weightShapes, aggregated.weights);
    },
    evaluate: async () => {
      const result = await evaluate({
        topology: scenario.topology,
        weights: global,
        numFeatures: scenario.numFeatures,
        ...scenario.test,
      });
      return { loss: result.metrics.loss, accuracy: result.metrics.accuracy };
    },
  });
  return {
    ...run,
    maskSeconds: run.rounds.map((outcome) => outcome.timing.submit),
    unmaskSeconds,
    deltaNorms,
  };
}
