import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runCommand, withNetworkLock } from '@fedledger/demo';
import { BENCH_ROOT, progress, runBench } from '../cli/run-bench';
import { CpuPinning } from '../deployed/cpu-pinning';
import { NetNamespace } from '../deployed/netns';
import { onBenchInterrupt } from '../deployed/interrupt';
import type { FabricRunResult } from '../deployed/fabric-run-result';
import {
  LEDGER_SHARE_TARGET,
  MIN_TRAINING_SECONDS,
  largeRoundTable,
  type LargeRoundCase,
} from '../deployed/large-round-report';
import { modelSizeFor, parseParamList, perSize, type ModelSize } from '../deployed/model-size';
import { machineInfo } from '../report/machine';

const FABRIC_MAIN = path.join(BENCH_ROOT, 'dist', 'deployed', 'fabric-federation-main.js');
/** The demo cohort's features (the synthetic clinical rows). */
const INPUT_DIM = 12;
const LOCK_WAIT_MS = 40 * 60_000;

const interrupt = onBenchInterrupt('large-round');

runBench(
  {
    name: 'large-round',
    summary:
      "the round anatomy of §4a (the demo federation on the real Fabric network, one gateway process per org in a network namespace, FedAvg) with larger dense models on the blob path: per phase seconds from the gateways' /metrics and the ledger's share of the round",
    flags: {
      params: {
        type: 'string',
        description:
          'model sizes in parameters, MLP 12→h→h→1 nearest each (default 1000000,5000000; --quick 300000)',
      },
      epochs: {
        type: 'string',
        description:
          'local epochs per round, one or one per size (default 5,2; --quick 1): chosen so that training takes ≥ 10 s here',
      },
      rows: {
        type: 'string',
        description: "the cohort's patients split over the orgs (default 6000; --quick 1500)",
      },
      alpha: {
        type: 'string',
        description:
          "Dirichlet α of the split (default 100: near-equal shares, so that every org trains ≥ 10 s; the demo's 0.3 leaves one org a few rows)",
      },
      rounds: { type: 'string', description: 'rounds per size (default 3; --quick 2)' },
      orgs: { type: 'string', description: 'hospital orgs (default 3)' },
      'keep-logs': {
        type: 'string',
        description:
          "keep every run's gateway and driver logs under this directory (default: deleted with the run's work directory)",
      },
      'pin-training': {
        type: 'boolean',
        description:
          "training workers on CPU 0, the rest of each run (Fabric, chaincode, gateways, driver) on the other CPUs (taskset): as where an org's ledger work does not share its training's cores",
      },
      'train-ahead': {
        type: 'string',
        description:
          "the gateways' FEDLEDGER_TRAIN_AHEAD per run, each size run once per value in this order (default on,off: ADR 0030 against its baseline in the same run)",
      },
    },
  },
  async (args) => {
    const flag = (name: string, fallback: string): string =>
      typeof args.values[name] === 'string' ? args.values[name] : fallback;
    const sizes = parseParamList(flag('params', args.quick ? '300000' : '1000000,5000000')).map(
      (target) => modelSizeFor(target, INPUT_DIM),
    );
    const epochs = perSize(flag('epochs', args.quick ? '1' : '5,2'), sizes.length, 'epochs');
    const [rows, rounds, orgs] = (['rows', 'rounds', 'orgs'] as const).map(
      (name) =>
        perSize(
          flag(
            name,
            { rows: args.quick ? '1500' : '6000', rounds: args.quick ? '2' : '3', orgs: '3' }[name],
          ),
          1,
          name,
        )[0],
    ) as [number, number, number];
    const aheadModes = flag('train-ahead', 'on,off')
      .split(',')
      .map((mode) => {
        if (mode !== 'on' && mode !== 'off')
          throw new Error(`--train-ahead takes on, off or both (on,off), got ${mode}`);
        return mode === 'on';
      });
    const keepLogs =
      typeof args.values['keep-logs'] === 'string'
        ? path.resolve(args.values['keep-logs'])
        : undefined;
    const pinTraining = args.values['pin-training'] === true;
    const alpha = Number(flag('alpha', '100'));
    if (!(alpha > 0))
      throw new Error(`--alpha must be a positive number, got ${flag('alpha', '')}`);
    const loadAtStart = machineInfo().loadAverage;
    const work = mkdtempSync(path.join(tmpdir(), 'fedledger-large-round-'));
    interrupt.setWorkDir(work);
    const cases: LargeRoundCase[] = [];
    try {
      await withNetworkLock(
        async () => {
          for (const [k, size] of sizes.entries())
            for (const trainAhead of aheadModes) {
              const start = machineInfo().loadAverage[0];
              const name = `${k + 1}-params-${size.params}-${trainAhead ? 'ahead' : 'not-ahead'}`;
              const fabric = await runFabric(
                size,
                epochs[k],
                { rows, alpha, rounds, orgs, trainAhead, pinTraining },
                path.join(work, name),
                keepLogs === undefined ? path.join(work, name, 'logs') : path.join(keepLogs, name),
              );
              cases.push({
                sizeIndex: k,
                size,
                epochs: epochs[k],
                trainAhead,
                fabric,
                load1: { start, end: machineInfo().loadAverage[0] },
              });
            }
        },
        {
          timeoutMs: LOCK_WAIT_MS,
          onWait: (holder) => {
            progress(`large-round: waiting for the network lock (held by pid ${holder ?? '?'})`);
          },
        },
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const loadAtEnd = machineInfo().loadAverage;
    const notes = [
      `The demo federation of §4a on the real Fabric network (network.sh up + deployCC, SmartBFT, one gateway process per org in one network namespace, each gateway with a blob server, as the demo's startFabricConsortium starts them), ${orgs} orgs, ${rounds} rounds per size, FedAvg, batch 32, Adam lr ${cases[0]?.fabric.hyperParameters.learningRate ?? '?'}, the demo's synthetic cohort (seed 2) at ${rows} patients split with Dirichlet α ${alpha} (${alpha >= 10 ? 'near-equal shares' : 'skewed shares'}), the driver scoring each global model on 500 held-out rows; each size on a fresh network per training-ahead setting (${aheadModes.map((on) => (on ? 'on' : 'off')).join(', then ')}). Models above the blob threshold take the blob path by size: digests on the ledger, weights between the gateways over mutual TLS (§0d, ADR 22).`,
      "Columns as §4a, per-call means over every round from the gateways' /metrics against the mean round: training = fedledger_training_seconds; fetch + event → training = round event at a gateway → its update committed, less training and SubmitUpdate (reading the round and downloading the global model's blob from a serving org); SubmitUpdate = storing the update's blob and committing its digest; attest = the gateway's aggregate calls that ended QUORUM_NOT_MET: fetching the round's updates from their submitters, aggregating them here, committing AttestAggregate (every org at once, ADR 22); Aggregate (accept) = the aggregate calls that succeeded (accepting the majority's model; where the accepting org had not attested yet, its attestation too); wait + notify = the mean round less event → committed, attest and Aggregate (waiting for the slowest org, commit → event delivery, the driver's 100 ms polling).",
      `All ledger calls / round = (fetch + event → training + SubmitUpdate + attest + Aggregate) / round: every ledger call, on the round's path or, training ahead, beside the next round's training. Turnaround = a gateway finding the round complete (every update in; the two reads of that check included) → its training for the next round starting (fedledger_round_turnaround_seconds): without training ahead the attestation, the acceptance, their events, the reads and the model's download; training ahead (ADR 0030) only the download of the updates not prefetched yet and the aggregation here. Ledger on path / round = (SubmitUpdate + turnaround) / round, the ledger's time on the round's critical path: the target (≤ ${LEDGER_SHARE_TARGET * 100} % where local training takes ≥ ${MIN_TRAINING_SECONDS} s) is judged on it. Neither counts the delivery of the last update's commit event (in wait + notify). Not training / round = (round − training) / round (§4a's high share, waiting for the slowest org included). Round vs not ahead = the mean round over that of the same size without training ahead, in this run. Train ahead (used / discarded) = trainings started from the org's own aggregate whose model was accepted / was not (then trained again). 'other' aggregate calls are lost races (ROUND_CLOSED, CONFLICT) or errors.`,
      pinTraining
        ? `--pin-training: the gateways' training workers on CPU 0, every other process of the run (peers, orderers, chaincode servers, gateways, the driver) on the other ${machineInfo().cpus - 1} CPU(s), re-applied every 300 ms (taskset -a), so that no org's ledger work competes with training; the three orgs' trainings share CPU 0.`
        : `The orgs train at the same time on ${machineInfo().cpus} cores beside the peers, orderers, chaincode servers and the driver (which downloads and scores every global model on its held-out rows), so training is stretched by contention and the ledger's calls by training.`,
      `Machine load: 1/5/15-min load average ${loadAtStart.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end, on ${machineInfo().cpus} cores shared with other work.`,
    ];
    return {
      table: largeRoundTable(cases),
      notes,
      data: { orgs, rounds, rows, alpha, pinTraining, cases },
    };
  },
);

/** The federation's settings of one run (besides the model size and the epochs). */
interface RunSettings {
  rows: number;
  alpha: number;
  rounds: number;
  orgs: number;
  trainAhead: boolean;
  pinTraining: boolean;
}

async function runFabric(
  size: ModelSize,
  epochs: number,
  { rows, alpha, rounds, orgs, trainAhead, pinTraining }: RunSettings,
  dir: string,
  logDir: string,
): Promise<FabricRunResult> {
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'fabric.json');
  const ns = NetNamespace.create(`fedledger-large-${process.pid}`);
  const pinning = pinTraining ? CpuPinning.start(ns, machineInfo().cpus) : undefined;
  try {
    progress(
      `large-round: ${size.params} parameters (MLP 12→${size.hiddenUnits.join('→')}→1), ${orgs} orgs, ${rounds} rounds × ${epochs} epochs, ${rows} rows, training ahead ${trainAhead ? 'on' : 'off'}`,
    );
    const flags = [
      '--orgs',
      String(orgs),
      '--rounds',
      String(rounds),
      '--out',
      out,
      '--log-dir',
      logDir,
      '--hidden-units',
      size.hiddenUnits.join(','),
      '--epochs',
      String(epochs),
      '--rows',
      String(rows),
      '--test-rows',
      '500',
      '--alpha',
      String(alpha),
      '--blob',
    ];
    const [command, cmdArgs] = ns.wrap(process.execPath, [FABRIC_MAIN, ...flags]);
    const result = await runCommand(command, cmdArgs, {
      cwd: REPO_ROOT,
      // Inherited by every gateway process the run starts.
      env: { ...process.env, FEDLEDGER_TRAIN_AHEAD: String(trainAhead) },
      signal: interrupt.signal,
      onLine: (line) => {
        progress(`  [${size.params}] ${line}`);
      },
    });
    if (result.code !== 0 || !existsSync(out))
      throw new Error(
        `the fedledger run on Fabric exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`,
      );
  } finally {
    pinning?.stop();
    await ns.destroy();
    if (existsSync(path.join(REPO_ROOT, 'network', 'state')))
      progress('large-round: warning: network/state still exists after the run');
  }
  return JSON.parse(readFileSync(out, 'utf8')) as FabricRunResult;
}
