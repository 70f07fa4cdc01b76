import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_DEMO_OPTIONS,
  DEMO_SPLITS,
  REPO_ROOT,
  runCommand,
  type DemoSummary,
} from '@fedledger/demo';
import { progress, runBench } from '../cli/run-bench';
import { markdownTable } from '../report/table';

const DEMO_MAIN = path.join(REPO_ROOT, 'demo', 'dist', 'main.js');

interface SeedRow {
  seed: number;
  lastRound: number;
  selectedRound: number;
  selectedAccuracy: number;
  centralized: number;
  bestLocalOnly: number;
  gapToCentralized: number;
  met: boolean;
  verifiedByAuditor: boolean;
  roundAccuracy: number[];
}

runBench(
  {
    name: 'demo-seeds',
    summary:
      "the demo with its defaults for several seeds: whether it meets its goal (federated, on the round the consortium's model selection picks, at most 3 pt below centralised and above the best local-only hospital)",
    flags: {
      seeds: { type: 'string', description: 'first-last seeds (default 1-10; --quick 1-1)' },
      ledger: {
        type: 'string',
        description:
          'in-process (default) or fabric (takes the network lock, one network per seed)',
      },
      split: {
        type: 'string',
        description: `the demo's --split (default ${DEFAULT_DEMO_OPTIONS.split}; ${DEMO_SPLITS.join(' or ')})`,
      },
    },
  },
  async (args) => {
    const [first, last] = seedRange(args.values['seeds'], args.quick ? '1-1' : '1-10');
    const ledger = args.values['ledger'] ?? 'in-process';
    if (ledger !== 'in-process' && ledger !== 'fabric')
      throw new Error(`--ledger must be in-process or fabric, got ${String(ledger)}`);
    const split = args.values['split'] ?? DEFAULT_DEMO_OPTIONS.split;
    if (!(DEMO_SPLITS as readonly unknown[]).includes(split))
      throw new Error(`--split must be one of ${DEMO_SPLITS.join(', ')}, got ${String(split)}`);
    // --quick only checks the plumbing: 2 rounds instead of the demo's default.
    const extra = [
      ...(split === DEFAULT_DEMO_OPTIONS.split ? [] : ['--split', String(split)]),
      ...(args.quick ? ['--rounds', '2'] : []),
    ];
    const rows: SeedRow[] = [];
    for (let seed = first; seed <= last; seed++) {
      progress(`demo-seeds: seed ${seed} (${ledger})`);
      rows.push(await runSeed(seed, ledger, extra));
    }
    const met = rows.filter((r) => r.met).length;
    return {
      table: markdownTable(
        [
          'seed',
          'last round',
          'selected (round)',
          'centralised',
          'best local-only',
          'gap to centralised (pt)',
          'goal',
          'auditor verified',
        ],
        rows.map((r) => [
          r.seed === DEFAULT_DEMO_OPTIONS.seed ? `${r.seed} (default)` : String(r.seed),
          pct(r.lastRound),
          `${pct(r.selectedAccuracy)} (${r.selectedRound})`,
          pct(r.centralized),
          pct(r.bestLocalOnly),
          (100 * r.gapToCentralized).toFixed(1),
          r.met ? 'met' : '**missed**',
          r.verifiedByAuditor ? 'yes' : 'NO',
        ]),
      ),
      notes: [
        `Goal met on ${met} of ${rows.length} seeds (${first}–${last}).`,
        `\`node demo/dist/main.js --ledger ${ledger} --seed N${extra.length > 0 ? ` ${extra.join(' ')}` : ''}\` with every other option at its default: ${DEFAULT_DEMO_OPTIONS.rows} patients, Dirichlet α = ${DEFAULT_DEMO_OPTIONS.alpha} across 3 hospitals${split === 'dirichlet' ? '' : ' of equal size (label skew alone)'}, ${args.quick ? 2 : DEFAULT_DEMO_OPTIONS.rounds} rounds × ${DEFAULT_DEMO_OPTIONS.epochs} local epochs, Adam lr ${DEFAULT_DEMO_OPTIONS.learningRate}; accuracy (%) on the pooled held-out set of ${DEFAULT_DEMO_OPTIONS.testRows} patients; local-only and centralised train rounds × epochs.`,
        ledger === 'in-process'
          ? 'In-process ledger (the chaincode classes on an in-memory ledger): the learning is the same code as on Fabric, only the wall time differs.'
          : 'Real Fabric network, started and stopped by the demo for every seed.',
      ],
      data: { ledger, split, rows },
    };
  },
);

async function runSeed(seed: number, ledger: string, extra: string[]): Promise<SeedRow> {
  const out = mkdtempSync(path.join(tmpdir(), `fedledger-demo-seeds-${seed}-`));
  try {
    const result = await runCommand(
      process.execPath,
      [DEMO_MAIN, '--ledger', ledger, '--seed', String(seed), '--out', out, ...extra],
      { cwd: REPO_ROOT },
    );
    if (result.code !== 0)
      throw new Error(
        `the demo (seed ${seed}) exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`,
      );
    const s = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as DemoSummary;
    return {
      seed,
      lastRound: s.finalAccuracy,
      selectedRound: s.selectedRound,
      selectedAccuracy: s.selectedAccuracy,
      centralized: s.centralizedAccuracy,
      bestLocalOnly: s.goal.bestLocalOnly,
      gapToCentralized: s.goal.gapToCentralized,
      met: s.goal.met,
      verifiedByAuditor: s.verifiedByAuditor,
      roundAccuracy: s.roundAccuracy.filter((r) => r.round > 0).map((r) => r.accuracy),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function seedRange(value: string | boolean | undefined, fallback: string): [number, number] {
  const text = typeof value === 'string' ? value : fallback;
  const match = /^(\d+)-(\d+)$/.exec(text);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (match === null || first > last)
    throw new Error(`--seeds must be FIRST-LAST with FIRST ≤ LAST, got ${text}`);
  return [first, last];
}

function pct(value: number): string {
  return (100 * value).toFixed(1);
}
