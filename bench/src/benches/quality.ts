import type { StrategyConfig } from '@fedledger/core';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { centralizedAccuracy, localOnlyAccuracies } from '../federation/baselines';
import { DEMO_HYPER_PARAMETERS, DEMO_ROUNDS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import { buildScenario, type ScenarioOptions } from '../federation/scenario';
import { markdownTable } from '../report/table';

interface Method {
  label: string;
  strategy: StrategyConfig;
  proximalMu?: number;
}

const METHODS: Method[] = [
  { label: 'FedAvg', strategy: { name: 'fedavg' } },
  { label: 'FedProx μ=0.01', strategy: { name: 'fedavg' }, proximalMu: 0.01 },
  { label: 'FedAdam (core defaults)', strategy: { name: 'fedadam' } },
  { label: 'coordinate median', strategy: { name: 'median' } },
  {
    label: 'centered clipping (robust default, ADR 0024)',
    strategy: { name: 'centered-clipping' },
  },
];

const SPLITS: { label: string; options: Partial<ScenarioOptions> }[] = [
  { label: 'IID', options: { split: 'iid' } },
  { label: 'non-IID Dirichlet α=0.5', options: { split: 'dirichlet', alpha: 0.5 } },
];

interface Row {
  split: string;
  method: string;
  accuracyByRound: number[];
  finalAccuracy: number;
  seconds: number;
}

runBench(
  {
    name: 'quality',
    summary:
      'test accuracy of federated strategies vs centralised vs local-only training, IID and non-IID, 3 orgs (in-process coordinator, no ledger)',
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : DEMO_ROUNDS;
    const hp = DEMO_HYPER_PARAMETERS;
    const rows: Row[] = [];
    const orgSizes: Record<string, number[]> = {};
    for (const split of SPLITS) {
      const scenario = buildScenario(demoScenario(args.quick, split.options));
      orgSizes[split.label] = scenario.orgs.map((org) => org.labels.length);
      for (const method of METHODS) {
        progress(`quality: ${split.label}, ${method.label}, ${rounds} rounds`);
        const run = await runCoordinatorFederation({
          scenario,
          strategy: method.strategy,
          hyperParameters: {
            ...hp,
            ...(method.proximalMu !== undefined ? { proximalMu: method.proximalMu } : {}),
          },
          rounds,
          onRound: (outcome) => {
            progress(`  round ${outcome.round}: accuracy ${outcome.testAccuracy.toFixed(4)}`);
          },
        });
        rows.push({
          split: split.label,
          method: method.label,
          accuracyByRound: run.rounds.map((r) => r.testAccuracy),
          finalAccuracy: run.finalAccuracy,
          seconds: run.totalSeconds,
        });
      }
      progress(`quality: ${split.label}, centralised and local-only baselines`);
      let start = performance.now();
      const central = await centralizedAccuracy(scenario, hp, rounds);
      rows.push({
        split: split.label,
        method: 'centralised (pooled data)',
        accuracyByRound: [],
        finalAccuracy: central,
        seconds: (performance.now() - start) / 1000,
      });
      start = performance.now();
      const local = await localOnlyAccuracies(scenario, hp, rounds);
      const mean = local.reduce((a, b) => a + b, 0) / local.length;
      rows.push({
        split: split.label,
        method: `local-only (mean of ${local.length}; min ${Math.min(...local).toFixed(3)}, max ${Math.max(...local).toFixed(3)})`,
        accuracyByRound: local,
        finalAccuracy: mean,
        seconds: (performance.now() - start) / 1000,
      });
    }
    const centralBySplit = new Map(
      rows.filter((r) => r.method.startsWith('centralised')).map((r) => [r.split, r.finalAccuracy]),
    );
    const table = markdownTable(
      ['data split', 'method', 'test accuracy', 'vs centralised', 'accuracy by round', 'wall s'],
      rows.map((r) => [
        r.split,
        r.method,
        r.finalAccuracy.toFixed(4),
        `${r.finalAccuracy - (centralBySplit.get(r.split) ?? Number.NaN) >= 0 ? '+' : ''}${(100 * (r.finalAccuracy - (centralBySplit.get(r.split) ?? Number.NaN))).toFixed(1)} pt`,
        r.method.startsWith('local') || r.method.startsWith('central')
          ? ''
          : r.accuracyByRound.map((a) => a.toFixed(3)).join(' '),
        r.seconds,
      ]),
    );
    return {
      table,
      notes: [
        `3 orgs, ${rounds} rounds × ${hp.epochs} local epochs, batch ${hp.batchSize}, Adam lr ${hp.learningRate}; baselines train for the same ${rounds * hp.epochs} epochs in total. Test set: ${Math.round(demoScenario(args.quick).rows * 0.2)} held-out rows shared by every method.`,
        `Org row counts: ${Object.entries(orgSizes)
          .map(([k, v]) => `${k} ${v.join('/')}`)
          .join('; ')}.`,
        `tfjs backend: ${backend.backend}${backend.wasmMatMulFix ? ' with the BatchMatMul fix' : ''}. Coordinator in process (core strategies + the gateway trainer), no ledger: the ledger does not change the math.`,
        'Features are standardised with pooled training statistics (a consortium-agreed normalisation); gateways standardising with their own statistics is not modelled.',
      ],
      data: { rounds, hyperParameters: hp, orgSizes, rows },
    };
  },
);
