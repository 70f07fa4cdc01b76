import type { Federation } from '@fedledger/core';
import type { TrainJob } from '../ml/training/training.service';
import { schemaOf } from './federation-schema';
import { participationSeed } from './participation-seed';

/**
 * This org's training job for a round, starting from `weights` (the previous round's model). The
 * same inputs give the same job whether it runs after the round opened or ahead of it (ADR 0030),
 * so both train bit-identical updates.
 */
export function roundTrainJob(
  federation: Federation,
  round: number,
  weights: Uint8Array,
  datasetId: string,
  mspId: string,
): TrainJob {
  return {
    jobId: `${federation.id}/${round}/${mspId}`,
    federationId: federation.id,
    round,
    topology: federation.modelSpec.topology,
    weights,
    datasetId,
    featureColumns: federation.featureColumns,
    labelColumn: federation.labelColumn,
    hyperParameters: federation.hyperParameters,
    seed: participationSeed(federation.id, round, mspId),
    ...(federation.featureScaling !== undefined
      ? { featureScaling: federation.featureScaling }
      : {}),
    ...schemaOf(federation),
  };
}
