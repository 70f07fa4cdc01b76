import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCommand } from '@fedledger/gateway/dist/demo/child-process';
import { DEFAULT_DEMO_OPTIONS } from '@fedledger/gateway/dist/demo/demo-options';
import { withNetworkLock } from '@fedledger/gateway/dist/demo/network-lock';
import { REPO_ROOT } from '@fedledger/gateway/dist/demo/repo-paths';
import { BENCH_ROOT, progress, runBench } from '../cli/run-bench';
import { parseBatchTimeout, type BatchTimeout } from '../fabric/batch-timeouts';
import { NetNamespace } from '../deployed/netns';
import type { FabricRunResult } from '../deployed/fabric-run-result';
import { runFlowerDeployed, type FlowerDeployedRun } from '../deployed/flower-deployment';
import { flowerRounds, mean, type FlowerRounds } from '../deployed/flower-result';
import { bytesByRound, roundAnatomy, type RoundAnatomy } from '../deployed/round-anatomy';
import { parseOrgCounts, sideBySideRows, steadyRound, type SystemRun } from '../deployed/comparison';
import { machineInfo } from '../report/machine';
import { median, ratio } from '../report/stats';
import { markdownTable } from '../report/table';

const FABRIC_MAIN = path.join(BENCH_ROOT, 'dist', 'deployed', 'fabric-federation-main.js');
/** The e2e tests' lock is waited for this long (another session's large-model benchmarks hold it for minutes). */
const LOCK_WAIT_MS = 40 * 60_000;
const FLOWER_RUN_TIMEOUT_MS = 20 * 60_000;

interface Case {
  orgs: number;
  fabric: FabricRunResult;
  /** The BatchTimeout of the Fabric run: network.config's unless --batch-timeout set another. */
  batchTimeout: string;
  anatomy: RoundAnatomy;
  flower?: { run: FlowerDeployedRun; rounds: FlowerRounds };
}

runBench(
  {
    name: 'flower-deployed',
    summary:
      'the demo federation (FedAvg) on the real Fabric network with one gateway process per org against Flower deployed (flower-superlink + one flower-supernode per org, flwr run): round time, end-to-end time, loopback bytes and accuracy per round; the Fabric round anatomy; 3 → 5 orgs',
    flags: {
      orgs: { type: 'string', description: 'org counts, comma-separated (default 3,5; --quick 3): one Fabric and one Flower run each' },
      rounds: { type: 'string', description: 'rounds per run (default 5; --quick 3)' },
      'batch-timeout': { type: 'string', description: "one more Fabric run at the first org count with this orderer BatchTimeout (default 250ms; --quick none; 'none': no extra run; network.config's is 20ms)" },
    },
  },
  async (args) => {
    const orgCounts = parseOrgCounts(typeof args.values['orgs'] === 'string' ? args.values['orgs'] : args.quick ? '3' : '3,5');
    const rounds = positiveInt(args.values['rounds'], args.quick ? 3 : 5, 'rounds');
    const timeoutFlag = typeof args.values['batch-timeout'] === 'string' ? args.values['batch-timeout'] : args.quick ? 'none' : '250ms';
    const extraTimeout = timeoutFlag === 'none' ? undefined : parseBatchTimeout(timeoutFlag);
    const defaultTimeout = networkConfigValue('BATCH_TIMEOUT');
    const loadAtStart = machineInfo().loadAverage;
    const work = mkdtempSync(path.join(tmpdir(), 'fedledger-flower-deployed-'));
    const cases: Case[] = [];
    try {
      for (const orgs of orgCounts) {
        const dir = path.join(work, `orgs-${orgs}`);
        const fabric = await runFabric(orgs, rounds, dir);
        const flower = await runFlower(orgs, rounds, dir);
        cases.push({ orgs, fabric, batchTimeout: defaultTimeout, anatomy: anatomyOf(fabric), flower });
      }
      if (extraTimeout !== undefined) {
        const orgs = orgCounts[0] as number;
        const fabric = await runFabric(orgs, rounds, path.join(work, `orgs-${orgs}-bt-${extraTimeout.label}`), extraTimeout);
        cases.push({ orgs, fabric, batchTimeout: extraTimeout.label, anatomy: anatomyOf(fabric) });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const loadAtEnd = machineInfo().loadAverage;
    const runs: SystemRun[] = cases.flatMap((c) => [fabricSystemRun(c), ...(c.flower ? [flowerSystemRun(c.orgs, c.flower)] : [])]);
    const comparison = markdownTable(
      ['orgs', 'system', 'start-up s', 'round 1 s', 'round s (median 2..)', 'vs Flower', `${rounds} rounds s`, 'end-to-end s', 'MB start-up', 'kB per round (median)', 'MB rounds', 'accuracy by round (held-out)'],
      sideBySideRows(runs),
    );
    const anatomy = markdownTable(
      ['orgs', 'BatchTimeout', 'round s (mean)', 'training', 'fetch + event → training', 'SubmitUpdate', 'Aggregate', 'wait + notify', 'RecordEvaluation (off path)', 'ledger share of the round'],
      cases.map((c) => {
        const a = c.anatomy;
        const [low, high] = [a.ledgerShareLow, a.ledgerShareHigh].sort((x, y) => x - y) as [number, number];
        return [c.orgs, c.batchTimeout, a.roundSeconds, a.training, a.eventToTraining, a.submit, a.aggregate, a.waitAndNotify, a.recordEvaluation, pct(low) === pct(high) ? pct(low) : `${pct(low)}–${pct(high)}`];
      }),
    );
    const flowerAnatomy = markdownTable(
      ['orgs', 'round s (median 2..)', 'fit phase s', 'of it: client training s', 'evaluate phase s'],
      cases.flatMap((c) => (c.flower ? [[c.orgs, median(c.flower.rounds.roundSeconds.slice(1)), median(c.flower.rounds.fitSeconds.slice(1)), median(c.flower.rounds.clientTrainSeconds.slice(1)), median(c.flower.rounds.evaluateSeconds.slice(1))]] : [])),
    );
    const first = cases[0] as Case;
    const scaling = cases.filter((c) => c.batchTimeout === defaultTimeout && c.orgs !== first.orgs).map(
      (c) =>
        `${c.orgs} vs ${first.orgs} orgs: fedledger round ×${ratio(steadyRound(c.fabric.roundSeconds), steadyRound(first.fabric.roundSeconds)).toFixed(2)}, bytes per round ×${ratio(median(bytesByRound(c.fabric.roundMarks)), median(bytesByRound(first.fabric.roundMarks))).toFixed(2)}; ` +
        `Flower round ×${c.flower && first.flower ? ratio(steadyRound(c.flower.rounds.roundSeconds), steadyRound(first.flower.rounds.roundSeconds)).toFixed(2) : 'n/a'}, bytes per round ×${c.flower && first.flower ? ratio(median(c.flower.rounds.bytesByRound), median(first.flower.rounds.bytesByRound)).toFixed(2) : 'n/a'}.`,
    );
    const flowerVersion = first.flower?.run.flwrVersion ?? '?';
    return {
      table: `${comparison}\n\nRound anatomy of fedledger on Fabric (seconds per round; per-call means over every round from the orgs' gateway /metrics, against the mean round):\n\n${anatomy}\n\nRound anatomy of Flower deployed (seconds, medians over rounds 2..):\n\n${flowerAnatomy}`,
      notes: [
        `Both systems per org count: the demo's data (seed ${DEFAULT_DEMO_OPTIONS.seed}, ${DEFAULT_DEMO_OPTIONS.rows} patients, Dirichlet α=${DEFAULT_DEMO_OPTIONS.alpha}, each org's own 80/20 train/validation split as its gateway made it, scaled with the input scaling the federation recorded on the ledger), the ledger's initial weights of the MLP 12-32-16-1, ${rounds} rounds × ${first.fabric.hyperParameters.epochs} local epochs, batch ${first.fabric.hyperParameters.batchSize}, Adam lr ${first.fabric.hyperParameters.learningRate}, FedAvg weighted by training rows (the demo itself uses FedAdam); every org evaluates each global model on its validation rows; the global model is scored on the same ${DEFAULT_DEMO_OPTIONS.testRows} held-out rows after every round. Batch order differs (each framework's own seeded shuffle).`,
        `fedledger: network/network.sh up + deployCC (Fabric, SmartBFT, BatchTimeout ${defaultTimeout} from network.config unless stated), one gateway process per org (tfjs ${first.fabric.tfjsBackend}), the demo's driver (gateway/src/demo: federation-run.ts) over the gateways' REST APIs; round s is the demo's: previous global model seen on the ledger → the next (polled every 100 ms). Start-up = network up, deployCC, gateways, datasets; end-to-end adds the rounds, the wait for the final evaluations, and network.sh down.`,
        `Flower ${flowerVersion} deployed (not simulated): flower-superlink and one flower-supernode per org as separate processes, the app (bench/python/flower_app: the same MLP in PyTorch, bench/python/fl_data.py) submitted with flwr run; insecure mode (plain HTTP on 127.0.0.1, no TLS; Flower 1.41 serves its Fleet, Control and ServerApp APIs over HTTP on one port, not gRPC); default subprocess isolation: each SuperNode starts a flwr-clientapp process per message (${cases.flatMap((c) => (c.flower ? [`${c.orgs} orgs: ${c.flower.run.clientAppStarts} starts for ${c.orgs} × ${rounds} × 2 fit/evaluate messages`] : [])).join('; ')}), the SuperLink a flwr-serverapp for the run; the orgs' own training (client training s) is a small part of the fit phase. round s: global model r−1 scored → global model r scored (fit of round r plus the evaluate phase of round r−1); start-up = SuperLink up and every SuperNode activated; end-to-end adds flwr run to the last evaluate phase and stopping every process.`,
        'Bytes: each system ran in a network namespace of its own (ip netns) holding all its processes, so the namespace\'s loopback counter (/proc/net/dev, lo) is exactly the traffic between them, TCP/IP headers included, and nothing else on the machine. fedledger\'s includes the peers\' gossip, the orderers\' consensus, chaincode calls, the gateways\' Fabric calls and the demo driver\'s REST polling; Flower\'s includes the SuperNodes\' and the ServerApp\'s polling of the SuperLink. Per round: between the marks above (fedledger: the driver seeing each global model; Flower: the ServerApp scoring it).',
        `Ledger share of the round: low = (fetch + event → training + SubmitUpdate + Aggregate) / round, the time in ledger calls on the round's path; high = (round − training) / round, which adds waiting for the slowest org and commit → event delivery. The orgs train at the same time on ${machineInfo().cpus} cores, so training itself is stretched by the others.`,
        ...scaling,
        `Stopping: Fabric's network.sh down stopped its recorded processes and the gateways were stopped by PID (processes the bench then still found in the namespace: ${cases.map((c) => c.fabric.leftoverPids ?? 0).join(', ')}); Flower has no stop command for a deployment, so the bench stopped every process in its namespace by PID (${cases.flatMap((c) => (c.flower ? [`${c.orgs} orgs: ${c.flower.run.teardown.forcedPids}`] : [])).join(', ')}: SuperLink, SuperNodes, their SuperExecs and app processes). Both namespaces were removed; no port outside them was ever used.`,
        `Machine load: 1/5/15-min load average ${loadAtStart.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end, on ${machineInfo().cpus} cores shared with other work.`,
      ],
      data: { rounds, orgCounts, cases },
    };
  },
);

/** Against the mean round: the gateways' per-call means cover every round, the first included. */
function anatomyOf(fabric: FabricRunResult): RoundAnatomy {
  return roundAnatomy(mean(fabric.roundSeconds), fabric.roundMetrics);
}

async function runFabric(orgs: number, rounds: number, dir: string, batchTimeout?: BatchTimeout): Promise<FabricRunResult> {
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'fabric.json');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (batchTimeout !== undefined) {
    const config = path.join(dir, 'network.config');
    writeFileSync(config, `${readFileSync(path.join(REPO_ROOT, 'network', 'network.config'), 'utf8')}\n# Set by the flower-deployed bench.\nBATCH_TIMEOUT=${batchTimeout.label}\n`);
    env['NETWORK_CONFIG'] = config;
  }
  return withNetworkLock(
    async () => {
      const ns = NetNamespace.create(`fedledger-fabric-${process.pid}`);
      let leftovers: number[] = [];
      try {
        progress(`flower-deployed: fedledger on Fabric, ${orgs} orgs, ${rounds} rounds${batchTimeout ? `, BatchTimeout ${batchTimeout.label}` : ''}`);
        const [command, args] = ns.wrap(process.execPath, [FABRIC_MAIN, '--orgs', String(orgs), '--rounds', String(rounds), '--out', out, '--export', path.join(dir, 'export'), '--log-dir', path.join(dir, 'logs')]);
        const result = await runCommand(command, args, { cwd: REPO_ROOT, env, onLine: (line) => progress(`  [fabric ${orgs}] ${line}`) });
        if (result.code !== 0 || !existsSync(out)) throw new Error(`the fedledger run on Fabric exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`);
      } finally {
        leftovers = await ns.destroy();
        if (existsSync(path.join(REPO_ROOT, 'network', 'state'))) progress('flower-deployed: warning: network/state still exists after the run');
      }
      const fabric = JSON.parse(readFileSync(out, 'utf8')) as FabricRunResult;
      fabric.leftoverPids = leftovers.length;
      return fabric;
    },
    { timeoutMs: LOCK_WAIT_MS, onWait: (holder) => progress(`flower-deployed: waiting for the network lock (held by pid ${holder ?? '?'})`) },
  );
}

async function runFlower(orgs: number, rounds: number, dir: string): Promise<{ run: FlowerDeployedRun; rounds: FlowerRounds }> {
  progress(`flower-deployed: Flower deployed, ${orgs} SuperNodes, ${rounds} rounds`);
  const run = await runFlowerDeployed({ dataDir: path.join(dir, 'export'), orgs, rounds, logDir: path.join(dir, 'flower-logs'), runTimeoutMs: FLOWER_RUN_TIMEOUT_MS });
  return { run, rounds: flowerRounds(run.result) };
}

function fabricSystemRun(c: Case): SystemRun {
  const phase = (name: string): { seconds: number; bytes: number } => c.fabric.phases.find((p) => p.phase === name) ?? { seconds: Number.NaN, bytes: Number.NaN };
  const startup = phase('startup');
  const federation = phase('federation');
  const endToEnd = c.fabric.phases.filter((p) => p.phase !== 'prepare' && p.phase !== 'collect').reduce((sum, p) => sum + p.seconds, 0);
  return {
    orgs: c.orgs,
    system: `fedledger on Fabric${c.batchTimeout !== networkConfigValue('BATCH_TIMEOUT') ? ` (BatchTimeout ${c.batchTimeout})` : ''}`,
    startupSeconds: startup.seconds,
    roundSeconds: c.fabric.roundSeconds,
    roundsSeconds: federation.seconds,
    endToEndSeconds: endToEnd,
    startupBytes: startup.bytes,
    bytesByRound: bytesByRound(c.fabric.roundMarks),
    roundsBytes: federation.bytes,
    accuracyByRound: c.fabric.accuracyByRound,
    isPeer: false,
  };
}

function flowerSystemRun(orgs: number, flower: { run: FlowerDeployedRun; rounds: FlowerRounds }): SystemRun {
  return {
    orgs,
    system: `Flower ${flower.run.flwrVersion} deployed`,
    startupSeconds: flower.run.startup.seconds,
    roundSeconds: flower.rounds.roundSeconds,
    roundsSeconds: flower.run.run.seconds,
    endToEndSeconds: flower.run.startup.seconds + flower.run.run.seconds + flower.run.teardown.seconds,
    startupBytes: flower.run.startup.bytes,
    bytesByRound: flower.rounds.bytesByRound,
    roundsBytes: flower.run.run.bytes,
    accuracyByRound: flower.rounds.accuracyByRound,
    isPeer: true,
  };
}

/** A value of network/network.config (`KEY=value`). */
function networkConfigValue(key: string): string {
  const line = readFileSync(path.join(REPO_ROOT, 'network', 'network.config'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim() ?? '?';
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function positiveInt(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got ${String(value)}`);
  return parsed;
}
