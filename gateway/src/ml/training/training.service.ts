import * as path from 'node:path';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ERROR_CODES,
  FedLedgerError,
  type ErrorCode,
  type DataSchema,
  type FeatureScaling,
  type HyperParameters,
  type Imputation,
} from '@fedledger/core';
import { Subject, type Observable } from 'rxjs';
import { ShuttingDownError } from '../../platform/common/shutting-down.error';
import { DatasetsService } from '../datasets/datasets.service';
import { scaleRows, standardizerFromScaling } from '../datasets/feature-scaling';
import {
  selectColumns,
  withFeatureScaling,
  type PreparedDataset,
} from '../datasets/prepared-dataset';
import { schemaModelInputs } from '../schema/schema-dataset';
import { BACKEND_ENV, type BackendChoice, type BackendName } from './backend';
import {
  planBackend,
  type AvailableBackends,
  type BackendPlan,
  type BackendPool,
} from './backend-policy';
import type { TrainProgressEvent } from './trainer';
import { startProcessWorker, startThreadWorker, type TrainingWorkerHandle } from './worker-handle';
import type { WorkerCommand, WorkerReply, WorkerResults, WorkerSetup } from './worker-protocol';

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
  /** The tfjs backend that trained. */
  backend: BackendName;
}

/** What this gateway can train on, for /health and the doctor command. */
export interface BackendReport extends AvailableBackends {
  /** The native worker's choice (package, cpu/gpu device) when it started. */
  nativeChoice: BackendChoice | null;
  /** Why the GPU build is not used although something asked for it; null when nothing did. */
  gpuNote: string | null;
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

/** The backends each pool may try, given FEDLEDGER_TF_BACKEND (an explicit choice excludes the other pool). */
export function poolCandidates(requested: string | undefined): Record<BackendPool, BackendName[]> {
  const name = (requested ?? '').trim();
  if (name === 'tensorflow') return { portable: [], native: ['tensorflow'] };
  if (name === 'wasm' || name === 'cpu') return { portable: [name], native: [] };
  return { portable: ['wasm', 'cpu'], native: ['tensorflow'] };
}

interface Pending {
  pool: BackendPool;
  resolve(result: WorkerResults[keyof WorkerResults]): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgressEvent) => void;
}

/**
 * Runs training, evaluation and prediction off the HTTP event loop: a portable worker thread (wasm,
 * else cpu) and, when `npm run setup:native` built it, a native child process (tensorflow). Each
 * model goes to the worker {@link planBackend} picks for it (small dense → wasm, convolutional or
 * large → native); a model no available backend can train is BACKEND_UNAVAILABLE.
 * Trainings run one at a time in arrival order; evaluations and predictions are sent straight to a
 * worker, which answers them between training epochs. Errors are FedLedgerErrors with the worker's
 * code (INTERNAL for unexpected failures, a {@link ShuttingDownError} after shutdown).
 */
@Injectable()
export class TrainingService implements OnModuleDestroy {
  readonly #datasets: DatasetsService;
  readonly #progress = new Subject<TrainingProgress>();
  readonly #logger = new Logger('training');
  readonly #pending = new Map<number, Pending>();
  readonly #workers = new Map<BackendPool, TrainingWorkerHandle>();
  #report: Promise<BackendReport> | undefined;
  readonly #plans = new Map<string, Promise<BackendPlan>>();
  #nextId = 1;
  #trainings: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Progress of the running training (for Server-Sent Events). */
  readonly progress$: Observable<TrainingProgress> = this.#progress.asObservable();

  constructor(datasets: DatasetsService) {
    this.#datasets = datasets;
  }

  /** The best tfjs backend this gateway has: `tensorflow` when the native one started, else `wasm` (or `cpu`). */
  async backend(): Promise<string> {
    const report = await this.backends();
    const best = report.native ?? report.portable;
    if (best === null)
      throw new FedLedgerError(
        'BACKEND_UNAVAILABLE',
        `no TensorFlow.js backend could be started (${report.nativeReason ?? 'wasm and cpu failed'})`,
      );
    return best;
  }

  /**
   * Starts both workers once and reports what they run on; why native (or its GPU build) is not
   * used is logged here, once per process.
   */
  backends(): Promise<BackendReport> {
    if (this.#closed) return Promise.reject(new ShuttingDownError('the training service'));
    this.#report ??= this.#probeBackends().catch((error: unknown) => {
      this.#report = undefined;
      throw error;
    });
    return this.#report;
  }

  /** The worker and backend that train this topology; BACKEND_UNAVAILABLE when none can (see planBackend). */
  plan(topology: string): Promise<BackendPlan> {
    let plan = this.#plans.get(topology);
    if (plan === undefined) {
      plan = this.#planFor(topology);
      this.#plans.set(topology, plan);
      plan.catch(() => this.#plans.delete(topology));
    }
    return plan;
  }

  /** Trains on the dataset's training split; queued behind any running training. */
  train(job: TrainJob): Promise<TrainResult> {
    const run = async (): Promise<TrainResult> => {
      const dataset = await this.#modelInputs(job);
      const plan = await this.plan(job.topology);
      const result = (await this.#request(
        plan.pool,
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
        (progress) => {
          this.#progress.next({
            jobId: job.jobId,
            federationId: job.federationId,
            round: job.round,
            ...progress,
          });
        },
      )) as WorkerResults['train'];
      return {
        weights: result.weights,
        numSamples: result.numSamples,
        metrics: { ...result.metrics },
        seconds: result.seconds,
        backend: plan.backend,
      };
    };
    const result = this.#trainings.then(run);
    this.#trainings = result.catch(() => undefined);
    return result;
  }

  /** Loss, accuracy and AUC on the dataset's validation split; FAILED_PRECONDITION when it is empty. */
  async evaluate(
    job: EvaluateJob,
  ): Promise<{ numSamples: number; metrics: Record<string, number>; backend: BackendName }> {
    const dataset = await this.#modelInputs(job);
    if (dataset.validation.labels.length === 0) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `dataset "${job.datasetId}" has no validation rows (validationFraction is 0)`,
      );
    }
    const plan = await this.plan(job.topology);
    const result = (await this.#request(plan.pool, {
      kind: 'evaluate',
      input: {
        topology: job.topology,
        weights: job.weights,
        features: dataset.validation.features,
        labels: dataset.validation.labels,
        numFeatures: dataset.numFeatures,
      },
    })) as WorkerResults['evaluate'];
    return { ...result, backend: plan.backend };
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
    const plan = await this.plan(job.topology);
    return (await this.#request(plan.pool, {
      kind: 'predict',
      input: { topology: job.topology, weights: job.weights, rows },
    })) as WorkerResults['predict'];
  }

  /** Stops the worker; requests still in flight fail with a {@link ShuttingDownError}. */
  async onModuleDestroy(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    this.#failAll(new ShuttingDownError('the training service'));
    this.#progress.complete();
    await Promise.all(workers.map((worker) => worker.stop()));
  }

  async #probeBackends(): Promise<BackendReport> {
    const candidates = poolCandidates(process.env[BACKEND_ENV]);
    const ask = async (pool: BackendPool): Promise<BackendChoice | Error> => {
      if (candidates[pool].length === 0)
        return new Error(`${BACKEND_ENV}=${process.env[BACKEND_ENV] ?? ''} excludes it`);
      try {
        return (await this.#request(pool, { kind: 'backend' })) as BackendChoice;
      } catch (error) {
        if (error instanceof ShuttingDownError) throw error;
        await this.#stopWorker(pool);
        return error instanceof Error ? error : new Error(String(error));
      }
    };
    const [portable, native] = await Promise.all([ask('portable'), ask('native')]);
    const nativeReason =
      native instanceof Error
        ? native instanceof FedLedgerError
          ? native.reason
          : native.message
        : null;
    const nativeChoice = native instanceof Error ? null : native;
    const gpuNote = nativeChoice?.notes.find((note) => /GPU|CUDA|NVIDIA/.test(note)) ?? null;
    const report: BackendReport = {
      portable: portable instanceof Error ? null : portable.backend,
      native: nativeChoice?.backend ?? null,
      nativeReason,
      nativeChoice,
      gpuNote,
    };
    this.#logger.log({
      msg: 'training backends',
      portable: report.portable,
      native:
        report.native === null
          ? null
          : `${report.native} (${nativeChoice?.nativePackage ?? ''}, ${nativeChoice?.device ?? 'cpu'})`,
      ...(nativeReason !== null ? { nativeUnavailable: nativeReason } : {}),
      ...(gpuNote !== null ? { gpuNotUsed: gpuNote } : {}),
    });
    return report;
  }

  async #planFor(topology: string): Promise<BackendPlan> {
    const report = await this.backends();
    const pool: BackendPool = report.portable !== null ? 'portable' : 'native';
    const profile = (await this.#request(pool, {
      kind: 'profile',
      topology,
    })) as WorkerResults['profile'];
    return planBackend(profile, report);
  }

  /** The dataset in the federation's column order, scaled with the federation's scaling when it has one. */
  async #modelInputs(job: TrainJob | EvaluateJob): Promise<PreparedDataset> {
    if (job.dataSchema !== undefined)
      return schemaModelInputs(this.#datasets, job.datasetId, {
        dataSchema: job.dataSchema,
        imputation: job.imputation,
        featureScaling: job.featureScaling,
      });
    const dataset = selectColumns(
      await this.#datasets.load(job.datasetId),
      job.featureColumns,
      job.labelColumn,
      job.datasetId,
    );
    return job.featureScaling === undefined
      ? dataset
      : withFeatureScaling(dataset, job.featureScaling);
  }

  #request(
    pool: BackendPool,
    message: WorkerCommand,
    onProgress?: (progress: TrainProgressEvent) => void,
  ): Promise<WorkerResults[keyof WorkerResults]> {
    if (this.#closed) {
      return Promise.reject(new ShuttingDownError('the training service'));
    }
    const worker = this.#ensureWorker(pool);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {
        pool,
        resolve,
        reject,
        ...(onProgress !== undefined ? { onProgress } : {}),
      });
      worker.ref();
      worker.post({ ...message, id });
    });
  }

  #ensureWorker(pool: BackendPool): TrainingWorkerHandle {
    const existing = this.#workers.get(pool);
    if (existing !== undefined) {
      return existing;
    }
    if (pool === 'native') {
      // libtensorflow reads this from the process environment when it loads: keep its C++ info logs out of the gateway's output.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    }
    const setup: WorkerSetup = { candidates: poolCandidates(process.env[BACKEND_ENV])[pool] };
    // The native backend runs in a child process (see startProcessWorker), the portable ones in a thread.
    const worker =
      pool === 'native'
        ? startProcessWorker(WORKER_FILE, setup)
        : startThreadWorker(WORKER_FILE, setup);
    worker.onReply((reply) => {
      this.#onReply(reply);
    });
    worker.onGone((why) => {
      this.#retire(pool, worker, new FedLedgerError('INTERNAL', `training worker ${why}`));
    });
    // An idle worker must not keep the process alive; it is ref'd again while requests are pending.
    worker.unref();
    this.#workers.set(pool, worker);
    return worker;
  }

  /** A worker whose backend could not start is not kept (its thread would hold memory for nothing). */
  async #stopWorker(pool: BackendPool): Promise<void> {
    const worker = this.#workers.get(pool);
    this.#workers.delete(pool);
    await worker?.stop();
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
    if (![...this.#pending.values()].some((other) => other.pool === pending.pool)) {
      this.#workers.get(pending.pool)?.unref();
    }
    if (reply.kind === 'result') {
      pending.resolve(reply.result);
    } else {
      const code = (ERROR_CODES as readonly string[]).includes(reply.error.code ?? '')
        ? (reply.error.code as ErrorCode)
        : 'INTERNAL';
      pending.reject(new FedLedgerError(code, reply.error.message));
    }
  }

  /** A crashed worker fails its requests; the next request starts a fresh one. */
  #retire(pool: BackendPool, worker: TrainingWorkerHandle, error: FedLedgerError): void {
    if (this.#workers.get(pool) === worker) {
      this.#workers.delete(pool);
      this.#failAll(error, pool);
    }
  }

  #failAll(error: FedLedgerError, pool?: BackendPool): void {
    for (const [id, request] of [...this.#pending.entries()]) {
      if (pool !== undefined && request.pool !== pool) continue;
      this.#pending.delete(id);
      request.reject(error);
    }
  }
}
