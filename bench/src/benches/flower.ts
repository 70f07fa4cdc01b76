import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate, initBackend } from '@fedledger/gateway/training';
import { progress, runBench } from '../cli/run-bench';
import { DEMO_HYPER_PARAMETERS, DEMO_ROUNDS, demoScenario } from '../federation/defaults';
import { exportFederation } from '../federation/federation-export';
import { runLedgerFederation } from '../federation/ledger-federation';
import { LEDGER_LABEL } from '../federation/ledger-world';
import { buildScenario, type ScenarioOptions } from '../federation/scenario';
import { warmUp } from '../federation/warm-up';
import { runPythonJson } from '../python/python-env';
import { markdownTable } from '../report/table';

interface FlowerResult {
  flwrVersion: string;
  torchVersion: string;
  engine: string;
  clientCpus: number;
  accuracyByRound: number[];
  finalAccuracy: number;
  totalSeconds: number;
  roundsSeconds: number;
}

interface Row {
  split: string;
  system: string;
  finalAccuracy: number;
  accuracyByRound: number[];
  totalSeconds: number;
  roundsSeconds: number;
}

const SPLITS: { label: string; options: Partial<ScenarioOptions> }[] = [
  { label: 'IID', options: { split: 'iid' } },
  { label: 'non-IID Dirichlet α=0.5', options: { split: 'dirichlet', alpha: 0.5 } },
];

runBench(
  {
    name: 'flower',
    summary:
      'the same federation (split, initial weights, model, rounds, epochs, batch, FedAvg) in fedledger (tfjs, in-process ledger) and in Flower (PyTorch clients, simulation engine)',
  },
  async (args) => {
    const backend = await initBackend();
    const rounds = args.quick ? 2 : DEMO_ROUNDS;
    const hp = DEMO_HYPER_PARAMETERS;
    const rows: Row[] = [];
    let flowerInfo: FlowerResult | undefined;
    const initialChecks: string[] = [];
    for (const split of SPLITS) {
      const scenario = buildScenario(demoScenario(args.quick, split.options));
      await warmUp(scenario);
      progress(`flower: ${split.label}: fedledger, ${rounds} rounds`);
      const started = performance.now();
      const run = await runLedgerFederation({
        scenario,
        strategy: { name: 'fedavg' },
        hyperParameters: hp,
        rounds,
        federationId: 'flower-peer',
        onRound: (o) => {
          progress(`  round ${o.round}: accuracy ${o.testAccuracy.toFixed(4)}`);
        },
      });
      const fedledgerSeconds = (performance.now() - started) / 1000;
      rows.push({
        split: split.label,
        system: `fedledger (tfjs ${backend.backend}, ${LEDGER_LABEL})`,
        finalAccuracy: run.finalAccuracy,
        accuracyByRound: run.rounds.map((r) => r.testAccuracy),
        totalSeconds: fedledgerSeconds,
        roundsSeconds: run.totalSeconds,
      });
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fedledger-bench-flower-'));
      try {
        exportFederation(dataDir, scenario, hp, rounds);
        progress(`flower: ${split.label}: Flower simulation (Ray start-up takes a while)`);
        const flower = await runPythonJson<FlowerResult>('flower_federation.py', [
          '--data-dir',
          dataDir,
        ]);
        flowerInfo = flower;
        // Both frameworks score the exported initial weights on the same rows: equal accuracy shows the export and the kernel transposition are right.
        const initial = await evaluate({
          topology: scenario.topology,
          weights: scenario.initialWeights,
          numFeatures: scenario.numFeatures,
          ...scenario.test,
        });
        initialChecks.push(
          `${split.label}: tfjs ${initial.metrics.accuracy.toFixed(4)}, PyTorch ${(flower.accuracyByRound[0] ?? Number.NaN).toFixed(4)}`,
        );
        rows.push({
          split: split.label,
          system: `Flower ${flower.flwrVersion} (PyTorch ${flower.torchVersion}, Ray simulation)`,
          finalAccuracy: flower.finalAccuracy,
          accuracyByRound: flower.accuracyByRound.slice(1),
          totalSeconds: flower.totalSeconds,
          roundsSeconds: flower.roundsSeconds,
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const table = markdownTable(
      [
        'data split',
        'system',
        'final test accuracy',
        'accuracy by round',
        `${rounds} rounds s`,
        'wall s incl. start-up',
      ],
      rows.map((r) => [
        r.split,
        r.system,
        r.finalAccuracy.toFixed(4),
        r.accuracyByRound.map((a) => a.toFixed(3)).join(' '),
        r.roundsSeconds,
        r.totalSeconds,
      ]),
    );
    return {
      table,
      notes: [
        `Both systems: the same exported rows per org, the same initial weights, 12→32→16→1 MLP, ${rounds} rounds × ${hp.epochs} local epochs, batch ${hp.batchSize}, Adam lr ${hp.learningRate} (fresh per round), FedAvg weighted by samples, scored after every round on the same test rows. Batch order differs (each framework's own seeded shuffle).`,
        `fedledger: the 3 orgs train one after another in one Node process, every step through the in-process ledger (${LEDGER_LABEL}); "rounds s" excludes creating the federation.`,
        `Flower: ${flowerInfo?.engine ?? 'simulation engine'} with ${flowerInfo?.clientCpus ?? 1} CPU per client, so 2 clients train at once on 2 cores; "rounds s" runs from the round-0 evaluation to the last one, the wall time adds Ray start-up and shutdown.`,
        `Test accuracy of the initial weights as each framework loads them (must match): ${initialChecks.join('; ')}.`,
        'Flower 1.42 (the newest) needs a certifi release newer than the package registry offers here, so Flower 1.41.0 is used.',
      ],
      data: { rounds, hyperParameters: hp, rows },
    };
  },
);
