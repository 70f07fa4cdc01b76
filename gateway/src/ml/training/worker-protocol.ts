import type { BackendChoice, BackendName } from './backend';
import type { ModelProfile } from './backend-policy';
import type {
  EvaluateInput,
  EvaluateResult,
  PredictInput,
  TrainLocalInput,
  TrainLocalResult,
  TrainProgressEvent,
} from './trainer';

/** What the service tells a new worker: the backends it may try, in order. */
export interface WorkerSetup {
  candidates: BackendName[];
}

/** Messages from TrainingService to the training worker; `id` pairs each request with its reply. */
export type WorkerRequest =
  | { id: number; kind: 'backend' }
  | { id: number; kind: 'profile'; topology: string }
  | { id: number; kind: 'train'; input: TrainLocalInput }
  | { id: number; kind: 'evaluate'; input: EvaluateInput }
  | { id: number; kind: 'predict'; input: PredictInput };

/** What each request kind resolves to. */
export interface WorkerResults {
  backend: BackendChoice;
  profile: ModelProfile;
  train: TrainLocalResult;
  evaluate: EvaluateResult;
  predict: number[][];
}

/** Errors cross the thread boundary as plain data; `code` is set for FedLedgerErrors. */
export interface WorkerError {
  code?: string;
  message: string;
}

/** Messages from the worker: progress (train only), then exactly one result or error per request. */
export type WorkerReply =
  | { id: number; kind: 'progress'; progress: TrainProgressEvent }
  | { id: number; kind: 'result'; result: WorkerResults[keyof WorkerResults] }
  | { id: number; kind: 'error'; error: WorkerError };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A request before the service numbers it. */
export type WorkerCommand = WithoutId<WorkerRequest>;
