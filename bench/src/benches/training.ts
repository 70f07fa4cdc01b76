import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, demoScenario } from '../federation/defaults';
import { exportFederation } from '../federation/federation-export';
import { buildScenario } from '../federation/scenario';
import { run, runPythonJson } from '../python/python-env';
import { median } from '../report/stats';
import { markdownTable } from '../report/table';

interface Variant {
  label: string;
  backend: 'cpu' | 'wasm';
  wasmMatMulFix: boolean;
}

const VARIANTS: Variant[] = [
  { label: 'tfjs cpu (pure JS)', backend: 'cpu', wasmMatMulFix: false },
  { label: 'tfjs wasm', backend: 'wasm', wasmMatMulFix: false },
  { label: 'tfjs wasm + BatchMatMul fix', backend: 'wasm', wasmMatMulFix: true },
];

interface TorchResult {
  torchVersion: string;
  threads: number;
  rows: number;
  seconds: number[];
  medianSeconds: number;
  samplesPerSecond: number;
}

interface Row {
  label: string;
  backendReported: string;
  seconds: number[];
  medianSeconds: number;
  samplesPerSecond: number;
}

runBench(
  {
    name: 'training',
    summary: 'samples/s of the demo MLP (12→32→16→1, batch 32, Adam) on each tfjs backend vs PyTorch CPU on the same rows and weights',
    flags: { epochs: { type: 'string', description: 'epochs per fit', default: '3' } },
  },
  async (args) => {
    const scenarioOptions = demoScenario(args.quick);
    const epochs = args.quick ? 1 : Number(args.values.epochs);
    const repeats = args.quick ? 1 : 3;
    const { batchSize, learningRate } = DEMO_HYPER_PARAMETERS;
    const rows: Row[] = [];
    for (const variant of VARIANTS) {
      progress(`training: ${variant.label}, ${repeats} fit(s) of ${epochs} epoch(s)`);
      const job = { backend: variant.backend, wasmMatMulFix: variant.wasmMatMulFix, scenario: scenarioOptions, epochs, batchSize, learningRate, repeats };
      const stdout = await run(process.execPath, [path.join(__dirname, 'training-worker.js'), JSON.stringify(job)], {}, variant.label);
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { choice: { backend: string; wasmMatMulFix: boolean }; rows: number; seconds: number[] };
      const medianSeconds = median(result.seconds);
      rows.push({
        label: variant.label,
        backendReported: `${result.choice.backend}${result.choice.wasmMatMulFix ? ' (fix on)' : ''}`,
        seconds: result.seconds,
        medianSeconds,
        samplesPerSecond: (result.rows * epochs) / medianSeconds,
      });
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fedledger-bench-training-'));
    try {
      exportFederation(dataDir, buildScenario(scenarioOptions), DEMO_HYPER_PARAMETERS, 1);
      for (const threads of [1, 2]) {
        progress(`training: PyTorch CPU, ${threads} thread(s)`);
        const torch = await runPythonJson<TorchResult>('torch_train.py', ['--data-dir', dataDir, '--epochs', String(epochs), '--batch-size', String(batchSize), '--repeats', String(repeats), '--threads', String(threads)]);
        rows.push({
          label: `PyTorch ${torch.torchVersion} CPU, ${torch.threads} thread${torch.threads > 1 ? 's' : ''} (OpenBLAS, 1 BLAS thread)`,
          backendReported: 'torch',
          seconds: torch.seconds,
          medianSeconds: torch.medianSeconds,
          samplesPerSecond: torch.samplesPerSecond,
        });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const baseline = rows.find((r) => r.label.startsWith('PyTorch') && r.label.includes(', 1 thread ')) as Row;
    const table = markdownTable(
      ['implementation', 'backend in use', 'median s per fit', 'samples/s', 'vs PyTorch 1 thread'],
      rows.map((r) => [r.label, r.backendReported, r.medianSeconds, r.samplesPerSecond, `${(r.samplesPerSecond / baseline.samplesPerSecond).toFixed(2)}×`]),
    );
    return {
      table,
      notes: [
        `One fit = ${epochs} epoch(s) over every org's rows pooled (${Math.round(scenarioOptions.rows * (1 - scenarioOptions.testFraction))} rows), batch ${batchSize}, Adam lr ${learningRate}, from identical initial weights; median of ${repeats} fit(s).`,
        'tfjs times are the gateway\'s trainLocal (model build from topology, training loop, final training-set metrics); PyTorch times are the training loop of the same model (bench/python/fl_data.py).',
        'tfjs-node (native TensorFlow) is not measured: its install step downloads libtensorflow, which this machine cannot reach.',
        'tfjs wasm runs single-threaded in Node; "1 thread" PyTorch is the like-for-like baseline, "2 threads" shows what the second core adds.',
      ],
      data: { epochs, batchSize, learningRate, repeats, rows },
    };
  },
);
