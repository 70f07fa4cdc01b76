import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * On the wasm backend a `BatchMatMul` with `transposeA`/`transposeB` set is 5–8× slower than an
 * explicit transpose followed by a plain multiply (TFJS_NOTES), and every dense-layer weight gradient
 * sets those flags. This re-registers the wasm kernel so it transposes first, calls the original
 * kernel with both flags off, and frees the temporaries.
 */

const PATCHED = Symbol.for('fedledger.wasmBatchMatMulPatched');

interface BackendWithDisposal {
  disposeData(dataId: object): boolean;
}

/** A wasm kernel, or undefined when none is registered (tf.getKernel's typing leaves undefined out). */
function registeredKernel(name: string): KernelConfig | undefined {
  return tf.getKernel(name, 'wasm');
}

/** Replaces the wasm BatchMatMul kernel with the transpose-first version; idempotent. */
export function patchWasmBatchMatMul(): void {
  const original = registeredKernel('BatchMatMul');
  const transpose = registeredKernel('Transpose');
  if (original === undefined || transpose === undefined) {
    throw new Error(
      'the wasm backend kernels are not registered; import @tensorflow/tfjs-backend-wasm first',
    );
  }
  if ((original as KernelConfig & { [PATCHED]?: boolean })[PATCHED] === true) {
    return;
  }
  const multiply = original.kernelFunc;
  const transposeKernel = transpose.kernelFunc;

  const transposeFirst: KernelFunc = ({ inputs, backend, attrs }) => {
    const flags = (attrs ?? {}) as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (flags.transposeA !== true && flags.transposeB !== true) {
      return multiply({ inputs, backend, attrs });
    }
    const temporaries: TensorInfo[] = [];
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank).keys()];
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      const out = transposeKernel({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(out);
      return out;
    };
    const a = inputs['a'] as TensorInfo;
    const b = inputs['b'] as TensorInfo;
    try {
      return multiply({
        inputs: {
          a: flags.transposeA === true ? swapLastTwo(a) : a,
          b: flags.transposeB === true ? swapLastTwo(b) : b,
        },
        backend,
        attrs: { ...flags, transposeA: false, transposeB: false },
      });
    } finally {
      for (const temporary of temporaries) {
        (backend as unknown as BackendWithDisposal).disposeData(temporary.dataId);
      }
    }
  };

  tf.unregisterKernel('BatchMatMul', 'wasm');
  const patched: KernelConfig & { [PATCHED]: boolean } = {
    ...original,
    kernelFunc: transposeFirst,
    [PATCHED]: true,
  };
  tf.registerKernel(patched);
}
