import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, demoScenario } from '../federation/defaults';
import { exportFederation } from '../federation/federation-export';
import { buildScenario, hiddenUnitsForParams } from '../federation/scenario';
import { nativeRoot, readSetupRecord } from '@fedledger/gateway/native';
import { run, runPythonJson } from '../python/python-env';
import { pooledImageRows } from './image-rows';
import { median } from '../report/stats';
import { markdownTable } from '../report/table';

interface Variant {
  label: string;
  backend: 'cpu' | 'wasm' | 'tensorflow';
  wasmMatMulFix: boolean;
}

const CPU: Variant = { label: 'tfjs cpu (pure JS)', backend: 'cpu', wasmMatMulFix: false };
const WASM: Variant = { label: 'tfjs wasm', backend: 'wasm', wasmMatMulFix: false };
const WASM_FIX: Variant = {
  label: 'tfjs wasm + BatchMatMul fix',
  backend: 'wasm',
  wasmMatMulFix: true,
};
const NATIVE: Variant = {
  label: 'tfjs-node (native TensorFlow 2.21, CPU)',
  backend: 'tensorflow',
  wasmMatMulFix: false,
};

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
    summary:
      'samples/s of the demo MLP (12→32→16→1), ~100k- and ~1M-parameter MLPs and the cnn preset, batch 32, Adam, on each tfjs backend (wasm, native TensorFlow when set up) vs PyTorch CPU on the same rows',
    flags: {
      epochs: {
        type: 'string',
        description: 'epochs per fit of the demo MLP (the wide one always does 1)',
        default: '3',
      },
    },
  },
  async (args) => {
    const epochs = args.quick ? 1 : Number(args.values.epochs);
    const repeats = args.quick ? 1 : 3;
    const { batchSize, learningRate } = DEMO_HYPER_PARAMETERS;
    // The demo model is tiny (per-op overhead dominates); the wide one shows where kernel speed matters.
    const native = readSetupRecord(nativeRoot(), 'cpu') !== undefined;
    const withNative = (variants: Variant[]): Variant[] =>
      native ? [...variants, NATIVE] : variants;
    const models = [
      {
        label: 'demo MLP 12→32→16→1',
        scenario: demoScenario(args.quick),
        epochs,
        variants: withNative([CPU, WASM, WASM_FIX]),
        torchThreads: [1, 2],
      },
      {
        label: 'wide MLP',
        scenario: demoScenario(args.quick, {
          hiddenUnits: hiddenUnitsForParams(args.quick ? 20_000 : 100_000, 12),
        }),
        epochs: 1,
        variants: withNative([CPU, WASM, WASM_FIX]),
        torchThreads: [1, 2],
      },
      // Where the backend policy's threshold sits: the pure-JS cpu backend is left out (minutes per fit).
      {
        label: 'large MLP',
        scenario: demoScenario(args.quick, {
          hiddenUnits: hiddenUnitsForParams(args.quick ? 200_000 : 1_000_000, 12),
        }),
        epochs: 1,
        variants: withNative([WASM_FIX]),
        torchThreads: [1],
      },
    ];
    const rows: Row[] = [];
    for (const model of models) {
      const scenario = buildScenario(model.scenario);
      const modelLabel = `${model.label.endsWith(' MLP') ? `${model.label} 12→${model.scenario.hiddenUnits.join('→')}→1` : model.label} (${scenario.paramCount} params), ${model.epochs} epoch(s)`;
      for (const variant of model.variants) {
        progress(`training: ${modelLabel}: ${variant.label}, ${repeats} fit(s)`);
        const job = {
          backend: variant.backend,
          wasmMatMulFix: variant.wasmMatMulFix,
          scenario: model.scenario,
          epochs: model.epochs,
          batchSize,
          learningRate,
          repeats,
        };
        const stdout = await run(
          process.execPath,
          [path.join(__dirname, 'training-worker.js'), JSON.stringify(job)],
          {},
          variant.label,
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
          choice: { backend: string; wasmMatMulFix: boolean };
          rows: number;
          seconds: number[];
        };
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
        for (const threads of model.torchThreads) {
          progress(`training: ${modelLabel}: PyTorch CPU, ${threads} thread(s)`);
          const torch = await runPythonJson<TorchResult>(
            'torch_train.py',
            [
              '--data-dir',
              dataDir,
              '--epochs',
              String(model.epochs),
              '--batch-size',
              String(batchSize),
              '--repeats',
              String(repeats),
              '--threads',
              String(threads),
            ],
            {},
            true,
          );
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
    rows.push(...(await cnnRows(native, batchSize, learningRate, repeats)));
    const baseline = (model: string): Row =>
      rows.find(
        (r) =>
          r.model === model && r.label.startsWith('PyTorch') && r.label.includes(', 1 thread '),
      ) as Row;
    const table = markdownTable(
      [
        'model',
        'implementation',
        'backend in use',
        'median s per fit',
        'samples/s',
        'vs PyTorch 1 thread',
      ],
      rows.map((r) => [
        r.model,
        r.label,
        r.backendReported,
        r.medianSeconds,
        r.samplesPerSecond,
        `${(r.samplesPerSecond / baseline(r.model).samplesPerSecond).toFixed(2)}×`,
      ]),
    );
    return {
      table,
      notes: [
        `One fit = the epochs shown over every org's rows pooled (${Math.round(models[0].scenario.rows * (1 - models[0].scenario.testFraction))} rows), batch ${batchSize}, Adam lr ${learningRate}, from identical initial weights; median of ${repeats} fit(s) after one warm-up fit per process.`,
        "tfjs times are the gateway's trainLocal (model build from topology, training loop, final training-set metrics); PyTorch times are the training loop of the same model (bench/python/fl_data.py).",
        native
          ? 'tfjs-node: built by `npm run setup:native` from the PyPI tensorflow-cpu 2.21.0 wheel (its own download host is unreachable here); CPU only, no GPU on this machine.'
          : 'tfjs-node (native TensorFlow) is not measured: run `npm run setup:native` first.',
        "The cnn preset cannot train on wasm (no Conv2DBackpropFilter kernel) and is not run on the pure-JS cpu backend (the gateway never picks it for convolutions); its rows are the image demo’s 2,000 training images (14×14), and its PyTorch row is the same layers with torch's own initial weights (speed, not equal results).",
        'tfjs wasm runs single-threaded in Node; "1 thread" PyTorch is the like-for-like baseline, "2 threads" shows what the second core adds — on a machine whose other core is busy, torch\'s OpenMP threads spin-wait for each other and a 2-thread fit can be many times slower than a 1-thread one.',
      ],
      data: { batchSize, learningRate, repeats, native, rows },
    };
  },
);

/** The cnn preset on the image demo's pooled training rows: tfjs-node (when set up) and PyTorch, 1 epoch each fit. */
async function cnnRows(
  native: boolean,
  batchSize: number,
  learningRate: number,
  repeats: number,
): Promise<Row[]> {
  const label = 'cnn preset 14×14 (conv 8 → conv 16 → 32 → 1), 1 epoch';
  const rows: Row[] = [];
  if (native) {
    progress(`training: ${label}: ${NATIVE.label}, ${repeats} fit(s)`);
    const job = {
      backend: 'tensorflow',
      wasmMatMulFix: false,
      scenario: 'cnn',
      epochs: 1,
      batchSize,
      learningRate,
      repeats,
    };
    const stdout = await run(
      process.execPath,
      [path.join(__dirname, 'training-worker.js'), JSON.stringify(job)],
      {},
      NATIVE.label,
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      choice: { backend: string };
      rows: number;
      seconds: number[];
    };
    const medianSeconds = median(result.seconds);
    rows.push({
      model: label,
      label: NATIVE.label,
      backendReported: result.choice.backend,
      seconds: result.seconds,
      medianSeconds,
      samplesPerSecond: result.rows / medianSeconds,
    });
  }
  const data = pooledImageRows();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fedledger-bench-cnn-'));
  try {
    const pixels = data.features.length / data.labels.length;
    const table = new Float32Array(data.labels.length * (pixels + 1));
    for (let r = 0; r < data.labels.length; r++) {
      table.set(data.features.subarray(r * pixels, (r + 1) * pixels), r * (pixels + 1));
      table[r * (pixels + 1) + pixels] = data.labels[r];
    }
    const file = path.join(dir, 'rows.f32');
    writeFileSync(file, Buffer.from(table.buffer));
    progress(`training: ${label}: PyTorch CPU, 1 thread`);
    const torch = await runPythonJson<TorchResult>(
      'torch_train_cnn.py',
      [
        '--rows-file',
        file,
        '--pixels',
        String(pixels),
        '--epochs',
        '1',
        '--batch-size',
        String(batchSize),
        '--learning-rate',
        String(learningRate),
        '--repeats',
        String(repeats),
        '--threads',
        '1',
      ],
      {},
      true,
    );
    rows.push({
      model: label,
      label: `PyTorch ${torch.torchVersion} CPU, 1 thread (OpenBLAS, 1 BLAS thread)`,
      backendReported: 'torch',
      seconds: torch.seconds,
      medianSeconds: torch.medianSeconds,
      samplesPerSecond: torch.samplesPerSecond,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
