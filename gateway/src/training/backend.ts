import * as tf from '@tensorflow/tfjs';
import { FedLedgerError } from '@fedledger/core';
import { patchWasmBatchMatMul } from './wasm-batch-matmul';

/** The tfjs backends fedledger can train on, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Environment variable that forces one backend instead of the automatic choice. */
export const BACKEND_ENV = 'FEDLEDGER_TF_BACKEND';

/** The native bindings, GPU first; neither is a dependency because their install needs a download. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface BackendChoice {
  /** What `tf.getBackend()` reports after initialisation, i.e. the backend really in use. */
  backend: BackendName;
  /** For `tensorflow`, which native package provided it. */
  nativePackage?: string;
  /** Whether the wasm BatchMatMul transpose-first kernel is active. */
  wasmMatMulFix: boolean;
}

export interface BackendOptions {
  /** Overrides the automatic choice; defaults to `process.env.FEDLEDGER_TF_BACKEND`. */
  requested?: string | undefined;
  /** Re-register the wasm BatchMatMul kernel (default true); only the benchmark turns it off. */
  wasmMatMulFix?: boolean;
}

let current: Promise<BackendChoice> | undefined;

/**
 * Chooses and initialises the tfjs backend once per process (later calls return the same choice):
 * `tensorflow` if a native package resolves, else `wasm`, else `cpu`. Throws FAILED_PRECONDITION when
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
  if (requested !== '') {
    if (!(BACKEND_NAMES as readonly string[]).includes(requested)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${BACKEND_ENV}=${requested} is not a backend; use one of ${BACKEND_NAMES.join(', ')}`,
      );
    }
    const choice = await tryBackend(requested as BackendName, fix);
    if (choice === undefined) {
      const hint = requested === 'tensorflow' ? ` (install ${NATIVE_PACKAGES.join(' or ')})` : '';
      throw new FedLedgerError('FAILED_PRECONDITION', `the requested tfjs backend "${requested}" could not be initialised${hint}`);
    }
    return choice;
  }
  for (const name of BACKEND_NAMES) {
    const choice = await tryBackend(name, fix);
    if (choice !== undefined) {
      return choice;
    }
  }
  throw new FedLedgerError('FAILED_PRECONDITION', 'no tfjs backend could be initialised');
}

async function tryBackend(name: BackendName, wasmMatMulFix: boolean): Promise<BackendChoice | undefined> {
  let nativePackage: string | undefined;
  if (name === 'tensorflow') {
    nativePackage = NATIVE_PACKAGES.find(isResolvable);
    if (nativePackage === undefined) {
      return undefined;
    }
    try {
      // Loading the package registers its `tensorflow` backend with the shared tfjs engine.
      require(nativePackage);
    } catch {
      return undefined;
    }
  }
  if (name === 'wasm') {
    try {
      // Importing the package registers the `wasm` backend; its .wasm binaries ship inside it.
      require('@tensorflow/tfjs-backend-wasm');
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
    ...(nativePackage !== undefined ? { nativePackage } : {}),
    wasmMatMulFix: name === 'wasm' && wasmMatMulFix,
  };
}

function isResolvable(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}
