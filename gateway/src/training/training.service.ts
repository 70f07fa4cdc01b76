import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ERROR_CODES, FedLedgerError, type ErrorCode, type DataSchema, type FeatureScaling, type HyperParameters, type Imputation } from '@fedledger/core';
import { Subject, type Observable } from 'rxjs';
import { ShuttingDownError } from '../common/shutting-down.error';
import { DatasetsService } from '../datasets/datasets.service';
import { scaleRows, standardizerFromScaling } from '../datasets/feature-scaling';
import { selectColumns, withFeatureScaling, type PreparedDataset } from '../datasets/prepared-dataset';
import { schemaModelInputs } from '../schema/schema-dataset';
import type { TrainProgressEvent } from './trainer';
import type { WorkerCommand, WorkerReply, WorkerRequest, WorkerResults } from './worker-protocol';

export interface TrainJob {
  jobId: string;
  federationId: string;
  round: number;
  topology: string;
  /** FLW1-encoded global weights the round starts from. */
  weights: Uint8Array;
  datasetId: string;
  featureColumns: string[];
  labelColumn: string;
  hyperParameters: HyperParameters;
  seed: number;
  /** The federation's agreed input scaling; absent (older federations) means this dataset's own training statistics. */
  featureScaling?: FeatureScaling;
  /** Schema federations: the raw-data schema and the consortium's imputation (the dataset is read and encoded under them). */
  dataSchema?: DataSchema;
  imputation?: Imputation;
}

export interface TrainResult {
  weights: Uint8Array;
  numSamples: number;
  metrics: Record<string, number>;
  seconds: number;
}

export interface EvaluateJob {
  topology: string;
  weights: Uint8Array;
  datasetId: string;
  featureColumns: string[];
  labelColumn: string;
  /** The federation's agreed input scaling; absent (older federations) means this dataset's own training statistics. */
  featureScaling?: FeatureScaling;
  /** Schema federations: the raw-data schema and the consortium's imputation (the dataset is read and encoded under them). */
  dataSchema?: DataSchema;
  imputation?: Imputation;
}

export interface PredictJob {
  topology: string;
  weights: Uint8Array;
  /** Model inputs, one array per row. */
  rows: number[][];
  /**
   * When set, `rows` are raw values in the federation's column order and are scaled with the
   * federation's agreed scaling first (the transform every org trained with). Takes precedence over
   * `standardizeWith`.
   */
  featureScaling?: FeatureScaling;
  /**
   * For federations without a `featureScaling` only: `rows` are raw values in these columns' order and
   * are standardised with this dataset's training statistics first; without either, rows are used as is.
   */
  standardizeWith?: { datasetId: string; featureColumns: string[] };
}

export interface TrainingProgress extends TrainProgressEvent {
  jobId: string;
  federationId: string;
  round: number;
}

/** Path of the compiled worker next to this file (the service always runs from dist/). */
const WORKER_FILE = path.join(__dirname, 'training-worker.js');

interface Pending {
  resolve(result: WorkerResults[keyof WorkerResults]): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgressEvent) => void;
}

/**
 * Runs training, evaluation and prediction in one worker thread so the HTTP event loop stays free.
 * Trainings run one at a time in arrival order; evaluations and predictions are sent straight to the
 * worker, which answers them between training epochs. Errors are FedLedgerErrors with the worker's
 * code (INTERNAL for unexpected failures, a {@link ShuttingDownError} after shutdown).
 */
@Injectable()
export class TrainingService implements OnModuleDestroy {
  readonly #datasets: DatasetsService;
  readonly #progress = new Subject<TrainingProgress>();
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 1;
  #trainings: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Progress of the running training (for Server-Sent Events). */
  readonly progress$: Observable<TrainingProgress> = this.#progress.asObservable();

  constructor(datasets: DatasetsService) {
    this.#datasets = datasets;
  }

  /** The tfjs backend the worker really runs on: `tensorflow`, `wasm` or `cpu`. */
  async backend(): Promise<string> {
    return (await this.#request({ kind: 'backend' })) as string;
  }

  /** Trains on the dataset's training split; queued behind any running training. */
  train(job: TrainJob): Promise<TrainResult> {
    const run = async (): Promise<TrainResult> => {
      const dataset = await this.#modelInputs(job);
      const result = (await this.#request(
        {
          kind: 'train',
          input: {
            topology: job.topology,
            weights: job.weights,
            features: dataset.train.features,
            labels: dataset.train.labels,
            numFeatures: dataset.numFeatures,
            hyperParameters: job.hyperParameters,
            seed: job.seed,
          },
        },
        (progress) => this.#progress.next({ jobId: job.jobId, federationId: job.federationId, round: job.round, ...progress }),
      )) as WorkerResults['train'];
      return { weights: result.weights, numSamples: result.numSamples, metrics: { ...result.metrics }, seconds: result.seconds };
    };
    const result = this.#trainings.then(run);
    this.#trainings = result.catch(() => undefined);
    return result;
  }

  /** Loss, accuracy and AUC on the dataset's validation split; FAILED_PRECONDITION when it is empty. */
  async evaluate(job: EvaluateJob): Promise<{ numSamples: number; metrics: Record<string, number> }> {
    const dataset = await this.#modelInputs(job);
    if (dataset.validation.labels.length === 0) {
      throw new FedLedgerError('FAILED_PRECONDITION', `dataset "${job.datasetId}" has no validation rows (validationFraction is 0)`);
    }
    return (await this.#request({
      kind: 'evaluate',
      input: {
        topology: job.topology,
        weights: job.weights,
        features: dataset.validation.features,
        labels: dataset.validation.labels,
        numFeatures: dataset.numFeatures,
      },
    })) as WorkerResults['evaluate'];
  }

  /** The model's outputs for each row (for the binary presets, `[probability]` per row). */
  async predict(job: PredictJob): Promise<number[][]> {
    let rows = job.rows;
    if (job.featureScaling !== undefined) {
      rows = scaleRows(job.rows, standardizerFromScaling(job.featureScaling));
    } else if (job.standardizeWith !== undefined) {
      const { datasetId, featureColumns } = job.standardizeWith;
      const loaded = await this.#datasets.load(datasetId);
      const dataset = selectColumns(loaded, featureColumns, loaded.labelColumn, datasetId);
      rows = scaleRows(job.rows, dataset.standardizer);
    }
    return (await this.#request({ kind: 'predict', input: { topology: job.topology, weights: job.weights, rows } })) as WorkerResults['predict'];
  }

  /** Stops the worker; requests still in flight fail with a {@link ShuttingDownError}. */
  async onModuleDestroy(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new ShuttingDownError('the training service'));
    this.#progress.complete();
    if (worker !== undefined) {
      await worker.terminate();
    }
  }

  /** The dataset in the federation's column order, scaled with the federation's scaling when it has one. */
  async #modelInputs(job: TrainJob | EvaluateJob): Promise<PreparedDataset> {
    if (job.dataSchema !== undefined) return schemaModelInputs(this.#datasets, job.datasetId, { dataSchema: job.dataSchema, imputation: job.imputation, featureScaling: job.featureScaling });
    const dataset = selectColumns(await this.#datasets.load(job.datasetId), job.featureColumns, job.labelColumn, job.datasetId);
    return job.featureScaling === undefined ? dataset : withFeatureScaling(dataset, job.featureScaling);
  }

  #request(
    message: WorkerCommand,
    onProgress?: (progress: TrainProgressEvent) => void,
  ): Promise<WorkerResults[keyof WorkerResults]> {
    if (this.#closed) {
      return Promise.reject(new ShuttingDownError('the training service'));
    }
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onProgress !== undefined ? { onProgress } : {}) });
      worker.ref();
      worker.postMessage({ ...message, id } as WorkerRequest);
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) {
      return this.#worker;
    }
    const worker = new Worker(WORKER_FILE);
    worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    worker.on('error', (error) => {
      this.#retire(worker, new FedLedgerError('INTERNAL', `training worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      this.#retire(worker, new FedLedgerError('INTERNAL', `training worker exited with code ${code}`));
    });
    // An idle worker must not keep the process alive; it is ref'd again while requests are pending.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: WorkerReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) {
      return;
    }
    if (reply.kind === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) {
      this.#worker?.unref();
    }
    if (reply.kind === 'result') {
      pending.resolve(reply.result);
    } else {
      const code = (ERROR_CODES as readonly string[]).includes(reply.error.code ?? '') ? (reply.error.code as ErrorCode) : 'INTERNAL';
      pending.reject(new FedLedgerError(code, reply.error.message));
    }
  }

  /** A crashed worker fails its requests; the next request starts a fresh one. */
  #retire(worker: Worker, error: FedLedgerError): void {
    if (this.#worker === worker) {
      this.#worker = undefined;
      this.#failAll(error);
    }
  }

  #failAll(error: FedLedgerError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) {
      request.reject(error);
    }
  }
}
