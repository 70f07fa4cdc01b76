import type { StrategyConfig } from '@fedledger/core';
import { initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, DEMO_ROUNDS, demoScenario } from '../federation/defaults';
import { runCoordinatorFederation } from '../federation/in-process-coordinator';
import { buildScenario, type ScenarioOptions } from '../federation/scenario';
import { markdownTable } from '../report/table';

/** Server learning rates tried for FedAdam (core's default is chosen from this table, ADR 0017). */
const FEDADAM_RATES = [0.01, 0.03, 0.1, 0.3, 1];

const SPLITS: { label: string; options: Partial<ScenarioOptions> }[] = [
  { label: 'IID', options: { split: 'iid' } },
  { label: 'Dirichlet α=0.5', options: { split: 'dirichlet', alpha: 0.5 } },
];

runBench(
  {
    name: 'server-lr',
    summary:
      "FedAdam's server learning rate: test accuracy per round for several rates, IID and Dirichlet(0.5), 3 orgs (in-process coordinator, no ledger)",
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : DEMO_ROUNDS;
    const rows: { split: string; rate: number; byRound: number[]; final: number; best: number }[] =
      [];
    for (const split of SPLITS) {
      const scenario = buildScenario(demoScenario(args.quick, split.options));
      const reference = await runCoordinatorFederation({
        scenario,
        strategy: { name: 'fedavg' },
        hyperParameters: DEMO_HYPER_PARAMETERS,
        rounds,
      });
      rows.push({
        split: split.label,
        rate: Number.NaN,
        byRound: reference.rounds.map((r) => r.testAccuracy),
        final: reference.finalAccuracy,
        best: Math.max(...reference.rounds.map((r) => r.testAccuracy)),
      });
      for (const rate of FEDADAM_RATES) {
        progress(`server-lr: ${split.label}, FedAdam η=${rate}`);
        const strategy: StrategyConfig = { name: 'fedadam', params: { serverLearningRate: rate } };
        const run = await runCoordinatorFederation({
          scenario,
          strategy,
          hyperParameters: DEMO_HYPER_PARAMETERS,
          rounds,
        });
        const byRound = run.rounds.map((r) => r.testAccuracy);
        rows.push({
          split: split.label,
          rate,
          byRound,
          final: run.finalAccuracy,
          best: Math.max(...byRound),
        });
      }
    }
    const table = markdownTable(
      [
        'data split',
        'server optimizer',
        'final accuracy',
        'best round accuracy',
        'accuracy by round',
      ],
      rows.map((r) => [
        r.split,
        Number.isNaN(r.rate) ? 'FedAvg (reference)' : `FedAdam η=${r.rate}`,
        r.final.toFixed(4),
        r.best.toFixed(4),
        r.byRound.map((a) => a.toFixed(3)).join(' '),
      ]),
    );
    return {
      table,
      notes: [
        `3 orgs, ${rounds} rounds × ${DEMO_HYPER_PARAMETERS.epochs} local epochs, batch ${DEMO_HYPER_PARAMETERS.batchSize}, local Adam lr ${DEMO_HYPER_PARAMETERS.learningRate}; FedAdam β₁ 0.9, β₂ 0.99, τ 1e-3. Same seeded data, split and batches for every row.`,
        `tfjs backend: ${backend.backend}. Coordinator in process (core strategies + the gateway trainer), no ledger: the ledger does not change the math.`,
      ],
      data: { rounds, rows },
    };
  },
);
