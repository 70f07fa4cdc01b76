import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, demoScenario } from '../federation/defaults';
import { exportFederation } from '../federation/federation-export';
import { buildScenario, hiddenUnitsForParams } from '../federation/scenario';
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
  model: string;
  label: string;
  backendReported: string;
  seconds: number[];
  medianSeconds: number;
  samplesPerSecond: number;
}

runBench(
  {
    name: 'training',
    summary: 'samples/s of the demo MLP (12→32→16→1) and a ~100k-parameter MLP, batch 32, Adam, on each tfjs backend vs PyTorch CPU on the same rows and weights',
    flags: { epochs: { type: 'string', description: 'epochs per fit of the demo MLP (the wide one always does 1)', default: '3' } },
  },
  async (args) => {
    const epochs = args.quick ? 1 : Number(args.values.epochs);
    const repeats = args.quick ? 1 : 3;
    const { batchSize, learningRate } = DEMO_HYPER_PARAMETERS;
    // The demo model is tiny (per-op overhead dominates); the wide one shows where kernel speed matters.
    const models = [
      { label: 'demo MLP 12→32→16→1', scenario: demoScenario(args.quick), epochs },
      { label: 'wide MLP', scenario: demoScenario(args.quick, { hiddenUnits: hiddenUnitsForParams(args.quick ? 20_000 : 100_000, 12) }), epochs: 1 },
    ];
    const rows: Row[] = [];
    for (const model of models) {
      const scenario = buildScenario(model.scenario);
      const modelLabel = `${model.label === 'wide MLP' ? `wide MLP 12→${model.scenario.hiddenUnits.join('→')}→1` : model.label} (${scenario.paramCount} params), ${model.epochs} epoch(s)`;
      for (const variant of VARIANTS) {
        progress(`training: ${modelLabel}: ${variant.label}, ${repeats} fit(s)`);
        const job = { backend: variant.backend, wasmMatMulFix: variant.wasmMatMulFix, scenario: model.scenario, epochs: model.epochs, batchSize, learningRate, repeats };
        const stdout = await run(process.execPath, [path.join(__dirname, 'training-worker.js'), JSON.stringify(job)], {}, variant.label);
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { choice: { backend: string; wasmMatMulFix: boolean }; rows: number; seconds: number[] };
        const medianSeconds = median(result.seconds);
        rows.push({
          model: modelLabel,
          label: variant.label,
          backendReported: `${result.choice.backend}${result.choice.wasmMatMulFix ? ' (fix on)' : ''}`,
          seconds: result.seconds,
          medianSeconds,
          samplesPerSecond: (result.rows * model.epochs) / medianSeconds,
        });
      }
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fedledger-bench-training-'));
      try {
        exportFederation(dataDir, scenario, DEMO_HYPER_PARAMETERS, 1);
        for (const threads of [1, 2]) {
          progress(`training: ${modelLabel}: PyTorch CPU, ${threads} thread(s)`);
          const torch = await runPythonJson<TorchResult>('torch_train.py', ['--data-dir', dataDir, '--epochs', String(model.epochs), '--batch-size', String(batchSize), '--repeats', String(repeats), '--threads', String(threads)]);
          rows.push({
            model: modelLabel,
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
    }
    const baseline = (model: string): Row => rows.find((r) => r.model === model && r.label.startsWith('PyTorch') && r.label.includes(', 1 thread ')) as Row;
    const table = markdownTable(
      ['model', 'implementation', 'backend in use', 'median s per fit', 'samples/s', 'vs PyTorch 1 thread'],
      rows.map((r) => [r.model, r.label, r.backendReported, r.medianSeconds, r.samplesPerSecond, `${(r.samplesPerSecond / baseline(r.model).samplesPerSecond).toFixed(2)}×`]),
    );
    return {
      table,
      notes: [
        `One fit = the epochs shown over every org's rows pooled (${Math.round(models[0].scenario.rows * (1 - models[0].scenario.testFraction))} rows), batch ${batchSize}, Adam lr ${learningRate}, from identical initial weights; median of ${repeats} fit(s) after one warm-up fit per process.`,
        'tfjs times are the gateway\'s trainLocal (model build from topology, training loop, final training-set metrics); PyTorch times are the training loop of the same model (bench/python/fl_data.py).',
        'tfjs-node (native TensorFlow) is not measured: its install step downloads libtensorflow, which this machine cannot reach.',
        'tfjs wasm runs single-threaded in Node; "1 thread" PyTorch is the like-for-like baseline, "2 threads" shows what the second core adds — on a machine whose other core is busy, torch\'s OpenMP threads spin-wait for each other and a 2-thread fit can be many times slower than a 1-thread one.',
      ],
      data: { batchSize, learningRate, repeats, rows },
    };
  },
);
