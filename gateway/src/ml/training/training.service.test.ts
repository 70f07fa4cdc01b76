import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { FedLedgerError } from '@fedledger/core';
import { ShuttingDownError } from '../../platform/common/shutting-down.error';
import { DatasetsModule } from '../datasets/datasets.module';
import { DatasetsService } from '../datasets/datasets.service';
import {
  scaleRows,
  scalingFromStandardizer,
  standardizerFromScaling,
} from '../datasets/feature-scaling';
import { CLINICAL_FEATURE_COLUMNS, CLINICAL_LABEL_COLUMN } from '../datasets/synthetic-clinical';
import { BACKEND_ENV } from './backend';
import { buildPreset } from './model-presets';
import { TrainingModule } from './training.module';
import { TrainingService, type TrainingProgress, type TrainJob } from './training.service';

const root = mkdtempSync(path.join(tmpdir(), 'fedledger-training-'));
let moduleRef: TestingModule;
let training: TrainingService;
const model = buildPreset({ preset: 'mlp', inputDim: 12, hiddenUnits: [8], seed: 4 });
const featureColumns = [...CLINICAL_FEATURE_COLUMNS];

function job(overrides: Partial<TrainJob> = {}): TrainJob {
  return {
    jobId: 'job-1',
    federationId: 'fed-1',
    round: 1,
    topology: model.topology,
    weights: model.initialWeights,
    datasetId: 'org0',
    featureColumns,
    labelColumn: CLINICAL_LABEL_COLUMN,
    hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 },
    seed: 1,
    ...overrides,
  };
}

before(async () => {
  // The worker inherits the environment; pin the tested default.
  process.env[BACKEND_ENV] = 'wasm';
  moduleRef = await Test.createTestingModule({
    imports: [
      DatasetsModule.forRoot({
        dataDir: path.join(root, 'data'),
        stateDir: path.join(root, 'state'),
      }),
      TrainingModule,
    ],
  }).compile();
  training = moduleRef.get(TrainingService);
  await moduleRef
    .get(DatasetsService)
    .registerSynthetic({ id: 'org0', orgIndex: 0, orgCount: 2, rows: 800, mode: 'iid', seed: 3 });
});

after(async () => {
  await moduleRef.close();
  rmSync(root, { recursive: true, force: true });
});

test('the worker reports its real backend', async () => {
  assert.equal(await training.backend(), 'wasm');
});

test('train runs in the worker, streams progress and improves the validation loss', async () => {
  const events: TrainingProgress[] = [];
  const subscription = training.progress$.subscribe((event) => events.push(event));
  const result = await training.train(job());
  subscription.unsubscribe();
  assert.equal(result.numSamples, 320);
  assert.deepEqual(Object.keys(result.metrics).sort(), ['accuracy', 'loss']);
  assert.ok(
    result.weights instanceof Uint8Array &&
      result.weights.byteLength === model.initialWeights.byteLength,
  );
  const last = events.at(-1) as TrainingProgress;
  assert.deepEqual(
    { ...last, loss: 0 },
    {
      jobId: 'job-1',
      federationId: 'fed-1',
      round: 1,
      epoch: 2,
      epochs: 2,
      batch: 10,
      batches: 10,
      loss: 0,
    },
  );

  const evaluation = {
    topology: model.topology,
    datasetId: 'org0',
    featureColumns,
    labelColumn: CLINICAL_LABEL_COLUMN,
  };
  const before = await training.evaluate({ ...evaluation, weights: model.initialWeights });
  const afterTraining = await training.evaluate({ ...evaluation, weights: result.weights });
  assert.equal(before.numSamples, 80);
  assert.ok(afterTraining.metrics['loss'] < before.metrics['loss']);
});

test('concurrent trainings are queued and each gets its own deterministic result', async () => {
  const [a, b] = await Promise.all([
    training.train(job({ jobId: 'a' })),
    training.train(job({ jobId: 'b' })),
  ]);
  assert.deepEqual(a.weights, b.weights);
});

test('predictions are answered while a training is still running', async () => {
  const order: string[] = [];
  let predicted: Promise<void> | undefined;
  const subscription = training.progress$.subscribe(() => {
    predicted ??= training
      .predict({
        topology: model.topology,
        weights: model.initialWeights,
        rows: [new Array<number>(12).fill(0)],
      })
      .then(() => {
        order.push('predict');
      });
  });
  await training
    .train(
      job({ jobId: 'long', hyperParameters: { epochs: 20, batchSize: 32, learningRate: 0.01 } }),
    )
    .then(() => order.push('train'));
  subscription.unsubscribe();
  await predicted;
  assert.deepEqual(order, ['predict', 'train']);
});

test('predict standardises raw rows with the dataset statistics when asked', async () => {
  const raw = [[70, 1, 31.2, 150, 88, 8.9, 140, 55, 3, 6, 12, 1]];
  const standardized = await training.predict({
    topology: model.topology,
    weights: model.initialWeights,
    rows: raw,
    standardizeWith: { datasetId: 'org0', featureColumns },
  });
  const unstandardized = await training.predict({
    topology: model.topology,
    weights: model.initialWeights,
    rows: raw,
  });
  assert.equal(standardized.length, 1);
  assert.notDeepEqual(standardized, unstandardized);
  await assert.rejects(
    training.predict({
      topology: model.topology,
      weights: model.initialWeights,
      rows: [[1]],
      standardizeWith: { datasetId: 'org0', featureColumns },
    }),
    new FedLedgerError('INVALID_ARGUMENT', 'row 0 has 1 values; expected 12'),
  );
});

test('train and evaluate feed the model the federation scaling when the job carries one', async () => {
  const local = scalingFromStandardizer(
    (await moduleRef.get(DatasetsService).load('org0')).standardizer,
  );
  const other = {
    center: local.center.map((value) => value + 1),
    scale: local.scale.map((value) => value * 2),
  };
  const evaluation = {
    topology: model.topology,
    weights: model.initialWeights,
    datasetId: 'org0',
    featureColumns,
    labelColumn: CLINICAL_LABEL_COLUMN,
  };
  // A federation scaling equal to this org's own statistics gives bit-identical inputs, hence results.
  assert.deepEqual(
    await training.evaluate({ ...evaluation, featureScaling: local }),
    await training.evaluate(evaluation),
  );
  assert.notDeepEqual(
    await training.evaluate({ ...evaluation, featureScaling: other }),
    await training.evaluate(evaluation),
  );
  const plain = await training.train(job({ jobId: 'plain' }));
  assert.deepEqual(
    (await training.train(job({ jobId: 'same', featureScaling: local }))).weights,
    plain.weights,
  );
  assert.notDeepEqual(
    (await training.train(job({ jobId: 'other', featureScaling: other }))).weights,
    plain.weights,
  );
});

test('predict scales raw rows with the federation scaling, ahead of any local dataset', async () => {
  const raw = [[70, 1, 31.2, 150, 88, 8.9, 140, 55, 3, 6, 12, 1]];
  const scaling = { center: new Array<number>(12).fill(50), scale: new Array<number>(12).fill(25) };
  const request = { topology: model.topology, weights: model.initialWeights };
  const expected = await training.predict({
    ...request,
    rows: scaleRows(raw, standardizerFromScaling(scaling)),
  });
  assert.deepEqual(
    await training.predict({ ...request, rows: raw, featureScaling: scaling }),
    expected,
  );
  assert.deepEqual(
    await training.predict({
      ...request,
      rows: raw,
      featureScaling: scaling,
      standardizeWith: { datasetId: 'org0', featureColumns },
    }),
    expected,
  );
  await assert.rejects(
    training.predict({ ...request, rows: [[1, 2]], featureScaling: scaling }),
    new FedLedgerError('INVALID_ARGUMENT', 'row 0 has 2 values; expected 12'),
  );
});

test('errors keep their codes across the worker boundary', async () => {
  await assert.rejects(
    training.train(job({ datasetId: 'nope' })),
    new FedLedgerError('NOT_FOUND', 'no dataset "nope"'),
  );
  await assert.rejects(
    training.train(job({ labelColumn: 'died' })),
    new FedLedgerError(
      'INVALID_ARGUMENT',
      'dataset "org0" has label column "readmitted_30d", not "died"',
    ),
  );
  const logistic = buildPreset({ preset: 'logistic-regression', inputDim: 12, seed: 1 });
  await assert.rejects(
    training.train(job({ weights: logistic.initialWeights })),
    new FedLedgerError('SHAPE_MISMATCH', 'the model has 4 weight tensors but the weights hold 2'),
  );
  await assert.rejects(
    training.predict({ topology: model.topology, weights: new Uint8Array([1, 2, 3]), rows: [] }),
    (error: unknown) =>
      error instanceof FedLedgerError &&
      error.code === 'INVALID_ARGUMENT' &&
      error.reason.startsWith('malformed weights'),
  );
});

test('after shutdown requests fail with FAILED_PRECONDITION, as a ShuttingDownError', async () => {
  const service = new TrainingService(moduleRef.get(DatasetsService));
  assert.equal(await service.backend(), 'wasm');
  await service.onModuleDestroy();
  await assert.rejects(
    service.backend(),
    (error: unknown) =>
      error instanceof ShuttingDownError &&
      error.code === 'FAILED_PRECONDITION' &&
      error.reason === 'the training service is shutting down',
  );
});
