// The contract API logs every decorator at info level when the sample fixtures load (they import the
// chaincode package); keep stdout for the table.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import { BLOB_PATH_MIN_PARAMS, FedLedgerError, sha256Hex, type LedgerApi } from '@fedledger/core';
import { type BlobPath, openConnectionBlobPath, runInLedgerSession } from '@fedledger/gateway';
import { CONNECTIONS_DIR, withNetworkLock } from '@fedledger/demo';
import { progress, runBench } from '../cli/run-bench';
import {
  NETWORK_STATE_DIR,
  openOrgLedger,
  timedNetworkSh,
  type OrgLedger,
} from '../fabric/network';
import { cpuSecondsByKind, networkCpuTicks, networkPeakRssMB } from '../fabric/network-usage';
import { machineInfo } from '../report/machine';
import { median } from '../report/stats';
import { markdownTable } from '../report/table';

const ORGS = ['org1', 'org2', 'org3'] as const;
type Org = (typeof ORGS)[number];
const MSP: Record<Org, string> = { org1: 'Org1MSP', org2: 'Org2MSP', org3: 'Org3MSP' };
const BLOCK_WAIT_MS = 180_000;
const CLK_TCK = 100;

type WeightsPathName = 'blob' | 'private-data';

interface RoundSample {
  round: number;
  submitS: number;
  aggregateS: number;
  /** CPU seconds per process kind (network) and of this process (the three orgs' gateway work). */
  submitCpuS: Record<string, number>;
  aggregateCpuS: Record<string, number>;
  /** Every org's copy of the new global model hashes to the ledger's modelHash (blob path: downloaded and checked). */
  downloadsMatch: boolean;
  load1: number;
}

interface SizeRun {
  path: WeightsPathName;
  params: number;
  bytes: number;
  createS: number;
  rounds: RoundSample[];
  errors: string[];
}

interface NetworkRun {
  path: WeightsPathName;
  sizes: SizeRun[];
  peakRssMB: Record<string, number>;
}

runBench(
  {
    name: 'large-model',
    summary:
      'large models on the real network: the blob path (digests on the ledger, blobs between org gateways over mutual TLS, majority-attested aggregation) at 1M/5M/25M parameters against the private-data path at 1M/5M in the same run; medians over rounds of 3 concurrent submits and of the aggregate step, peak RSS of the network',
    flags: {
      params: { type: 'string', description: 'blob-path sizes (default 1000000,5000000,25000000)' },
      runs: { type: 'string', description: 'rounds per blob size below 25M (default 5)' },
      'big-rounds': { type: 'string', description: 'rounds at sizes of 25M and more (default 3)' },
      'baseline-params': {
        type: 'string',
        description: 'private-data sizes (default 1000000,5000000; "" for none)',
      },
      'baseline-runs': { type: 'string', description: 'rounds per private-data size (default 5)' },
      'min-blob-params': {
        type: 'string',
        description: `the blob path from this many parameters (default ${BLOB_PATH_MIN_PARAMS}); lower it to put smaller models on blobs (where the paths cross)`,
      },
    },
  },
  async (args) => {
    const flag = (name: string, fallback: string): string =>
      typeof args.values[name] === 'string' ? args.values[name] : fallback;
    const sizes = parseList(flag('params', args.quick ? '300000' : '1000000,5000000,25000000'));
    const baseline = parseList(flag('baseline-params', args.quick ? '300000' : '1000000,5000000'));
    const runs = Number(flag('runs', args.quick ? '2' : '5'));
    const bigRounds = Number(flag('big-rounds', '3'));
    const baselineRuns = Number(flag('baseline-runs', args.quick ? '2' : '5'));
    const minBlobParams = Number(flag('min-blob-params', String(BLOB_PATH_MIN_PARAMS)));
    const loadAtStart = machineInfo().loadAverage;
    const networks: NetworkRun[] = [];
    await withNetworkLock(
      async () => {
        if (existsSync(NETWORK_STATE_DIR))
          throw new Error(
            `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down); not touching it.`,
          );
        // One network per path, so each path's peak memory is its own.
        networks.push(
          await measureNetwork(
            'blob',
            sizes.map((p) => ({ params: p, rounds: p >= 25_000_000 ? bigRounds : runs })),
            minBlobParams,
          ),
        );
        if (baseline.length > 0)
          networks.push(
            await measureNetwork(
              'private-data',
              baseline.map((p) => ({ params: p, rounds: baselineRuns })),
              minBlobParams,
            ),
          );
      },
      {
        onWait: (holder) => {
          progress(
            `large-model: ${holder === undefined ? 'another process' : `pid ${holder}`} holds the real-network lock; waiting`,
          );
        },
      },
    );
    const loadAtEnd = machineInfo().loadAverage;
    const privateMedian = (params: number, key: 'submitS' | 'aggregateS'): number | undefined => {
      const run = networks
        .find((n) => n.path === 'private-data')
        ?.sizes.find((s) => s.params === params);
      return run && run.rounds.length > 0 ? median(run.rounds.map((r) => r[key])) : undefined;
    };
    const rows = networks.flatMap((network) =>
      network.sizes.map((size) => {
        const submit = size.rounds.length > 0 ? median(size.rounds.map((r) => r.submitS)) : NaN;
        const aggregate =
          size.rounds.length > 0 ? median(size.rounds.map((r) => r.aggregateS)) : NaN;
        const baseSubmit = privateMedian(size.params, 'submitS');
        const baseAggregate = privateMedian(size.params, 'aggregateS');
        const peerCpu = median(
          size.rounds.map((r) => (r.submitCpuS['peer'] ?? 0) + (r.aggregateCpuS['peer'] ?? 0)),
        );
        const gatewayCpu = median(
          size.rounds.map((r) => (r.submitCpuS['client'] ?? 0) + (r.aggregateCpuS['client'] ?? 0)),
        );
        return [
          network.path,
          `${size.params / 1e6}M`,
          `${size.rounds.length}`,
          size.createS.toFixed(2),
          submit.toFixed(2),
          aggregate.toFixed(2),
          network.path === 'blob' && baseSubmit !== undefined
            ? `${(baseSubmit / submit).toFixed(1)}× / ${((baseAggregate as number) / aggregate).toFixed(1)}×`
            : '',
          peerCpu.toFixed(2),
          gatewayCpu.toFixed(2),
          size.rounds.every((r) => r.downloadsMatch) ? 'yes' : 'NO',
          `${network.peakRssMB['total'] ?? ''}`,
          size.errors.length === 0 ? '' : size.errors.slice(0, 2).join(' | ').slice(0, 120),
        ];
      }),
    );
    const table = markdownTable(
      [
        'path',
        'params',
        'rounds',
        'create s',
        'submit s (median, 3 at once)',
        'aggregate s (median)',
        'speed-up vs private data (submit / aggregate)',
        'peers CPU s per round',
        'gateways CPU s per round',
        'downloads = ledger hash',
        'network peak RSS MB',
        'errors',
      ],
      rows,
    );
    return {
      table,
      notes: [
        `Real Fabric v3.1.5 (network.sh defaults: SmartBFT, 4 orderers, 4 peers, 4 chaincode servers); one fresh network per path. Model: one float32 tensor of N parameters (FLW1, 4N bytes + 16). Blob threshold of this run: ${minBlobParams} parameters (default ${BLOB_PATH_MIN_PARAMS}); the blob sizes are at or above it, so CreateFederation picked the blob path by size.`,
        "submit = the three orgs' SubmitUpdate at once (blob path: keep the blob in the org store, SHA-256, SubmitBlobUpdate with the digest; private data: the weights in the transient map). aggregate = blob path: the three orgs' aggregate at once (each fetches the other two updates from their orgs over mutual TLS, checks every hash, runs FedAvg, keeps the model, AttestAggregate) until the model a majority attested is committed (Aggregate); private data: Aggregate by the round's designated org. Each round starts after every peer has the previous block.",
        "The three orgs' gateway work runs in this one Node process (one core), so the blob path's aggregate step is the three orgs' work back to back; with one host per org it would be one org's. downloads = ledger hash: after each round every org fetched the new model through its own blob path (or the private-data peer) and its SHA-256 equals the ledger's modelHash.",
        `CPU s: /proc/<pid>/stat of the network processes (peers; chaincode servers and orderers in the JSON) and process.cpuUsage of this process (gateways), per round (submit + aggregate), median over rounds. Peak RSS: sum of VmHWM over the network's processes (4 peers, 4 orderers, 4 chaincode servers) at the end of that path's run.`,
        `Machine: ${machineInfo().cpus} cores shared with other work; load average (1/5/15 min) ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} at the start, ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at the end.`,
      ],
      data: {
        sizes,
        baseline,
        runs,
        bigRounds,
        baselineRuns,
        minBlobParams,
        loadAtStart,
        loadAtEnd,
        networks,
      },
    };
  },
);

async function measureNetwork(
  pathName: WeightsPathName,
  plan: { params: number; rounds: number }[],
  minBlobParams: number,
): Promise<NetworkRun> {
  const log = (line: string): void => {
    progress(`  ${line}`);
  };
  const opened: OrgLedger[] = [];
  const blobPaths: BlobPath[] = [];
  const root = mkdtempSync(path.join(tmpdir(), 'fedledger-large-model-'));
  const errors: unknown[] = [];
  let result: NetworkRun | undefined;
  try {
    progress(`large-model ${pathName}: network.sh up`);
    await timedNetworkSh(['up'], log);
    await timedNetworkSh(['deployCC'], log);
    const orgs = {} as Record<Org, OrgLedger>;
    for (const org of ORGS) {
      orgs[org] = await openOrgLedger(org);
      opened.push(orgs[org]);
    }
    const endpoints: Record<string, string> = {};
    const ledgers = {} as Record<Org, { admin: LedgerApi; scientist: LedgerApi }>;
    for (const org of ORGS) {
      if (pathName === 'blob') {
        const blob = await openConnectionBlobPath(
          path.join(CONNECTIONS_DIR, `${org}.json`),
          path.join(root, org),
          () => orgs[org].ledger.getConsortium(),
          endpoints,
          { minParams: minBlobParams },
        );
        blobPaths.push(blob);
        endpoints[MSP[org]] = blob.server.url;
        ledgers[org] = {
          admin: blob.wrap(orgs[org].ledger),
          scientist: blob.wrap(orgs[org].as('scientist')),
        };
      } else {
        ledgers[org] = { admin: orgs[org].ledger, scientist: orgs[org].as('scientist') };
      }
    }
    const steps = new Steps(orgs);
    const sizes: SizeRun[] = [];
    for (const { params, rounds } of plan)
      sizes.push(await measureSize(pathName, params, rounds, ledgers, steps));
    result = { path: pathName, sizes, peakRssMB: networkPeakRssMB(NETWORK_STATE_DIR) };
    progress(`large-model ${pathName}: network peak RSS ${result.peakRssMB['total']} MB`);
  } catch (error) {
    errors.push(error);
  }
  for (const blob of blobPaths) await blob.close().catch((error: unknown) => errors.push(error));
  for (const org of opened) {
    try {
      org.close();
    } catch (error) {
      errors.push(error);
    }
  }
  await timedNetworkSh(['down'], log).catch((error: unknown) => errors.push(error));
  rmSync(root, { recursive: true, force: true });
  if (errors.length > 0) throw errors[0];
  return result as NetworkRun;
}

async function measureSize(
  pathName: WeightsPathName,
  params: number,
  rounds: number,
  ledgers: Record<Org, { admin: LedgerApi; scientist: LedgerApi }>,
  steps: Steps,
): Promise<SizeRun> {
  const shapes = [[params]];
  const id = `${pathName === 'blob' ? 'blob' : 'pd'}-${params}`;
  const initial = sampleWeights((i) => (i % 7) / 7, shapes);
  const run: SizeRun = {
    path: pathName,
    params,
    bytes: initial.byteLength,
    createS: 0,
    rounds: [],
    errors: [],
  };
  let started = performance.now();
  // A generous deadline: the large-model runs must not time out while another org is slow to submit.
  const spec = sampleSpec({
    id,
    rounds,
    invitedOrgs: ['Org2MSP', 'Org3MSP'],
    roundDeadlineSeconds: 3600,
  });
  const federation = await steps.write('org1', () =>
    ledgers.org1.admin.createFederation(spec, initial),
  );
  run.createS = (performance.now() - started) / 1000;
  if ((federation.weightsPath ?? 'private-data') !== pathName)
    throw new Error(
      `${id}: expected the ${pathName} path, the ledger recorded ${federation.weightsPath}`,
    );
  await steps.write('org2', () => ledgers.org2.admin.acceptInvitation(id));
  await steps.write('org3', () => ledgers.org3.admin.acceptInvitation(id));
  await steps.write('org1', () => ledgers.org1.scientist.startFederation(id));
  await steps.syncAll();
  for (let round = 1; round <= rounds; round++) {
    const updates = ORGS.map((_org, k) =>
      sampleWeights((i) => ((i + k + round) % 11) / 11, shapes),
    );
    let cpu = networkCpuTicks(NETWORK_STATE_DIR);
    let client = process.cpuUsage();
    started = performance.now();
    const submitted = await Promise.allSettled(
      ORGS.map((org, k) => {
        const weights = updates[k];
        return steps.write(org, () =>
          ledgers[org].scientist.submitUpdate(
            {
              federationId: id,
              round,
              numSamples: 10 + k,
              digest: sha256Hex(weights),
              metrics: { loss: 0.5 },
            },
            weights,
          ),
        );
      }),
    );
    const submitS = (performance.now() - started) / 1000;
    const submitCpuS = {
      ...cpuSecondsByKind(cpu, networkCpuTicks(NETWORK_STATE_DIR), CLK_TCK),
      client: cpuOf(process.cpuUsage(client)),
    };
    const failed = submitted
      .filter((s) => s.status === 'rejected')
      .map((s) => String(s.reason).slice(0, 200));
    if (failed.length > 0) {
      run.errors.push(...failed);
      progress(`large-model ${id} round ${round}: submit failed: ${failed.join(' | ')}`);
      break;
    }
    await steps.syncAll();
    cpu = networkCpuTicks(NETWORK_STATE_DIR);
    client = process.cpuUsage();
    started = performance.now();
    try {
      await aggregateStep(pathName, id, round, ledgers, steps);
    } catch (error) {
      run.errors.push(String(error).slice(0, 200));
      progress(
        `large-model ${id} round ${round}: aggregate failed: ${String(error).slice(0, 300)}`,
      );
      break;
    }
    const aggregateS = (performance.now() - started) / 1000;
    const aggregateCpuS = {
      ...cpuSecondsByKind(cpu, networkCpuTicks(NETWORK_STATE_DIR), CLK_TCK),
      client: cpuOf(process.cpuUsage(client)),
    };
    await steps.syncAll();
    const version = await ledgers.org1.scientist.getModelVersion(id, round);
    let downloadsMatch = true;
    for (const org of ORGS) {
      const weights = await ledgers[org].scientist.getGlobalWeights(id, round);
      if (sha256Hex(weights) !== version.modelHash) downloadsMatch = false;
    }
    const sample: RoundSample = {
      round,
      submitS,
      aggregateS,
      submitCpuS,
      aggregateCpuS,
      downloadsMatch,
      load1: machineInfo().loadAverage[0] ?? 0,
    };
    run.rounds.push(sample);
    progress(
      `large-model ${id} round ${round}: submit ${submitS.toFixed(2)} s, aggregate ${aggregateS.toFixed(2)} s, downloads match ${downloadsMatch}, load ${sample.load1.toFixed(2)}`,
    );
  }
  return run;
}

/**
 * The aggregate step until the new model version is committed. Blob path: the three orgs at once,
 * as gateways do on a complete round (each attests; whoever sees a majority accepts), then the
 * round's designated org if every attester looked too early. Private data: the designated org.
 */
async function aggregateStep(
  pathName: WeightsPathName,
  id: string,
  round: number,
  ledgers: Record<Org, { scientist: LedgerApi }>,
  steps: Steps,
): Promise<void> {
  const designated = ORGS[(round - 1) % ORGS.length];
  if (pathName === 'private-data') {
    await steps.write(designated, () => ledgers[designated].scientist.aggregate(id, round));
    return;
  }
  const outcomes = await Promise.allSettled(
    ORGS.map((org) => steps.write(org, () => ledgers[org].scientist.aggregate(id, round))),
  );
  for (const outcome of outcomes) {
    if (
      outcome.status === 'rejected' &&
      !(
        outcome.reason instanceof FedLedgerError &&
        ['QUORUM_NOT_MET', 'ROUND_CLOSED', 'CONFLICT'].includes(outcome.reason.code)
      )
    )
      throw outcome.reason;
  }
  if (outcomes.some((o) => o.status === 'fulfilled')) return;
  await steps.syncAll();
  try {
    await steps.write(designated, () => ledgers[designated].scientist.aggregate(id, round));
  } catch (error) {
    if (!(error instanceof FedLedgerError && error.code === 'ROUND_CLOSED')) throw error;
  }
}

/** Read-your-writes across orgs: each write waits for the latest block on its own peer first. */
class Steps {
  #block = -1;
  constructor(private readonly orgs: Record<Org, OrgLedger>) {}

  async write<T>(org: Org, write: () => Promise<T>): Promise<T> {
    if (this.#block >= 0) await this.orgs[org].waitForBlock(this.#block, BLOCK_WAIT_MS);
    const { result, session } = runInLedgerSession(write);
    const value = await result;
    if (session.committedBlock !== undefined && session.committedBlock > this.#block)
      this.#block = session.committedBlock;
    return value;
  }

  async syncAll(): Promise<void> {
    if (this.#block >= 0)
      await Promise.all(ORGS.map((org) => this.orgs[org].waitForBlock(this.#block, BLOCK_WAIT_MS)));
  }
}

function cpuOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function parseList(text: string): number[] {
  if (text.trim() === '') return [];
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`expected comma-separated positive integers, got '${text}'`);
  return values;
}
