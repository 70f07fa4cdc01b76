import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DEMO_OPTIONS, REPO_ROOT, runCommand, withNetworkLock } from '@fedledger/demo';
import { BENCH_ROOT, progress, runBench } from '../cli/run-bench';
import { parseBatchTimeout, type BatchTimeout } from '../fabric/batch-timeouts';
import { NetNamespace } from '../deployed/netns';
import { onBenchInterrupt } from '../deployed/interrupt';
import type { FabricRunResult } from '../deployed/fabric-run-result';
import { runFlowerDeployed, type FlowerDeployedRun } from '../deployed/flower-deployment';
import { flowerRounds, type FlowerRounds } from '../deployed/flower-result';
import { parseOrgCounts } from '../deployed/comparison';
import {
  anatomyTables,
  batchTimeoutNotes,
  comparisonTable,
  connectionNote,
  driverShareNote,
  scalingTable,
  type DeployedCase,
} from '../deployed/deployed-report';
import { machineInfo } from '../report/machine';
import { writeResult } from '../report/results';

const FABRIC_MAIN = path.join(BENCH_ROOT, 'dist', 'deployed', 'fabric-federation-main.js');
/** The e2e tests' lock is waited for this long (another session's large-model benchmarks hold it for minutes). */
const LOCK_WAIT_MS = 40 * 60_000;
const FLOWER_RUN_TIMEOUT_MS = 20 * 60_000;

const interrupt = onBenchInterrupt('flower-deployed');

runBench(
  {
    name: 'flower-deployed',
    summary:
      'the demo federation (FedAvg) on the real Fabric network with one gateway process per org against Flower deployed (flower-superlink + one flower-supernode per org, flwr run): round time, end-to-end time, loopback bytes and accuracy per round; the Fabric round anatomy; 3 → 5 orgs',
    flags: {
      orgs: {
        type: 'string',
        description:
          'org counts, comma-separated (default 3,5; --quick 3): one Fabric and one Flower run each',
      },
      rounds: { type: 'string', description: 'rounds per run (default 5; --quick 3)' },
      'batch-timeout': {
        type: 'string',
        description:
          "one more Fabric run at the first org count with this orderer BatchTimeout (default 250ms; --quick none; 'none': no extra run; network.config's is 20ms)",
      },
    },
  },
  async (args) => {
    const orgCounts = parseOrgCounts(
      typeof args.values['orgs'] === 'string' ? args.values['orgs'] : args.quick ? '3' : '3,5',
    );
    const rounds = positiveInt(args.values['rounds'], args.quick ? 3 : 5, 'rounds');
    const timeoutFlag =
      typeof args.values['batch-timeout'] === 'string'
        ? args.values['batch-timeout']
        : args.quick
          ? 'none'
          : '250ms';
    const extraTimeout = timeoutFlag === 'none' ? undefined : parseBatchTimeout(timeoutFlag);
    const defaultTimeout = networkConfigValue('BATCH_TIMEOUT');
    const loadAtStart = machineInfo().loadAverage;
    const work = mkdtempSync(path.join(tmpdir(), 'fedledger-flower-deployed-'));
    interrupt.setWorkDir(work);
    const cases: DeployedCase[] = [];
    try {
      for (const orgs of orgCounts) {
        const dir = path.join(work, `orgs-${orgs}`);
        const fabric = await runFabric(orgs, rounds, dir);
        const flower = await runFlower(orgs, rounds, dir);
        cases.push({ orgs, fabric, batchTimeout: defaultTimeout, defaultTimeout: true, flower });
      }
      if (extraTimeout !== undefined) {
        const orgs = orgCounts[0];
        const fabric = await runFabric(
          orgs,
          rounds,
          path.join(work, `orgs-${orgs}-bt-${extraTimeout.label}`),
          extraTimeout,
        );
        cases.push({ orgs, fabric, batchTimeout: extraTimeout.label, defaultTimeout: false });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const loadAtEnd = machineInfo().loadAverage;
    const first = cases[0];
    const load = `Machine load: 1/5/15-min load average ${loadAtStart.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end, on ${machineInfo().cpus} cores shared with other work.`;
    const flowerVersion = first.flower?.run.flwrVersion ?? '?';
    const setup = `Both systems per org count: the demo's data (seed ${DEFAULT_DEMO_OPTIONS.seed}, ${DEFAULT_DEMO_OPTIONS.rows} patients, per-label Dirichlet α=${DEFAULT_DEMO_OPTIONS.alpha} (--split dirichlet: sizes skewed too), each org's own 80/20 train/validation split as its gateway made it, scaled with the input scaling the federation recorded on the ledger), the ledger's initial weights of the MLP 12-32-16-1, ${rounds} rounds × ${first.fabric.hyperParameters.epochs} local epochs, batch ${first.fabric.hyperParameters.batchSize}, Adam lr ${first.fabric.hyperParameters.learningRate}, FedAvg weighted by training rows (the demo itself uses FedAdam); every org evaluates each global model on its validation rows; the global model is scored on the same ${DEFAULT_DEMO_OPTIONS.testRows} held-out rows after every round. Batch order differs (each framework's own seeded shuffle).`;
    const fabricNote = `fedledger: network/network.sh up + deployCC (Fabric, SmartBFT with one orderer per org, BatchTimeout ${defaultTimeout} from network.config unless stated), one gateway process per org (each picks its own tfjs training backend; the driver scores the global models with tfjs ${first.fabric.tfjsBackend}), the demo's driver (demo/src/federation-run.ts) over the gateways' REST APIs; round s is the demo's: previous global model seen on the ledger → the next (polled every 100 ms). Start-up = network up, deployCC, gateways, datasets; end-to-end adds the rounds, the wait for the final evaluations, and network.sh down.`;
    const flowerNote = `Flower ${flowerVersion} deployed (not simulated): flower-superlink and one flower-supernode per org as separate processes, the app (bench/python/flower_app: the same MLP in PyTorch, bench/python/fl_data.py) submitted with flwr run; insecure mode (plain HTTP on loopback, no TLS; Flower 1.41 serves its Fleet, Control and ServerApp APIs over HTTP on one port, not gRPC); default subprocess isolation: each SuperNode starts a flwr-clientapp process per message (${cases.flatMap((c) => (c.flower ? [`${c.orgs} orgs: ${c.flower.run.clientAppStarts} starts for ${c.orgs} × ${rounds} × 2 fit/evaluate messages`] : [])).join('; ')}), the SuperLink a flwr-serverapp for the run. round s: global model r−1 scored → global model r scored (fit of round r plus the evaluate phase of round r−1); start-up = SuperLink up and every SuperNode activated; end-to-end adds flwr run to the last evaluate phase and stopping every process.`;
    const bytesNote =
      "Bytes: each system ran in a network namespace of its own (ip netns) holding all its processes, so the namespace's loopback counter (/proc/net/dev, lo) is exactly the traffic between them, TCP/IP headers included, and nothing else on the machine. fedledger's includes the peers' gossip, the orderers' consensus, chaincode calls, the gateways' Fabric calls and the demo driver's REST polling; Flower's includes the SuperNodes' and the ServerApp's polling of the SuperLink. Per round: between the marks above (fedledger: the driver seeing each global model; Flower: the ServerApp scoring it).";
    const stopNote = `Stopping: Fabric's network.sh down stopped its recorded processes and the gateways were stopped by PID (processes the bench then still found in the namespace: ${cases.map((c) => c.fabric.leftoverPids ?? 0).join(', ')}); Flower has no stop command for a deployment, so the bench stopped every process in its namespace by PID (${cases.flatMap((c) => (c.flower ? [`${c.orgs} orgs: ${c.flower.run.teardown.forcedPids}`] : [])).join(', ')}: SuperLink, SuperNodes, their SuperExecs and app processes). Both namespaces were removed; no port outside them was used.`;
    const anatomyNotes = [
      `The demo model on Fabric (the runs of §5: ${rounds} rounds, FedAvg). training: fedledger_training_seconds; fetch + event → training: round event at a gateway → its update committed (fedledger_event_to_submit_seconds) less training and SubmitUpdate, i.e. reading the round and the global model through the ledger; SubmitUpdate, Aggregate: the gateways' transaction latency (endorse, order, commit); wait + notify: the mean round less event → committed and Aggregate (waiting for the slowest org, commit → event delivery, the driver's 100 ms polling); RecordEvaluation runs beside the next round's training.`,
      `Ledger share of the round: low = (fetch + event → training + SubmitUpdate + Aggregate) / round, the time in ledger calls on the round's path; high = (round − training) / round, which adds the waiting. The orgs train at the same time on ${machineInfo().cpus} cores beside the peers, orderers and chaincode servers, so training itself is stretched.`,
      "Flower: fit phase = previous evaluate phase done → every fit reply in; client training = the ClientApp's own training time inside fit (mean over orgs); evaluate phase = global model scored → every evaluation in.",
      ...batchTimeoutNotes(cases),
      load,
    ];
    const scalingNotes = [
      `The runs of §5 at ${orgCounts.join(' and ')} orgs (network.sh up --orgs N: one peer, one orderer and one chaincode server per member org plus the auditor's; one gateway process per org; Flower: one SuperNode per org); each system against itself at ${first.orgs} orgs in the same session. Data: the demo cohort of ${DEFAULT_DEMO_OPTIONS.rows} patients split over N orgs, so each org holds fewer rows at 5 orgs.`,
      ...batchTimeoutNotes(cases),
      load,
    ];
    const resultsDir = args.resultsDir;
    const extra = (name: string, table: string, notes: string[]): void => {
      writeResult(resultsDir, {
        name,
        quick: args.quick,
        notes,
        table,
        data: { see: 'flower-deployed.json' },
      });
      console.log(
        `\n## ${name}${args.quick ? ' (--quick)' : ''}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}`,
      );
    };
    extra('flower-deployed-anatomy', anatomyTables(cases), anatomyNotes);
    extra('flower-deployed-scaling', scalingTable(cases), scalingNotes);
    return {
      table: comparisonTable(cases, rounds),
      notes: [
        setup,
        fabricNote,
        flowerNote,
        bytesNote,
        driverShareNote(cases),
        ...[connectionNote(cases)].filter((n): n is string => n !== undefined),
        stopNote,
        load,
      ],
      data: { rounds, orgCounts, cases },
    };
  },
);

async function runFabric(
  orgs: number,
  rounds: number,
  dir: string,
  batchTimeout?: BatchTimeout,
): Promise<FabricRunResult> {
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'fabric.json');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (batchTimeout !== undefined) {
    const config = path.join(dir, 'network.config');
    writeFileSync(
      config,
      `${readFileSync(path.join(REPO_ROOT, 'network', 'network.config'), 'utf8')}\n# Set by the flower-deployed bench.\nBATCH_TIMEOUT=${batchTimeout.label}\n`,
    );
    env['NETWORK_CONFIG'] = config;
  }
  return withNetworkLock(
    async () => {
      const ns = NetNamespace.create(`fedledger-fabric-${process.pid}`);
      let leftovers: number[] = [];
      try {
        progress(
          `flower-deployed: fedledger on Fabric, ${orgs} orgs, ${rounds} rounds${batchTimeout ? `, BatchTimeout ${batchTimeout.label}` : ''}`,
        );
        const [command, args] = ns.wrap(process.execPath, [
          FABRIC_MAIN,
          '--orgs',
          String(orgs),
          '--rounds',
          String(rounds),
          '--out',
          out,
          '--export',
          path.join(dir, 'export'),
          '--log-dir',
          path.join(dir, 'logs'),
        ]);
        const result = await runCommand(command, args, {
          cwd: REPO_ROOT,
          env,
          signal: interrupt.signal,
          onLine: (line) => {
            progress(`  [fabric ${orgs}] ${line}`);
          },
        });
        if (result.code !== 0 || !existsSync(out))
          throw new Error(
            `the fedledger run on Fabric exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`,
          );
      } finally {
        leftovers = await ns.destroy();
        if (existsSync(path.join(REPO_ROOT, 'network', 'state')))
          progress('flower-deployed: warning: network/state still exists after the run');
      }
      const fabric = JSON.parse(readFileSync(out, 'utf8')) as FabricRunResult;
      fabric.leftoverPids = leftovers.length;
      return fabric;
    },
    {
      timeoutMs: LOCK_WAIT_MS,
      onWait: (holder) => {
        progress(`flower-deployed: waiting for the network lock (held by pid ${holder ?? '?'})`);
      },
    },
  );
}

async function runFlower(
  orgs: number,
  rounds: number,
  dir: string,
): Promise<{ run: FlowerDeployedRun; rounds: FlowerRounds }> {
  progress(`flower-deployed: Flower deployed, ${orgs} SuperNodes, ${rounds} rounds`);
  if (interrupt.signal.aborted) throw new Error('interrupted');
  const run = await runFlowerDeployed({
    dataDir: path.join(dir, 'export'),
    orgs,
    rounds,
    logDir: path.join(dir, 'flower-logs'),
    runTimeoutMs: FLOWER_RUN_TIMEOUT_MS,
    signal: interrupt.signal,
  });
  return { run, rounds: flowerRounds(run.result) };
}

/** A value of network/network.config (`KEY=value`). */
function networkConfigValue(key: string): string {
  const line = readFileSync(path.join(REPO_ROOT, 'network', 'network.config'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim() ?? '?';
}

function positiveInt(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer, got ${String(value)}`);
  return parsed;
}
