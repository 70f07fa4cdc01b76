import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol';

/** The environment variable that hands a forked training worker its {@link WorkerSetup}. */
export const WORKER_SETUP_ENV = 'FEDLEDGER_TRAINING_WORKER_SETUP';

/** How long a worker may take to leave after it was asked to; then it is killed. */
const STOP_GRACE_MS = 5_000;

/** What TrainingService needs of a training worker, whether it is a thread or a child process. */
export interface TrainingWorkerHandle {
  post(request: WorkerRequest): void;
  onReply(listener: (reply: WorkerReply) => void): void;
  /** The worker stopped (crash, exit or failure to start); `why` says how. */
  onGone(listener: (why: string) => void): void;
  /** Keeps the gateway process alive while requests are pending. */
  ref(): void;
  unref(): void;
  stop(): Promise<void>;
}

/** A worker thread: cheap to start, shares the process (the portable wasm/cpu backends). */
export function startThreadWorker(file: string, setup: WorkerSetup): TrainingWorkerHandle {
  const worker = new Worker(file, { workerData: setup });
  return {
    post: (request) => {
      worker.postMessage(request);
    },
    onReply: (listener) => worker.on('message', listener),
    onGone: (listener) => {
      worker.on('error', (error) => {
        listener(`failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        listener(`exited with code ${code}`);
      });
    },
    ref: () => {
      worker.ref();
    },
    unref: () => {
      worker.unref();
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * A child process: for the native backend. libtensorflow loaded into a worker thread crashes the
 * whole process with SIGSEGV when the process exits (its static teardown runs after the thread's
 * isolate is gone); loaded into a process's main thread it exits cleanly, and a crash there could
 * not take the gateway down with it.
 */
export function startProcessWorker(file: string, setup: WorkerSetup): TrainingWorkerHandle {
  const child = fork(file, [], {
    serialization: 'advanced',
    execArgv: [],
    env: { ...process.env, [WORKER_SETUP_ENV]: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return {
    post: (request) => {
      child.send(request);
    },
    onReply: (listener) =>
      child.on('message', (message) => {
        listener(message as WorkerReply);
      }),
    onGone: (listener) => {
      child.on('error', (error) => {
        listener(`failed: ${error.message}`);
      });
      child.on('exit', (code, signal) => {
        listener(
          signal === null ? `exited with code ${code ?? 'unknown'}` : `was killed by ${signal}`,
        );
      });
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Closing the IPC channel is the child's signal to exit (training-worker.ts).
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
