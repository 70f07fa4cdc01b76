import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isFedLedgerError } from '@fedledger/core';
import { initBackend } from './backend';
import { profileModel } from './model-profile';
import { evaluate, predict, trainLocal } from './trainer';
import type { WorkerReply, WorkerRequest, WorkerResults, WorkerSetup } from './worker-protocol';

/**
 * Entry point of a training worker thread (dist/training/training-worker.js). It initialises its
 * own tfjs backend among the candidates it is given (each thread has its own tfjs engine) and
 * answers TrainingService's requests.
 */
const port = workerPort();
const setup = workerData as WorkerSetup;
const backendReady = initBackend({ candidates: setup.candidates });
// Reported through each request instead; keeps a failed init from being an unhandled rejection.
backendReady.catch(() => undefined);

port.on('message', (request: WorkerRequest) => {
  void handle(request).then(
    (result) => {
      const reply: WorkerReply = { id: request.id, kind: 'result', result };
      const transfer = request.kind === 'train' ? [(result as WorkerResults['train']).weights.buffer as ArrayBuffer] : [];
      port.postMessage(reply, transfer);
    },
    (error: unknown) => {
      const reply: WorkerReply = {
        id: request.id,
        kind: 'error',
        error: isFedLedgerError(error) ? { code: error.code, message: error.reason } : { message: error instanceof Error ? error.message : String(error) },
      };
      port.postMessage(reply);
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
        port.postMessage(reply);
      });
    case 'evaluate':
      return evaluate(request.input);
    case 'predict':
      return predict(request.input);
  }
}

function workerPort(): MessagePort {
  if (parentPort === null) {
    throw new Error('training-worker must run inside a worker thread');
  }
  return parentPort;
}
