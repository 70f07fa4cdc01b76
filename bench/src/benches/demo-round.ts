import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_DEMO_OPTIONS,
  type DemoSummary,
  REPO_ROOT,
  runCommand,
  withNetworkLock,
} from '@fedledger/demo';
import { progress, runBench } from '../cli/run-bench';
import { machineInfo } from '../report/machine';
import { median, ratio } from '../report/stats';
import { markdownTable } from '../report/table';
import { roundSplit, type RoundSplit } from '../federation/round-split';
import { networkConfigWith, parseConsensusList, type Consensus } from '../fabric/consensus';

type Ledger = 'fabric' | 'in-process';
const DEMO_MAIN = path.join(REPO_ROOT, 'demo', 'dist', 'main.js');

/** One column of the comparison: the in-process ledger, or Fabric with one ordering service. */
interface Variant {
  label: string;
  ledger: Ledger;
  consensus?: Consensus;
}

interface Run {
  variant: string;
  ledger: Ledger;
  roundSeconds: number[];
  split: RoundSplit;
  finalModelHash: string;
}

runBench(
  {
    name: 'demo-round',
    summary:
      'the demo federation (3 hospitals, gateway processes on Fabric vs one process on the in-process ledger): wall time per round and where it goes, Fabric against the in-process ledger in the same run',
    flags: {
      pairs: {
        type: 'string',
        description: 'runs of each ledger, alternating (default 3; --quick 1)',
      },
      rounds: {
        type: 'string',
        description:
          'rounds per run (default 5; --quick 3); the first round of each run is left out as warm-up',
      },
      consensus: {
        type: 'string',
        description:
          "Fabric's ordering services, comma-separated (bft, raft; default bft,raft): one Fabric variant each",
      },
    },
  },
  async (args) => {
    const pairs = positiveInt(args.values['pairs'], args.quick ? 1 : 3, 'pairs');
    const rounds = positiveInt(args.values['rounds'], args.quick ? 3 : 5, 'rounds');
    if (rounds < 2) throw new Error('--rounds must be at least 2: the first round is warm-up');
    const kinds = parseConsensusList(
      typeof args.values['consensus'] === 'string' ? args.values['consensus'] : 'bft,raft',
    );
    const variants: Variant[] = [
      ...kinds.map((consensus): Variant => ({
        label: `fabric ${consensus}`,
        ledger: 'fabric',
        consensus,
      })),
      { label: 'in-process', ledger: 'in-process' },
    ];
    const loadAtStart = machineInfo().loadAverage;
    const runs: Run[] = [];
    await withNetworkLock(async () => {
      for (let pair = 1; pair <= pairs; pair++) {
        for (const variant of variants) {
          progress(`demo-round: pass ${pair}/${pairs}, ${variant.label}, ${rounds} rounds`);
          runs.push(await runDemo(variant, rounds));
        }
      }
    });
    const hashes = new Set(runs.map((run) => run.finalModelHash));
    if (hashes.size !== 1)
      throw new Error(
        `the runs ended with different models (${[...hashes].join(', ')}): the comparison would not be of the same work`,
      );
    const byLedger = (label: string): Run[] => runs.filter((run) => run.variant === label);
    const roundMedian = (label: string): number =>
      median(byLedger(label).flatMap((run) => run.roundSeconds.slice(1)));
    const splitMedian = (label: string, key: keyof RoundSplit): number =>
      median(byLedger(label).map((run) => run.split[key]));
    const baseline = roundMedian('in-process');
    const rows = variants.map(({ label: ledger }) => [
      ledger,
      roundMedian(ledger),
      ratio(roundMedian(ledger), baseline),
      splitMedian(ledger, 'trainingSeconds'),
      splitMedian(ledger, 'submitSeconds'),
      splitMedian(ledger, 'aggregateSeconds'),
      splitMedian(ledger, 'recordEvaluationSeconds'),
      splitMedian(ledger, 'eventToSubmitSeconds'),
      `${byLedger(ledger).reduce((n, run) => n + run.split.aggregationsSucceeded, 0)} / ${byLedger(ledger).reduce((n, run) => n + run.split.aggregationsFailed, 0)}`,
    ]);
    const table = markdownTable(
      [
        'ledger',
        'round s (median)',
        'vs in-process',
        'training s',
        'SubmitUpdate s',
        'Aggregate s',
        'RecordEvaluation s',
        'round event → update committed s',
        'Aggregate ok / failed',
      ],
      rows,
    );
    return {
      table,
      notes: [
        `${pairs} run(s) of each variant (${variants.map((v) => v.label).join(', ')}), alternating, ${rounds} rounds each, \`npm run demo\` defaults otherwise (seed ${DEFAULT_DEMO_OPTIONS.seed}, 3 hospitals, MLP 12-32-16-1); every run ended with the same final model hash ${[...hashes][0]?.slice(0, 16)}….`,
        "round s: the demo's own per-round wall time (previous global model on the ledger → the next one, polled every 100 ms), median over rounds 2.. of every run (round 1 includes warm-up).",
        "The other columns are means per call from the hospital gateways' /metrics (summary.json roundMetrics), medians over runs. On Fabric (v3.1.5; the ordering service chosen through a copy of network.config with CONSENSUS set, passed as NETWORK_CONFIG) the three gateways, four peers, the orderers (SmartBFT: 4, one per org; Raft: 1), four chaincode servers and the demo share the machine's cores; in-process, everything runs in one Node process.",
        "RecordEvaluation runs beside the next round's training (off the critical path); round event → update committed spans fetch, training and SubmitUpdate.",
        `Machine load: 1/5/15-min load average ${loadAtStart.join(' / ')} at the start, ${machineInfo().loadAverage.join(' / ')} at the end, on ${machineInfo().cpus} cores.`,
      ],
      data: { pairs, rounds, variants, runs },
    };
  },
);

async function runDemo(variant: Variant, rounds: number): Promise<Run> {
  const { ledger } = variant;
  const out = mkdtempSync(path.join(tmpdir(), `fedledger-demo-round-${ledger}-`));
  // Apart from --out, which belongs to the demo.
  const configDir = mkdtempSync(path.join(tmpdir(), 'fedledger-demo-round-config-'));
  try {
    const env =
      variant.consensus === undefined
        ? process.env
        : { ...process.env, NETWORK_CONFIG: networkConfigWith(variant.consensus, configDir) };
    const result = await runCommand(
      process.execPath,
      [DEMO_MAIN, '--ledger', ledger, '--rounds', String(rounds), '--out', out],
      { cwd: REPO_ROOT, env },
    );
    if (result.code !== 0)
      throw new Error(
        `the ${variant.label} demo exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`,
      );
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as DemoSummary;
    return {
      variant: variant.label,
      ledger,
      roundSeconds: summary.roundSeconds,
      split: roundSplit(summary.roundMetrics),
      finalModelHash: summary.finalModelHash,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  }
}

function positiveInt(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer, got ${String(value)}`);
  return parsed;
}
