import {
  type BackendName,
  buildPreset,
  initBackend,
  trainLocal,
} from '@fedledger/gateway/training';
import { buildScenario, pooledTrainingData, type ScenarioOptions } from '../federation/scenario';
import { pooledImageRows } from './image-rows';

/**
 * Child process of the `training` bench: one tfjs backend per process, because the backend and the
 * wasm BatchMatMul re-registration are process-wide. Reads a JSON job from argv[2], prints a JSON line.
 */
interface TrainingJob {
  backend: BackendName;
  wasmMatMulFix: boolean;
  /** A dense scenario (mlp preset on synthetic clinical rows), or `cnn`: the cnn preset on the image demo's digit rows. */
  scenario: ScenarioOptions | 'cnn';
  epochs: number;
  batchSize: number;
  learningRate: number;
  repeats: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as TrainingJob;
  const choice = await initBackend({ requested: job.backend, wasmMatMulFix: job.wasmMatMulFix });
  let scenario: { topology: string; initialWeights: Uint8Array; numFeatures: number };
  let data: { features: Float32Array; labels: Float32Array };
  if (job.scenario === 'cnn') {
    scenario = cnnScenario();
    data = pooledImageRows();
  } else {
    const dense = buildScenario(job.scenario);
    scenario = dense;
    data = pooledTrainingData(dense);
  }
  // Warm-up: wasm compilation, kernel registration and JIT happen once per process, not per fit.
  await trainLocal({
    topology: scenario.topology,
    weights: scenario.initialWeights,
    ...data,
    numFeatures: scenario.numFeatures,
    hyperParameters: { epochs: 1, batchSize: job.batchSize, learningRate: job.learningRate },
    seed: 99,
  });
  const seconds: number[] = [];
  for (let repeat = 0; repeat < job.repeats; repeat++) {
    const result = await trainLocal({
      topology: scenario.topology,
      weights: scenario.initialWeights,
      ...data,
      numFeatures: scenario.numFeatures,
      hyperParameters: {
        epochs: job.epochs,
        batchSize: job.batchSize,
        learningRate: job.learningRate,
      },
      seed: repeat,
    });
    seconds.push(result.seconds);
    process.stderr.write(`fit ${repeat + 1}/${job.repeats}: ${result.seconds.toFixed(3)} s\n`);
  }
  process.stdout.write(`${JSON.stringify({ choice, rows: data.labels.length, seconds })}\n`);
}

function cnnScenario(): { topology: string; initialWeights: Uint8Array; numFeatures: number } {
  const preset = buildPreset({ preset: 'cnn', inputDim: 196, seed: 2 });
  return { topology: preset.topology, initialWeights: preset.initialWeights, numFeatures: 196 };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
