import { execFileSync } from 'node:child_process';
import { prepareDataset } from '../datasets/prepared-dataset';
import { generateSyntheticClinical } from '../datasets/synthetic-clinical';
import { initBackend } from './backend';
import { buildPreset } from './model-presets';
import { trainLocal } from './trainer';

/**
 * Measures training throughput (samples/s) of the demo MLP (12 → 32 → 16 → 1, batch 32) on the cpu
 * backend, the wasm backend, and wasm with the BatchMatMul fix. Each measurement runs in its own
 * process (a process chooses its tfjs backend once), and the configurations take turns so that load
 * from other processes on the machine hits them alike. Both wall-clock and CPU-time throughput are
 * printed; CPU time is the fairer number on a busy machine. A developer tool, not a test:
 *
 *   node gateway/dist/ml/training/measure-training-speed.js [rows] [epochs] [rounds] [hidden widths, default 32,16]
 */
const CONFIGURATIONS = [
  { label: 'cpu', backend: 'cpu', fix: false },
  { label: 'wasm', backend: 'wasm', fix: false },
  { label: 'wasm + matmul fix', backend: 'wasm', fix: true },
] as const;

interface Measurement {
  wallSeconds: number;
  cpuSeconds: number;
}

async function measureOnce(
  backend: string,
  fix: boolean,
  rows: number,
  epochs: number,
  hiddenUnits: number[],
): Promise<Measurement> {
  await initBackend({ requested: backend, wasmMatMulFix: fix });
  const data = prepareDataset(generateSyntheticClinical({ rows, seed: 1 }), {
    validationFraction: 0,
    seed: 1,
  });
  const model = buildPreset({ preset: 'mlp', inputDim: 12, hiddenUnits, seed: 1 });
  const run = (runEpochs: number): Promise<unknown> =>
    trainLocal({
      topology: model.topology,
      weights: model.initialWeights,
      features: data.train.features,
      labels: data.train.labels,
      numFeatures: 12,
      hyperParameters: { epochs: runEpochs, batchSize: 32, learningRate: 0.01 },
      seed: 1,
    });
  await run(1); // warm-up: kernel setup and JIT
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await run(epochs);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallSeconds: (performance.now() - wallBefore) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const [rows = 8000, epochs = 3, rounds = 3] = process.argv.slice(2, 5).map(Number);
  const hidden = process.argv[5] ?? '32,16';
  const samples = rows * epochs;
  process.stdout.write(
    `MLP 12→${hidden.replace(/,/g, '→')}→1, batch 32, ${rows} rows × ${epochs} epochs, median of ${rounds} interleaved runs\n`,
  );
  const results = CONFIGURATIONS.map(() => [] as Measurement[]);
  for (let round = 0; round < rounds; round++) {
    CONFIGURATIONS.forEach((configuration, i) => {
      const output = execFileSync(
        process.execPath,
        [
          __filename,
          '--child',
          configuration.backend,
          String(configuration.fix),
          String(rows),
          String(epochs),
          hidden,
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      results[i]?.push(JSON.parse(output.trim().split('\n').at(-1) as string) as Measurement);
    });
  }
  CONFIGURATIONS.forEach((configuration, i) => {
    const wall = median(results[i].map((m) => m.wallSeconds));
    const cpu = median(results[i].map((m) => m.cpuSeconds));
    process.stdout.write(
      `${configuration.label.padEnd(18)} ${(samples / wall).toFixed(0).padStart(7)} samples/s wall (${wall.toFixed(2)} s)  ${(samples / cpu).toFixed(0).padStart(7)} samples/s of CPU time (${cpu.toFixed(2)} s)\n`,
    );
  });
}

if (process.argv[2] === '--child') {
  const [, , , backend, fix, rows, epochs, hidden] = process.argv;
  measureOnce(
    backend,
    fix === 'true',
    Number(rows),
    Number(epochs),
    hidden.split(',').map(Number),
  ).then(
    (measurement) => process.stdout.write(JSON.stringify(measurement) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  main();
}
