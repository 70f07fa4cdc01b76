import { parentPort, workerData } from 'node:worker_threads';
import { isFedLedgerError } from '@fedledger/core';
import { initBackend } from './backend';
import { profileModel } from './model-profile';
import { evaluate, predict, trainLocal } from './trainer';
import { WORKER_SETUP_ENV } from './worker-handle';
import type { WorkerReply, WorkerRequest, WorkerResults, WorkerSetup } from './worker-protocol';

/**
 * Entry point of a training worker (dist/training/training-worker.js), run as a worker thread or as
 * a forked child process (worker-handle.ts). It initialises its own tfjs backend among the
 * candidates it is given (each thread has its own tfjs engine) and answers TrainingService's requests.
 */
const port = workerPort();
const setup = port.setup;
const backendReady = initBackend({ candidates: setup.candidates });
// Reported through each request instead; keeps a failed init from being an unhandled rejection.
backendReady.catch(() => undefined);

port.onRequest((request) => {
  void handle(request).then(
    (result) => {
      const reply: WorkerReply = { id: request.id, kind: 'result', result };
      const transfer =
        request.kind === 'train'
          ? [(result as WorkerResults['train']).weights.buffer as ArrayBuffer]
          : [];
      port.send(reply, transfer);
    },
    (error: unknown) => {
      const reply: WorkerReply = {
        id: request.id,
        kind: 'error',
        error: isFedLedgerError(error)
          ? { code: error.code, message: error.reason }
          : { message: error instanceof Error ? error.message : String(error) },
      };
      port.send(reply);
    },
  );
});

async function handle(request: WorkerRequest): Promise<WorkerResults[keyof WorkerResults]> {
  const choice = await backendReady;
  switch (request.kind) {
    case 'backend':
      return choice;
    case 'profile':
      return profileModel(request.topology);
    case 'train':
      return trainLocal(request.input, (progress) => {
        const reply: WorkerReply = { id: request.id, kind: 'progress', progress };
        port.send(reply);
      });
    case 'evaluate':
      return evaluate(request.input);
    case 'predict':
      return predict(request.input);
  }
}

interface ServicePort {
  setup: WorkerSetup;
  onRequest(listener: (request: WorkerRequest) => void): void;
  send(reply: WorkerReply, transfer?: ArrayBuffer[]): void;
}

function workerPort(): ServicePort {
  const thread = parentPort;
  if (thread !== null) {
    return {
      setup: workerData as WorkerSetup,
      onRequest: (listener) => thread.on('message', listener),
      send: (reply, transfer = []) => {
        thread.postMessage(reply, transfer);
      },
    };
  }
  const send = process.send?.bind(process);
  const setupJson = process.env[WORKER_SETUP_ENV];
  if (send === undefined || setupJson === undefined) {
    throw new Error(
      'training-worker must run inside a worker thread or a child process forked by TrainingService',
    );
  }
  // The service closes the channel to stop this process (TrainingWorkerHandle.stop).
  process.on('disconnect', () => process.exit(0));
  return {
    setup: JSON.parse(setupJson) as WorkerSetup,
    onRequest: (listener) =>
      process.on('message', (message) => {
        listener(message as WorkerRequest);
      }),
    send: (reply) => {
      send(reply);
    },
  };
}
