import { FedLedgerError, type TrainingBackend } from '@fedledger/core';

/** What the backend choice needs to know about a model: read from the built model by the worker. */
export interface ModelProfile {
  paramCount: number;
  /** tfjs class names of every layer, nested models flattened (`Dense`, `Conv2D`, …). */
  layerClasses: string[];
}

/**
 * Layers whose training needs kernels the wasm backend lacks (`Conv2DBackpropFilter`,
 * `Conv2DBackpropInput`, `UnsortedSegmentSum` for Embedding): they train only on `tensorflow`. The
 * pure-JS `cpu` backend could run them but 7–60× slower than wasm on dense models already
 * (docs/performance.md), too slow for a training round, so it is not offered for them.
 */
export const NATIVE_ONLY_LAYERS: ReadonlySet<string> = new Set([
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv2DTranspose',
  'Conv3DTranspose',
  'SeparableConv1D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'ConvLSTM2D',
  'Embedding',
]);

/**
 * Dense models at least this large train on `tensorflow` when it is there; smaller ones on wasm,
 * whose per-op dispatch is cheaper (bench `training`, docs/performance.md: wasm with the BatchMatMul fix
 * is faster up to the 235k-parameter MLP; native wins from here on).
 */
export const NATIVE_PARAM_THRESHOLD = 1_000_000;

/** The two kinds of worker: the portable one (wasm, else cpu) and the native one (tensorflow). */
export type BackendPool = 'portable' | 'native';

export interface AvailableBackends {
  /** The portable worker's backend, or null when it could not start (or FEDLEDGER_TF_BACKEND excludes it). */
  portable: TrainingBackend | null;
  /** `tensorflow` when the native worker started, else null with `nativeReason`. */
  native: TrainingBackend | null;
  nativeReason: string | null;
}

export interface BackendPlan {
  pool: BackendPool;
  backend: TrainingBackend;
  /** Why this backend, for logs and errors. */
  why: string;
}

/**
 * Which worker trains a model. Convolution/Embedding models: native or refused. Dense models: native
 * from {@link NATIVE_PARAM_THRESHOLD} parameters, else portable; either falls back to the other.
 * Throws BACKEND_UNAVAILABLE, naming the layers and what to install, when no available backend can train it.
 */
export function planBackend(profile: ModelProfile, available: AvailableBackends): BackendPlan {
  const nativeOnly = [
    ...new Set(profile.layerClasses.filter((name) => NATIVE_ONLY_LAYERS.has(name))),
  ];
  if (nativeOnly.length > 0) {
    if (available.native !== null) {
      return {
        pool: 'native',
        backend: available.native,
        why: `${nativeOnly.join(', ')} layers train only on the native backend`,
      };
    }
    throw new FedLedgerError(
      'BACKEND_UNAVAILABLE',
      `the model has ${nativeOnly.join(', ')} layers, which train only on the native TensorFlow backend (wasm lacks their gradient kernels), ` +
        `and this gateway has none: ${available.nativeReason ?? 'not available'}. Run npm run setup:native on this gateway's host and restart it, or choose a dense model`,
      { layers: nativeOnly, nativeReason: available.nativeReason },
    );
  }
  const large = profile.paramCount >= NATIVE_PARAM_THRESHOLD;
  if (large && available.native !== null) {
    return {
      pool: 'native',
      backend: available.native,
      why: `${profile.paramCount} parameters (≥ ${NATIVE_PARAM_THRESHOLD}): native is faster`,
    };
  }
  if (available.portable !== null) {
    return {
      pool: 'portable',
      backend: available.portable,
      why: large
        ? `${profile.paramCount} parameters but no native backend`
        : `${profile.paramCount} parameters (< ${NATIVE_PARAM_THRESHOLD}): wasm dispatches small ops faster`,
    };
  }
  if (available.native !== null) {
    return { pool: 'native', backend: available.native, why: 'the only backend available' };
  }
  throw new FedLedgerError(
    'BACKEND_UNAVAILABLE',
    `no TensorFlow.js backend could be started on this gateway (${available.nativeReason ?? 'wasm and cpu failed'})`,
  );
}
