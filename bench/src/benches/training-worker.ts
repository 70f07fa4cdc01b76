import { initBackend, type BackendName } from '@fedledger/gateway/dist/training/backend';
import { trainLocal } from '@fedledger/gateway/dist/training/trainer';
import { buildScenario, pooledTrainingData, type ScenarioOptions } from '../federation/scenario';

/**
 * Child process of the `training` bench: one tfjs backend per process, because the backend and the
 * wasm BatchMatMul re-registration are process-wide. Reads a JSON job from argv[2], prints a JSON line.
 */
interface TrainingJob {
  backend: BackendName;
  wasmMatMulFix: boolean;
  scenario: ScenarioOptions;
  epochs: number;
  batchSize: number;
  learningRate: number;
  repeats: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as TrainingJob;
  const choice = await initBackend({ requested: job.backend, wasmMatMulFix: job.wasmMatMulFix });
  const scenario = buildScenario(job.scenario);
  const data = pooledTrainingData(scenario);
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
      hyperParameters: { epochs: job.epochs, batchSize: job.batchSize, learningRate: job.learningRate },
      seed: repeat,
    });
    seconds.push(result.seconds);
    process.stderr.write(`fit ${repeat + 1}/${job.repeats}: ${result.seconds.toFixed(3)} s\n`);
  }
  process.stdout.write(`${JSON.stringify({ choice, rows: data.labels.length, seconds })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
