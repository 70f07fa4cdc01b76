// The contract API logs every decorator at info level when the sample fixtures load (they import the
// chaincode package); keep stdout for the table.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import { existsSync } from 'node:fs';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import { canonicalJson } from '@fedledger/core';
import { progress, runBench } from '../cli/run-bench';
import { baselineTimeout, parseBatchTimeouts, type BatchTimeout } from '../fabric/batch-timeouts';
import { parseConsensusList, type Consensus } from '../fabric/consensus';
import {
  NETWORK_STATE_DIR,
  NetworkShError,
  openOrgLedger,
  timedNetworkSh,
  type OrgLedger,
} from '../fabric/network';
import { withNetworkLock } from '@fedledger/demo';
import {
  readRssKiB,
  recordedProcessAlive,
  recordedProcesses,
  sumRssByKind,
  type ProcessKind,
  type RecordedProcess,
  type RssReading,
} from '../fabric/proc';
import { machineInfo } from '../report/machine';
import { percentile } from '../report/percentile';
import { ratio } from '../report/stats';
import { markdownTable } from '../report/table';

const DEFAULT_TIMEOUTS = '20ms,50ms,100ms,250ms';
const DEFAULT_CONSENSUS = 'bft,raft';
const QUICK_TIMEOUTS = '50ms,250ms';
const DEFAULT_SAMPLES = 50;
const QUICK_SAMPLES = 15;
const MIB = 1024;

interface Case {
  consensus: Consensus;
  batchTimeout: string;
  batchTimeoutMs: number;
  upSeconds: number;
  deployCcSeconds: number;
  downSeconds: number;
  /** Resident memory of every recorded process right after deployCC, idle. */
  rss: RssReading[];
  rssMiB: Record<ProcessKind | 'total', number>;
  submitMs: number[];
  evaluateMs: number[];
  submitP50Ms: number;
  submitP95Ms: number;
  evaluateP50Ms: number;
  evaluateP95Ms: number;
  /** 1/5/15-minute load average right after the submits and evaluates. */
  loadAverage: number[];
}

runBench(
  {
    name: 'fabric',
    summary:
      'the real Fabric network of network/network.sh (native processes): up/deployCC/down time, idle resident memory, and sequential small-submit and evaluate latency per ordering service (SmartBFT, Raft) and orderer batch timeout',
    flags: {
      consensus: {
        type: 'string',
        description: `comma-separated ordering services, network.sh --consensus (default ${DEFAULT_CONSENSUS})`,
      },
      'batch-timeouts': {
        type: 'string',
        description: `comma-separated orderer BatchTimeouts (default ${DEFAULT_TIMEOUTS}; --quick ${QUICK_TIMEOUTS})`,
      },
      samples: {
        type: 'string',
        description: `sequential submits and evaluates per BatchTimeout (default ${DEFAULT_SAMPLES}; --quick ${QUICK_SAMPLES})`,
      },
    },
  },
  async (args) => {
    const timeouts = parseBatchTimeouts(
      stringFlag(args.values['batch-timeouts']) ?? (args.quick ? QUICK_TIMEOUTS : DEFAULT_TIMEOUTS),
    );
    const kinds = parseConsensusList(stringFlag(args.values['consensus']) ?? DEFAULT_CONSENSUS);
    const samples = parseSamples(
      stringFlag(args.values['samples']) ?? String(args.quick ? QUICK_SAMPLES : DEFAULT_SAMPLES),
    );
    const baseline = baselineTimeout(timeouts);
    const loadAtStart = loadAverage();
    const cases: Case[] = [];
    await withNetworkLock(
      async () => {
        // network.sh keeps one network per state directory; whoever owns an existing one is not us, and
        // our `down` would stop it. Leave it alone.
        if (existsSync(NETWORK_STATE_DIR)) {
          throw new Error(
            `${NETWORK_STATE_DIR} exists: another network is up (or the remains of one that was not taken down). The fabric benchmark does not touch it; whoever owns it should run 'network/network.sh down'.`,
          );
        }
        // Consensus kinds alternate inside each timeout, so both see the same minutes of machine load.
        for (const timeout of timeouts) {
          for (const consensus of kinds)
            cases.push(await measureNetwork(consensus, timeout, samples));
        }
      },
      {
        onWait: (holder) => {
          progress(
            `fabric: ${holder === undefined ? 'another process' : `pid ${holder}`} holds the real-network lock (e2e tests or another benchmark); waiting up to 15 min`,
          );
        },
      },
    );

    const baseFor = (c: Case): Case =>
      cases.find((b) => b.consensus === c.consensus && b.batchTimeout === baseline.label) as Case;
    const raftFor = (c: Case): Case | undefined =>
      cases.find((r) => r.consensus === 'raft' && r.batchTimeout === c.batchTimeout);
    const rows = cases.map((c) => [
      c.consensus,
      c.batchTimeout,
      c.upSeconds,
      c.deployCcSeconds,
      c.downSeconds,
      `${c.rssMiB.orderer.toFixed(0)} / ${c.rssMiB.peer.toFixed(0)} / ${c.rssMiB.chaincode.toFixed(0)} / ${c.rssMiB.total.toFixed(0)}`,
      c.submitP50Ms,
      c.submitP95Ms,
      c.evaluateP50Ms,
      c.batchTimeout === baseline.label
        ? '1 (baseline)'
        : ratio(c.submitP50Ms, baseFor(c).submitP50Ms).toFixed(2),
      c.consensus === 'raft' || raftFor(c) === undefined
        ? '1 (baseline)'
        : ratio(c.submitP50Ms, (raftFor(c) as Case).submitP50Ms).toFixed(2),
    ]);
    const table = markdownTable(
      [
        'consensus',
        'batch timeout',
        'up s',
        'deployCC s',
        'down s',
        'idle RSS MB (orderer / peers / cc / total)',
        'submit p50 ms',
        'submit p95 ms',
        'evaluate p50 ms',
        `submit p50 vs ${baseline.label}`,
        'submit p50 vs raft',
      ],
      rows,
    );
    const spec = sampleSpec({ id: 'bench-fabric-000-00' });
    const specBytes = Buffer.byteLength(canonicalJson(spec));
    const weightBytes = sampleWeights(1).byteLength;
    const countOf = (consensus: Consensus, kind: ProcessKind): number =>
      (cases.find((c) => c.consensus === consensus)?.rss ?? []).filter((r) => r.kind === kind)
        .length;
    const counts = kinds.map((k) => `${k}: ${countOf(k, 'orderer')} orderer(s)`).join(', ');
    const peers = countOf(kinds[0], 'peer');
    const servers = countOf(kinds[0], 'chaincode');
    const loadAtEnd = loadAverage();
    return {
      table,
      notes: [
        `Real Fabric v3.1.5 (network/network.sh, native processes on this host, TLS on): ${counts} (SmartBFT: one per member org and the auditor; Raft: a separate ordering org), ${peers} peers (3 member orgs + the auditor), ${servers} Node chaincode servers (chaincode as a service), network.config defaults except consensus and batch timeout (Raft BatchTimeout; SmartBFT RequestBatchMaxInterval). Every case gets a fresh network: up, deployCC, measure, down; for each timeout the consensus kinds run one after the other.`,
        `Small submit = one CreateFederation submitted by Org1's admin through the gateway's Fabric client (@hyperledger/fabric-gateway on Org1's peer: endorse, order, wait for the commit status), run one after another: a ${specBytes}-byte federation spec (JSON argument; the tiny sample model of @fedledger/simulator, topology of one Dense layer) plus ${weightBytes} bytes of initial weights (2×2 kernel + 2 biases, float32, FLW1 encoding) in the transient map; the contract writes a handful of small public-state keys (federation, creator participant, model version 0 with its weights, model-hash index, audit entry) and emits one event. Evaluate = GetFederation of one of those federations on the same peer (no ordering).`,
        `Samples per BatchTimeout: ${samples} submits and ${samples} evaluates, after one unmeasured warm-up submit and evaluate (first gRPC calls, chaincode JIT). p50/p95 by linear interpolation between ranks. At low load every submit waits for a block to be cut, so its latency follows the BatchTimeout; the ratio column divides each p50 by the ${baseline.label} p50 of this same run.`,
        'up s / deployCC s / down s: wall time of `network.sh up --consensus C --batch-timeout X` (identities, channel block, start and join orderer and peers), `network.sh deployCC` (package, install, approve, commit, start the chaincode servers, wait for them, InitConsortium) and `network.sh down`.',
        `Idle RSS: VmRSS from /proc/<pid>/status of each process recorded in network/state/pids right after deployCC, summed per kind; MB = 2^20 bytes.`,
        `Machine load: 1/5/15-min load average ${formatLoad(loadAtStart)} at the start, ${formatLoad(loadAtEnd)} at the end, on ${machineInfo().cpus} cores (per case in data.cases[].loadAverage); everything shares these cores with the client, so latencies include CPU contention.`,
      ],
      data: {
        consensus: kinds,
        batchTimeouts: timeouts.map((t) => t.label),
        baseline: baseline.label,
        samples,
        specBytes,
        weightBytes,
        loadAtStart,
        loadAtEnd,
        cases,
      },
    };
  },
);

/** One fresh network at one BatchTimeout: up, deployCC, idle memory, submits, evaluates, then always down. */
async function measureNetwork(
  consensus: Consensus,
  timeout: BatchTimeout,
  samples: number,
): Promise<Case> {
  const log = (mode: string) => (line: string) => {
    progress(`  ${mode}: ${line}`);
  };
  const seen = new Map<string, RecordedProcess>();
  const note = (): void => {
    for (const proc of recordedProcesses(NETWORK_STATE_DIR))
      seen.set(`${proc.pid}:${proc.startTime ?? ''}`, proc);
  };
  const errors: unknown[] = [];
  let org: OrgLedger | undefined;
  let measured: Omit<Case, 'downSeconds'> | undefined;
  try {
    progress(`fabric: ${consensus} ${timeout.label}: network.sh up`);
    const upSeconds = await timedNetworkSh(
      ['up', '--consensus', consensus, '--batch-timeout', timeout.label],
      log('up'),
    );
    note();
    progress(
      `fabric: ${consensus} ${timeout.label}: up in ${upSeconds.toFixed(1)} s; network.sh deployCC`,
    );
    const deployCcSeconds = await timedNetworkSh(['deployCC'], log('deployCC'));
    note();
    const rss = idleRss();
    const kiB = sumRssByKind(rss);
    const rssMiB = {
      orderer: kiB.orderer / MIB,
      peer: kiB.peer / MIB,
      chaincode: kiB.chaincode / MIB,
      total: kiB.total / MIB,
    };
    progress(
      `fabric: ${consensus} ${timeout.label}: deployCC in ${deployCcSeconds.toFixed(1)} s; idle RSS ${rssMiB.total.toFixed(0)} MB in ${rss.length} processes`,
    );

    org = await openOrgLedger('org1');
    const ledger = org.ledger;
    const prefix = `bench-fabric-${consensus}-${timeout.ms}`;
    await ledger.createFederation(sampleSpec({ id: `${prefix}-warm-up` }), sampleWeights(0));
    await ledger.getFederation(`${prefix}-warm-up`);
    const submitMs: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < samples; i++) {
      const id = `${prefix}-${String(i).padStart(3, '0')}`;
      // Distinct weights per federation, so every transaction writes the same set of keys (a new model hash each time).
      const weights = sampleWeights(i + 1);
      const started = performance.now();
      await ledger.createFederation(sampleSpec({ id }), weights);
      submitMs.push(performance.now() - started);
      ids.push(id);
    }
    const evaluateMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await ledger.getFederation(ids[i % ids.length]);
      evaluateMs.push(performance.now() - started);
    }
    measured = {
      consensus,
      batchTimeout: timeout.label,
      batchTimeoutMs: timeout.ms,
      upSeconds,
      deployCcSeconds,
      rss,
      rssMiB,
      submitMs,
      evaluateMs,
      submitP50Ms: percentile(submitMs, 50),
      submitP95Ms: percentile(submitMs, 95),
      evaluateP50Ms: percentile(evaluateMs, 50),
      evaluateP95Ms: percentile(evaluateMs, 95),
      loadAverage: loadAverage(),
    };
    progress(
      `fabric: ${consensus} ${timeout.label}: submit p50 ${measured.submitP50Ms.toFixed(0)} ms, evaluate p50 ${measured.evaluateP50Ms.toFixed(1)} ms`,
    );
  } catch (error) {
    errors.push(error);
  }

  // Teardown, whatever happened above.
  let downSeconds = Number.NaN;
  try {
    org?.close();
  } catch (error) {
    errors.push(error);
  }
  // `up` refuses before creating anything when a state directory appeared meanwhile: not ours.
  const refusedUp = errors.some(
    (error) =>
      error instanceof NetworkShError &&
      error.output.includes('[step: check for an existing network]'),
  );
  if (!refusedUp) {
    note();
    try {
      downSeconds = await timedNetworkSh(['down'], log('down'));
      progress(`fabric: ${consensus} ${timeout.label}: down in ${downSeconds.toFixed(1)} s`);
    } catch (error) {
      errors.push(error);
    }
    const alive = [...seen.values()].filter(recordedProcessAlive);
    if (alive.length > 0) {
      errors.push(
        new Error(
          `still running after network.sh down: ${alive.map((p) => `${p.component} (pid ${p.pid})`).join(', ')}`,
        ),
      );
    }
    if (existsSync(NETWORK_STATE_DIR)) {
      errors.push(new Error(`${NETWORK_STATE_DIR} still exists after network.sh down`));
    }
  }
  if (errors.length > 0) {
    const [first, ...rest] = errors;
    if (rest.length === 0) throw first;
    throw new Error(
      [first, ...rest]
        .map((e) => (e instanceof Error ? e.message : String(e)))
        .join('\nand then: '),
      { cause: first },
    );
  }
  if (seen.size === 0) {
    throw new Error('network.sh recorded no processes');
  }
  return { ...(measured as Omit<Case, 'downSeconds'>), downSeconds };
}

/** VmRSS of every process network.sh recorded; one that is gone is an error (an idle network must be whole). */
function idleRss(): RssReading[] {
  const readings: RssReading[] = [];
  for (const proc of recordedProcesses(NETWORK_STATE_DIR)) {
    const rssKiB = recordedProcessAlive(proc) ? readRssKiB(proc.pid) : undefined;
    if (rssKiB === undefined)
      throw new Error(`${proc.component} (pid ${proc.pid}) is not running right after deployCC`);
    readings.push({ component: proc.component, kind: proc.kind, pid: proc.pid, rssKiB });
  }
  if (readings.length === 0)
    throw new Error('no processes recorded in network/state/pids after deployCC');
  return readings;
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseSamples(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--samples must be a positive integer (got '${text}')`);
  return n;
}

function loadAverage(): number[] {
  return machineInfo().loadAverage;
}

function formatLoad(load: number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}
