import * as tf from '@tensorflow/tfjs';
import { createSeededRandom } from '../datasets/seeded-random';
import { cudaLibDir, nativeRoot } from '../native/native-location';
import { readSetupRecord } from '../native/setup-native';
import { NATIVE_PARAM_THRESHOLD } from './backend-policy';
import { loadNativeBackend, probeGpu } from './native-backend';
import { buildPreset } from './model-presets';
import { trainLocal } from './trainer';
import { patchWasmBatchMatMul } from './wasm-batch-matmul';

/** Rows of random data each tiny benchmark trains one epoch on. */
const BENCH_ROWS = 512;

/**
 * `node gateway/dist/cli.js doctor`: what this host can train on — the native setup, the GPU probe
 * and its decision, each backend that starts — and a tiny benchmark (one epoch of 512 random rows)
 * of the demo MLP and the cnn preset on each. Exit code 0 when at least wasm works.
 */
export async function runDoctor(out: (line: string) => void): Promise<number> {
  const root = nativeRoot();
  for (const variant of ['cpu', 'gpu'] as const) {
    const record = readSetupRecord(root, variant);
    out(
      `native ${variant} build: ${record === undefined ? 'not set up' : `${record.package}@${record.version} via ${record.route === 'wheel' ? `the ${record.wheel?.file ?? ''} wheel` : 'the official download'} (${record.finishedAt})`}`,
    );
  }
  const gpu = probeGpu();
  out(`NVIDIA driver: ${gpu.driver ?? 'none (/proc/driver/nvidia/version missing)'}`);
  out(
    `CUDA libraries on LD_LIBRARY_PATH: ${gpu.ldLibraryPath.split(':').includes(cudaLibDir(root)) ? 'yes' : 'no'}`,
  );

  const backends: string[] = [];
  const native = loadNativeBackend();
  if (native.gpuNote !== null) out(`GPU not used: ${native.gpuNote}`);
  if (native.ok && (await tf.setBackend('tensorflow'))) {
    backends.push('tensorflow');
    out(`backend tensorflow: ${native.package} on ${native.device}`);
  } else {
    out(
      `backend tensorflow: unavailable (${native.ok ? 'the backend did not initialise' : native.reason})`,
    );
  }
  await import('@tensorflow/tfjs-backend-wasm');
  patchWasmBatchMatMul();
  if (await tf.setBackend('wasm').catch(() => false)) {
    backends.push('wasm');
    out('backend wasm: up (BatchMatMul transpose-first kernel on)');
  } else {
    out('backend wasm: did not initialise');
  }
  out(
    `policy: convolution/Embedding models → tensorflow only; dense models with ≥ ${NATIVE_PARAM_THRESHOLD.toLocaleString('en-US')} parameters → tensorflow when present; the rest → wasm`,
  );

  const mlp = buildPreset({ preset: 'mlp', inputDim: 12, seed: 1 });
  const cnn = buildPreset({ preset: 'cnn', inputDim: 196, seed: 1 });
  for (const backend of backends) {
    await tf.setBackend(backend);
    const mlpSeconds = await benchOnce(mlp.topology, mlp.initialWeights, 12);
    const cnnSeconds =
      backend === 'tensorflow'
        ? `${(await benchOnce(cnn.topology, cnn.initialWeights, 196)).toFixed(2)} s`
        : 'not trainable here';
    out(
      `benchmark ${backend}: mlp 12-32-16-1 ${mlpSeconds.toFixed(2)} s, cnn 14×14 ${cnnSeconds} (one epoch of ${BENCH_ROWS} random rows, batch 32)`,
    );
  }
  return backends.includes('wasm') || backends.includes('tensorflow') ? 0 : 1;
}

async function benchOnce(topology: string, weights: Uint8Array, width: number): Promise<number> {
  const random = createSeededRandom(7);
  const features = new Float32Array(BENCH_ROWS * width).map(() => random.next());
  const labels = new Float32Array(BENCH_ROWS).map(() => (random.next() < 0.5 ? 0 : 1));
  const result = await trainLocal({
    topology,
    weights,
    features,
    labels,
    numFeatures: width,
    hyperParameters: { epochs: 1, batchSize: 32, learningRate: 0.01 },
    seed: 1,
  });
  return result.seconds;
}
