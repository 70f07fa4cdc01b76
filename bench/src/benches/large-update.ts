// The contract API logs every decorator at info level when the sample fixtures load (they import the
// chaincode package); keep stdout for the table.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import { sha256Hex, type LedgerApi } from '@fedledger/core';
import { stripAnsi, withNetworkLock } from '@fedledger/demo';
import { runInLedgerSession } from '@fedledger/gateway';
import { progress, runBench } from '../cli/run-bench';
import {
  NETWORK_STATE_DIR,
  openOrgLedger,
  timedNetworkSh,
  type OrgLedger,
} from '../fabric/network';
import { networkPeakRssMB } from '../fabric/network-usage';
import { recordedProcessAlive, recordedProcesses, type RecordedProcess } from '../fabric/proc';
import {
  diffHistogramTotals,
  listeningPortsOf,
  parseCpuTicks,
  parseHistogramTotals,
  type HistogramTotal,
} from '../fabric/process-cost';
import { machineInfo } from '../report/machine';
import { markdownTable } from '../report/table';

const run = promisify(execFile);
const DEFAULT_PARAMS = '1000000,5000000';
/** --quick: one small size, to check the harness against the network in well under a minute. */
const QUICK_PARAMS = '100000';
/** Raw Go profiles stay outside the repository (they are tens of KB each and machine-specific). */
const PROFILE_DIR = process.env['FEDLEDGER_PROFILE_DIR'] ?? '/tmp/fedledger-large-update-profiles';
/** Peer metrics that say where a transaction's time went inside the peer. */
const PEER_METRICS =
  /^(endorser_|ledger_|gossip_privdata_|chaincode_|grpc_server_unary_request_duration|gossip_comm_)/;
const BLOCK_WAIT_MS = 120_000;
/** Histogram series kept per peer and phase in the result (largest sums first). */
const TOP_SERIES = 8;
const ORGS = ['org1', 'org2', 'org3'] as const;
type Org = (typeof ORGS)[number];

type Phase = 'create' | 'submit' | 'aggregate';

interface PhaseResult {
  phase: Phase;
  wallS: number;
  /** Per call (create: 1, submit: 3 concurrent, aggregate: 1): seconds, or the error text. */
  calls: { org: string; seconds: number; error?: string }[];
  /** CPU seconds (user + system) per recorded process, and the benchmark's own client process. */
  cpuS: Record<string, number>;
  cpuByKindS: Record<string, number>;
  /** Histograms that moved on each peer during the phase (sum s, count). */
  peerMetrics: Record<string, HistogramTotal[]>;
  loadAverage: number[];
}

interface SizeResult {
  params: number;
  updateBytes: number;
  phases: PhaseResult[];
  /** Peak resident memory (VmHWM) per process at the end of the run, MB. */
  peakRssMB: Record<string, number>;
  /** Warnings and errors the peers logged during the run: count and a few distinct messages. */
  peerLogProblems: Record<string, { count: number; samples: string[] }>;
  /** `go tool pprof -top` of peer.org1 during the submits and the Aggregate. */
  peerProfile: Partial<
    Record<Phase, { windowS: number; file: string; top: string[]; topCum: string[] }>
  >;
}

runBench(
  {
    name: 'large-update',
    summary:
      'where the time of a large model update goes on the real network: CreateFederation, 3 concurrent SubmitUpdate and Aggregate with N-parameter models; wall time per call, CPU seconds per process, peer metrics, a Go CPU profile of one peer',
    flags: {
      params: {
        type: 'string',
        description: `comma-separated parameter counts (default ${DEFAULT_PARAMS}; --quick ${QUICK_PARAMS})`,
      },
    },
  },
  async (args) => {
    const sizes = parseParams(
      typeof args.values['params'] === 'string'
        ? args.values['params']
        : args.quick
          ? QUICK_PARAMS
          : DEFAULT_PARAMS,
    );
    const loadAtStart = machineInfo().loadAverage;
    const results: SizeResult[] = [];
    await withNetworkLock(
      async () => {
        if (existsSync(NETWORK_STATE_DIR)) {
          throw new Error(
            `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down); not touching it.`,
          );
        }
        // A fresh network per size, so peak memory and logs belong to that size alone.
        for (const params of sizes) results.push(await measureSize(params));
      },
      {
        onWait: (holder) => {
          progress(
            `large-update: ${holder === undefined ? 'another process' : `pid ${holder}`} holds the real-network lock; waiting`,
          );
        },
      },
    );
    const loadAtEnd = machineInfo().loadAverage;
    const rows = results.flatMap((r) =>
      r.phases.map((p) => [
        r.params,
        p.phase,
        p.wallS,
        p.calls
          .map((c) =>
            c.error === undefined ? c.seconds.toFixed(2) : `${c.org}: ${c.error.slice(0, 40)}`,
          )
          .join(' / '),
        (p.cpuByKindS['peer'] ?? 0).toFixed(2),
        (p.cpuByKindS['chaincode'] ?? 0).toFixed(2),
        (p.cpuByKindS['orderer'] ?? 0).toFixed(2),
        (p.cpuByKindS['client'] ?? 0).toFixed(2),
        p.loadAverage[0]?.toFixed(2) ?? '',
      ]),
    );
    const table = markdownTable(
      [
        'params',
        'phase',
        'wall s',
        'per call s',
        'CPU s peers (4)',
        'CPU s cc servers (4)',
        'CPU s orderers',
        'CPU s client',
        'load 1 min after',
      ],
      rows,
    );
    return {
      table,
      notes: [
        'Real Fabric v3.1.5 (network/network.sh defaults: SmartBFT, 4 orderers, 4 peers, 4 Node chaincode servers), a fresh network per size. Model = one float32 tensor of N parameters (FLW1 encoding, 4N bytes + header), maxUpdateBytes default (32 MiB).',
        "create = CreateFederation by Org1 (initial weights in the transient map); submit = SubmitUpdate by the scientist of Org1, Org2 and Org3 at once, each through its own peer (Promise.all); aggregate = Aggregate (FedAvg) by Org1's scientist. Between phases each org waits until its peer has the previous block.",
        "CPU s: utime+stime from /proc/<pid>/stat of every process in network/state/pids (plus the benchmark process as client) before and after the phase. Peer metrics: Prometheus histogram sums/counts of each peer's operations endpoint, differenced over the phase.",
        `Peer CPU profile: peers started with CORE_PEER_PROFILE_ENABLED=true on an ephemeral port (this benchmark only); peer.org1's /debug/pprof/profile is fetched over a fixed window that starts with the phase; raw profiles in ${PROFILE_DIR}.`,
        `Machine: ${machineInfo().cpus} cores shared by everything; load average (1/5/15 min) ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} at the start, ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at the end.`,
      ],
      data: { sizes, loadAtStart, loadAtEnd, results },
    };
  },
);

async function measureSize(params: number): Promise<SizeResult> {
  const log = (line: string): void => {
    progress(`  ${line}`);
  };
  const opened: OrgLedger[] = [];
  const errors: unknown[] = [];
  let result: SizeResult | undefined;
  const seen = new Map<string, RecordedProcess>();
  try {
    progress(`large-update ${params}: network.sh up (peer profiling on)`);
    // Every peer inherits the launcher environment; port 0 gives each its own ephemeral pprof port.
    await timedNetworkSh(['up'], log, {
      ...process.env,
      CORE_PEER_PROFILE_ENABLED: 'true',
      CORE_PEER_PROFILE_LISTENADDRESS: '127.0.0.1:0',
    });
    await timedNetworkSh(['deployCC'], log);
    for (const proc of recordedProcesses(NETWORK_STATE_DIR)) seen.set(proc.component, proc);
    const logOffsets = peerLogSizes();
    const ledgers = {} as Record<Org, OrgLedger>;
    for (const org of ORGS) {
      ledgers[org] = await openOrgLedger(org);
      opened.push(ledgers[org]);
    }
    const endpoints = await peerEndpoints();
    // peer.org1 may not have been found listening (then no profile is taken).
    const profiled = Object.hasOwn(endpoints, 'peer.org1')
      ? endpoints['peer.org1'].pprof
      : undefined;
    mkdirSync(PROFILE_DIR, { recursive: true });

    const shapes = [[params]];
    const id = `large-${params}`;
    const steps = new Steps(ledgers);
    const phases: PhaseResult[] = [];
    const profiles: SizeResult['peerProfile'] = {};
    const millions = params / 1e6;

    phases.push(
      await measurePhase('create', endpoints, async () => {
        const started = performance.now();
        try {
          await steps.write('org1', (l) =>
            l.createFederation(
              sampleSpec({ id, rounds: 1, invitedOrgs: ['Org2MSP', 'Org3MSP'] }),
              sampleWeights((i) => (i % 7) / 7, shapes),
            ),
          );
          return [{ org: 'org1', seconds: (performance.now() - started) / 1000 }];
        } catch (error) {
          return [
            { org: 'org1', seconds: (performance.now() - started) / 1000, error: message(error) },
          ];
        }
      }),
    );
    if (phases[0]?.calls[0]?.error !== undefined)
      throw new Error(`CreateFederation failed: ${phases[0].calls[0].error}`);
    await steps.write('org2', (l) => l.acceptInvitation(id));
    await steps.write('org3', (l) => l.acceptInvitation(id));
    await steps.write('org1', (l) => l.startFederation(id));
    await steps.syncAll();

    const updates = Object.fromEntries(
      ORGS.map((org, k) => [org, sampleWeights((i) => ((i + k) % 11) / 11, shapes)]),
    ) as Record<Org, Uint8Array>;
    const submitWindow = Math.ceil(8 + 7 * millions);
    const submitProfile =
      profiled === undefined
        ? undefined
        : fetchProfile(
            profiled,
            submitWindow,
            path.join(PROFILE_DIR, `peer-org1-${params}-submit.pb.gz`),
          );
    phases.push(
      await measurePhase('submit', endpoints, () =>
        Promise.all(
          ORGS.map(async (org) => {
            const weights = updates[org];
            const started = performance.now();
            try {
              await steps.write(org, () =>
                ledgers[org].as('scientist').submitUpdate(
                  {
                    federationId: id,
                    round: 1,
                    numSamples: 10,
                    digest: sha256Hex(weights),
                    metrics: { loss: 0.5 },
                  },
                  weights,
                ),
              );
              return { org, seconds: (performance.now() - started) / 1000 };
            } catch (error) {
              return { org, seconds: (performance.now() - started) / 1000, error: message(error) };
            }
          }),
        ),
      ),
    );
    if (submitProfile !== undefined)
      profiles.submit = { windowS: submitWindow, ...(await submitProfile) };
    const submitted = phases[1]?.calls.every((c) => c.error === undefined) ?? false;
    if (submitted) {
      await steps.syncAll();
      const aggregateWindow = Math.ceil(5 + 4 * millions);
      const aggregateProfile =
        profiled === undefined
          ? undefined
          : fetchProfile(
              profiled,
              aggregateWindow,
              path.join(PROFILE_DIR, `peer-org1-${params}-aggregate.pb.gz`),
            );
      phases.push(
        await measurePhase('aggregate', endpoints, async () => {
          const started = performance.now();
          try {
            await steps.write('org1', () => ledgers.org1.as('scientist').aggregate(id, 1));
            return [{ org: 'org1', seconds: (performance.now() - started) / 1000 }];
          } catch (error) {
            return [
              { org: 'org1', seconds: (performance.now() - started) / 1000, error: message(error) },
            ];
          }
        }),
      );
      if (aggregateProfile !== undefined)
        profiles.aggregate = { windowS: aggregateWindow, ...(await aggregateProfile) };
    } else {
      progress(`large-update ${params}: not every submit succeeded; Aggregate skipped`);
    }
    result = {
      params,
      updateBytes: updates.org1.byteLength,
      phases,
      peakRssMB: networkPeakRssMB(NETWORK_STATE_DIR),
      peerLogProblems: peerLogProblems(logOffsets),
      peerProfile: profiles,
    };
    for (const p of phases)
      progress(
        `large-update ${params}: ${p.phase} ${p.wallS.toFixed(2)} s wall; CPU s ${JSON.stringify(p.cpuByKindS)}`,
      );
  } catch (error) {
    errors.push(error);
  }
  for (const org of opened) {
    try {
      org.close();
    } catch (error) {
      errors.push(error);
    }
  }
  try {
    await timedNetworkSh(['down'], log);
  } catch (error) {
    errors.push(error);
  }
  const alive = [...seen.values()].filter(recordedProcessAlive);
  if (alive.length > 0)
    errors.push(
      new Error(
        `still running after network.sh down: ${alive.map((p) => `${p.component} (pid ${p.pid})`).join(', ')}`,
      ),
    );
  if (errors.length > 0) throw errors[0];
  return result as SizeResult;
}

/** Read-your-writes across orgs (as the e2e tests' CrossOrgSteps): each write waits for the latest block on its own peer first. */
class Steps {
  #block = -1;
  constructor(private readonly ledgers: Record<Org, OrgLedger>) {}

  async write<T>(org: Org, write: (ledger: LedgerApi) => Promise<T>): Promise<T> {
    const known = this.#block;
    if (known >= 0) await this.ledgers[org].waitForBlock(known, BLOCK_WAIT_MS);
    const { result, session } = runInLedgerSession(() => write(this.ledgers[org].ledger));
    const value = await result;
    if (session.committedBlock !== undefined && session.committedBlock > this.#block)
      this.#block = session.committedBlock;
    return value;
  }

  async syncAll(): Promise<void> {
    if (this.#block >= 0)
      await Promise.all(
        ORGS.map((org) => this.ledgers[org].waitForBlock(this.#block, BLOCK_WAIT_MS)),
      );
  }
}

interface PeerEndpoints {
  metrics?: number;
  pprof?: number;
}

/** Each peer's operations (/metrics) and pprof ports, found among the ports its process listens on. */
async function peerEndpoints(): Promise<Record<string, PeerEndpoints>> {
  const { stdout } = await run('ss', ['-ltnpH']);
  const found: Record<string, PeerEndpoints> = {};
  for (const proc of recordedProcesses(NETWORK_STATE_DIR).filter((p) => p.kind === 'peer')) {
    const entry: PeerEndpoints = {};
    for (const port of listeningPortsOf(stdout, proc.pid)) {
      if (entry.metrics === undefined && (await httpOk(`http://127.0.0.1:${port}/metrics`)))
        entry.metrics = port;
      else if (entry.pprof === undefined && (await httpOk(`http://127.0.0.1:${port}/debug/pprof/`)))
        entry.pprof = port;
    }
    found[proc.component] = entry;
  }
  progress(`large-update: peer endpoints ${JSON.stringify(found)}`);
  return found;
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function measurePhase(
  phase: Phase,
  endpoints: Record<string, PeerEndpoints>,
  body: () => Promise<PhaseResult['calls']>,
): Promise<PhaseResult> {
  const metricsBefore = await scrapePeers(endpoints);
  const cpuBefore = cpuTicks();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const calls = await body();
  const wallS = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = cpuTicks();
  const metricsAfter = await scrapePeers(endpoints);
  const ticksPerSecond = await clockTicks();
  const cpuS: Record<string, number> = { client: (client.user + client.system) / 1e6 };
  const cpuByKindS: Record<string, number> = { client: cpuS['client'] };
  for (const proc of recordedProcesses(NETWORK_STATE_DIR)) {
    const before = cpuBefore.get(proc.component);
    const after = cpuAfter.get(proc.component);
    if (before === undefined || after === undefined) continue;
    const seconds = (after - before) / ticksPerSecond;
    cpuS[proc.component] = seconds;
    const kind = proc.kind ?? 'other';
    cpuByKindS[kind] = (cpuByKindS[kind] ?? 0) + seconds;
  }
  const peerMetrics: Record<string, HistogramTotal[]> = {};
  // The biggest movers say where the time went; the long tail (gossip membership, go_* internals) does not.
  for (const [component, after] of metricsAfter)
    peerMetrics[component] = diffHistogramTotals(
      metricsBefore.get(component) ?? new Map<string, HistogramTotal>(),
      after,
    ).slice(0, TOP_SERIES);
  return {
    phase,
    wallS,
    calls,
    cpuS,
    cpuByKindS,
    peerMetrics,
    loadAverage: machineInfo().loadAverage,
  };
}

function cpuTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const proc of recordedProcesses(NETWORK_STATE_DIR)) {
    if (!recordedProcessAlive(proc)) continue;
    try {
      const value = parseCpuTicks(readFileSync(`/proc/${proc.pid}/stat`, 'utf8'));
      if (value !== undefined) ticks.set(proc.component, value);
    } catch {
      // gone between the check and the read: no sample for it
    }
  }
  return ticks;
}

let ticksCache: number | undefined;
async function clockTicks(): Promise<number> {
  ticksCache ??= Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  return ticksCache;
}

async function scrapePeers(
  endpoints: Record<string, PeerEndpoints>,
): Promise<Map<string, Map<string, HistogramTotal>>> {
  const scraped = new Map<string, Map<string, HistogramTotal>>();
  for (const [component, entry] of Object.entries(endpoints)) {
    if (entry.metrics === undefined) continue;
    const text = await (
      await fetch(`http://127.0.0.1:${entry.metrics}/metrics`, {
        signal: AbortSignal.timeout(5000),
      })
    ).text();
    scraped.set(component, parseHistogramTotals(text, PEER_METRICS));
  }
  return scraped;
}

/** Fetches a CPU profile of `seconds` from a Go pprof endpoint and summarizes it with `go tool pprof -top`. */
async function fetchProfile(
  port: number,
  seconds: number,
  file: string,
): Promise<{ file: string; top: string[]; topCum: string[] }> {
  try {
    const response = await fetch(
      `http://127.0.0.1:${port}/debug/pprof/profile?seconds=${seconds}`,
      { signal: AbortSignal.timeout((seconds + 30) * 1000) },
    );
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const top = (
      await run('go', ['tool', 'pprof', '-top', '-nodecount=15', file], { maxBuffer: 1 << 22 })
    ).stdout;
    const topCum = (
      await run('go', ['tool', 'pprof', '-top', '-cum', '-nodecount=20', file], {
        maxBuffer: 1 << 22,
      })
    ).stdout;
    return {
      file,
      top: top.split('\n').filter((l) => l.trim() !== ''),
      topCum: topCum.split('\n').filter((l) => l.trim() !== ''),
    };
  } catch (error) {
    return { file, top: [`profile failed: ${message(error)}`], topCum: [] };
  }
}

function peerLogFile(component: string): string {
  return path.join(NETWORK_STATE_DIR, 'logs', `${component}.log`);
}

/** Byte length of each peer's log now, so later problems can be told from start-up noise. */
function peerLogSizes(): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const proc of recordedProcesses(NETWORK_STATE_DIR).filter((p) => p.kind === 'peer')) {
    const file = peerLogFile(proc.component);
    if (existsSync(file)) sizes.set(proc.component, readFileSync(file).byteLength);
  }
  return sizes;
}

/** WARN/ERRO lines each peer logged after `offsets` (taken once the chaincode was deployed). */
function peerLogProblems(
  offsets: Map<string, number>,
): Record<string, { count: number; samples: string[] }> {
  const problems: Record<string, { count: number; samples: string[] }> = {};
  for (const proc of recordedProcesses(NETWORK_STATE_DIR).filter((p) => p.kind === 'peer')) {
    const file = peerLogFile(proc.component);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file)
      .subarray(offsets.get(proc.component) ?? 0)
      .toString('utf8')
      .split('\n')
      .filter((l) => /\b(WARN|ERRO)\b/.test(l));
    // Drop the timestamp and goroutine prefix so repeated messages collapse.
    const distinct = [
      ...new Set(
        lines.map((l) =>
          stripAnsi(l)
            .replace(/^.*?(WARN|ERRO)\s+\S+\s+/, '$1 ')
            .slice(0, 300),
        ),
      ),
    ];
    problems[proc.component] = { count: lines.length, samples: distinct.slice(0, 8) };
  }
  return problems;
}

function parseParams(text: string): number[] {
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`--params must be comma-separated positive integers (got '${text}')`);
  return values;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
