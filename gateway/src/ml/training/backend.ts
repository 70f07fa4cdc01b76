import * as tf from '@tensorflow/tfjs';
import { FedLedgerError, TRAINING_BACKENDS, type TrainingBackend } from '@fedledger/core';
import { loadNativeBackend } from './native-backend';
import { patchWasmBatchMatMul } from './wasm-batch-matmul';

/** The tfjs backends fedledger can train on, fastest first. */
export const BACKEND_NAMES = TRAINING_BACKENDS;
export type BackendName = TrainingBackend;

/** Environment variable that forces one backend instead of the automatic choice. */
export const BACKEND_ENV = 'FEDLEDGER_TF_BACKEND';

export interface BackendChoice {
  /** What `tf.getBackend()` reports after initialisation, i.e. the backend really in use. */
  backend: BackendName;
  /** For `tensorflow`, which native package provided it. */
  nativePackage?: string;
  /** For `tensorflow`: `gpu` when the GPU build loaded. */
  device?: 'cpu' | 'gpu';
  /** Why the native backend is not used (when it was a candidate), or why its GPU build is not: said once, here. */
  notes: string[];
  /** Whether the wasm BatchMatMul transpose-first kernel is active. */
  wasmMatMulFix: boolean;
}

export interface BackendOptions {
  /** Overrides the automatic choice; defaults to `process.env.FEDLEDGER_TF_BACKEND`. */
  requested?: string | undefined;
  /** Re-register the wasm BatchMatMul kernel (default true); only the benchmark turns it off. */
  wasmMatMulFix?: boolean;
  /** The backends to try, in order (default {@link BACKEND_NAMES}); a requested one must be among them. */
  candidates?: readonly BackendName[];
}

let current: Promise<BackendChoice> | undefined;

/**
 * Chooses and initialises the tfjs backend once per thread (later calls return the same choice): the
 * first of `candidates` that starts — `tensorflow` when `npm run setup:native` built it (see
 * native-backend.ts), else `wasm`, else `cpu`. Throws FAILED_PRECONDITION when
 * an explicitly requested backend cannot start, INVALID_ARGUMENT for an unknown name.
 */
export function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  current ??= chooseBackend(options).catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

async function chooseBackend(options: BackendOptions): Promise<BackendChoice> {
  const requested = (options.requested ?? process.env[BACKEND_ENV] ?? '').trim();
  const fix = options.wasmMatMulFix ?? true;
  const candidates = options.candidates ?? BACKEND_NAMES;
  const notes: string[] = [];
  if (requested !== '') {
    if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${BACKEND_ENV}=${requested} is not a backend; use one of ${BACKEND_NAMES.join(', ')}`,
      );
    }
    if (!candidates.includes(requested as BackendName)) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `${BACKEND_ENV}=${requested} excludes this worker's backends (${candidates.join(', ')})`,
      );
    }
    const choice = await tryBackend(requested as BackendName, fix, notes);
    if (choice === undefined) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `the requested tfjs backend "${requested}" could not be initialised${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`,
      );
    }
    return choice;
  }
  for (const name of candidates) {
    const choice = await tryBackend(name, fix, notes);
    if (choice !== undefined) {
      return choice;
    }
  }
  // The notes already say why (e.g. the native build is not set up); without any, say what was tried.
  throw new FedLedgerError(
    'FAILED_PRECONDITION',
    notes.length > 0
      ? notes.join('; ')
      : `no tfjs backend could be initialised among ${candidates.join(', ')}`,
  );
}

async function tryBackend(
  name: BackendName,
  wasmMatMulFix: boolean,
  notes: string[],
): Promise<BackendChoice | undefined> {
  let native: { package: string; device: 'cpu' | 'gpu' } | undefined;
  if (name === 'tensorflow') {
    // Loading the binding registers its `tensorflow` backend with this thread's tfjs engine.
    const load = loadNativeBackend();
    if (load.gpuNote !== null) notes.push(load.gpuNote);
    if (!load.ok) {
      notes.push(load.reason);
      return undefined;
    }
    native = { package: load.package, device: load.device };
  }
  if (name === 'wasm') {
    try {
      // Importing the package registers the `wasm` backend; its .wasm binaries ship inside it.
      await import('@tensorflow/tfjs-backend-wasm');
    } catch {
      return undefined;
    }
    if (wasmMatMulFix) {
      patchWasmBatchMatMul();
    }
  }
  // setBackend resolves false (and tfjs silently keeps its old backend) when initialisation fails.
  const ok = await tf.setBackend(name).catch(() => false);
  if (!ok || tf.getBackend() !== name) {
    return undefined;
  }
  await tf.ready();
  return {
    backend: name,
    ...(native !== undefined ? { nativePackage: native.package, device: native.device } : {}),
    wasmMatMulFix: name === 'wasm' && wasmMatMulFix,
    notes,
  };
}
