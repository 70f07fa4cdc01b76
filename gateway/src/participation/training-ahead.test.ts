import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import {
  sha256Hex,
  type Federation,
  type LedgerApi,
  type SubmitUpdateInput,
} from '@fedledger/core';
import type { ModelWeightsService } from '../api/models/model-weights.service';
import type { PrivacyService } from '../api/privacy/privacy.service';
import type { DatasetBindingsStore } from '../ml/bindings/dataset-bindings.store';
import type { TrainJob, TrainingService, TrainResult } from '../ml/training/training.service';
import type { GatewayConfig } from '../platform/config/gateway-config';
import { MetricsService } from '../platform/metrics/metrics.service';
import { RoundTurnaround } from './round-turnaround';
import { TrainAndSubmit } from './train-and-submit';
import { TrainingAhead } from './training-ahead';

const FEDERATION = {
  id: 'f',
  participants: ['Org1MSP', 'Org2MSP'],
  status: 'running',
  currentRound: 2,
  rounds: 3,
  modelSpec: { topology: 'dense' },
  featureColumns: ['x'],
  labelColumn: 'y',
  hyperParameters: { epochs: 1, batchSize: 8, learningRate: 0.1 },
} as unknown as Federation;
/** The model the ledger accepted for round 1, as the org downloads it. */
const ACCEPTED = new Uint8Array([7, 7, 7]);

const TIMES = { fetchMs: 1, aggregateMs: 1 };

/** One org's round-2 participation over doubles: every training job is recorded, and every submitted payload. */
function harness() {
  const jobs: TrainJob[] = [];
  const submitted: Uint8Array[] = [];
  const training = {
    train: (job: TrainJob): Promise<TrainResult> => {
      jobs.push(job);
      // The trained weights depend on the starting weights, as a real training's do.
      const weights = Uint8Array.from(job.weights, (b) => b + 1);
      return Promise.resolve({ weights, numSamples: 10, metrics: {}, seconds: 1, backend: 'cpu' });
    },
  } as unknown as TrainingService;
  const ledger = {
    getFederation: () => Promise.resolve(FEDERATION),
    listUpdates: () => Promise.resolve([]),
    getModelVersion: () => Promise.resolve({ version: 1, modelHash: sha256Hex(ACCEPTED) }),
    submitUpdate: (input: SubmitUpdateInput, payload: Uint8Array) => {
      submitted.push(payload);
      return Promise.resolve({ digest: input.digest, txId: 'tx' });
    },
  } as unknown as LedgerApi;
  const weights = { weightsOf: () => Promise.resolve(ACCEPTED) } as unknown as ModelWeightsService;
  const config = { mspId: 'Org1MSP', trainAhead: true } as GatewayConfig;
  const bindings = { get: () => 'local' } as unknown as DatasetBindingsStore;
  const metrics = new MetricsService();
  const turnaround = new RoundTurnaround(metrics);
  const ahead = new TrainingAhead(config, bindings, training, metrics, turnaround);
  const trainAndSubmit = new TrainAndSubmit(
    config,
    () => ledger,
    bindings,
    training,
    weights,
    metrics,
    {} as PrivacyService,
    ahead,
    turnaround,
  );
  return { jobs, submitted, ahead, trainAndSubmit, metrics };
}

describe('training ahead from the aggregate computed here (ADR 0030)', () => {
  before(() => {
    Logger.overrideLogger(false);
  });

  it('submits the training started ahead when the accepted model is the one it started from', async () => {
    const { jobs, submitted, ahead, trainAndSubmit, metrics } = harness();
    ahead.remember(FEDERATION);
    ahead.start({
      federationId: 'f',
      round: 1,
      modelHash: sha256Hex(ACCEPTED),
      weights: ACCEPTED,
      ...TIMES,
    });
    assert.equal(jobs.length, 1, 'round 2 training started before the round opened');
    assert.equal(jobs[0]?.round, 2);
    await trainAndSubmit.participate('f', 2, Date.now());
    assert.equal(jobs.length, 1, 'not trained again');
    assert.deepEqual(submitted, [new Uint8Array([8, 8, 8])]);
    assert.match(await metrics.render(), /fedledger_trained_ahead_total\{outcome="used"\} 1/);
  });

  it('trains again from the accepted model when it trained ahead from another', async () => {
    const { jobs, submitted, ahead, trainAndSubmit, metrics } = harness();
    ahead.remember(FEDERATION);
    const minority = new Uint8Array([1, 2, 3]);
    ahead.start({
      federationId: 'f',
      round: 1,
      modelHash: sha256Hex(minority),
      weights: minority,
      ...TIMES,
    });
    await trainAndSubmit.participate('f', 2, Date.now());
    assert.equal(jobs.length, 2);
    assert.deepEqual(jobs[1]?.weights, ACCEPTED);
    assert.deepEqual(jobs[1]?.seed, jobs[0]?.seed, 'the same job, from other weights');
    assert.deepEqual(submitted, [new Uint8Array([8, 8, 8])]);
    assert.match(await metrics.render(), /fedledger_trained_ahead_total\{outcome="discarded"\} 1/);
  });

  it('starts nothing after the last round, nor for a federation it has not trained in', () => {
    const { jobs, ahead } = harness();
    ahead.start({ federationId: 'f', round: 1, modelHash: 'h', weights: ACCEPTED, ...TIMES });
    ahead.remember(FEDERATION);
    ahead.start({ federationId: 'f', round: 3, modelHash: 'h', weights: ACCEPTED, ...TIMES });
    assert.equal(jobs.length, 0);
    ahead.start({ federationId: 'f', round: 2, modelHash: 'h', weights: ACCEPTED, ...TIMES });
    ahead.start({ federationId: 'f', round: 2, modelHash: 'h', weights: ACCEPTED, ...TIMES });
    assert.equal(jobs.length, 1, 'a repeated notice starts no second training');
  });
});
