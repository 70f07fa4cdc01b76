// The fault matrix (`npm run test:faults`; not part of `npm test`, which runs the partition case in
// hosts-netns.e2e.test.ts): one federation on the netns layout (each org its own host), one fault
// per round, injected at a moment read from the victim's own training-progress stream. For every
// round: it completes, no update is counted twice, every update on the ledger is one of the new
// model's contributors, and (where the victim came back) every org's update made it. Recovery is
// the time from the fault to the round's model on the ledger. The table goes to stdout and to
// coverage/faults/fault-matrix.json (the gateways' logs in coverage/faults/logs/); docs/reliability.md
// quotes it.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  buildDemoData,
  GatewayClient,
  LedgerCursor,
  readServerSentEvents,
  REPO_ROOT,
  runFederation,
  startOrgGateway,
  type TrainingProgressEvent,
} from '@fedledger/demo';
import { CONNECTIONS_DIR, NETWORK_STATE_DIR, networkSh, recordedPid } from '../support/network';
import { withFabricTestbed } from '../support/testbed';

const FEDERATION = 'fault-matrix';
const DEADLINE_SECONDS = 30;
/** Long enough that a victim is still training when the previous fault's recovery is over. */
const EPOCHS = 60;
const ORG_KEYS: Record<string, string> = { Org1MSP: 'org1', Org2MSP: 'org2', Org3MSP: 'org3' };

/** When in the victim's round the fault strikes. */
type Moment = 'training' | 'submit' | 'aggregation';

interface Fault {
  round: number;
  what: string;
  victim: 'Org2MSP' | 'Org3MSP';
  moment: Moment;
  /** Injects the fault; returns how to recover (undefined: the victim never comes back). */
  inject: (world: World) => (() => Promise<void>) | undefined;
}

interface World {
  hospitals: GatewayClient[];
  replaceGateway: (mspId: string) => Promise<void>;
}

interface Row {
  round: number;
  fault: string;
  moment: Moment;
  recoverySeconds: number;
  /** The org whose Aggregate transaction closed the round (from the audit timeline). */
  aggregatedBy: string;
  contributors: string[];
  updates: string[];
  outcome: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILL of a network process, `network.sh restart` after `downMs`. */
function killComponent(component: string, downMs: number): Fault['inject'] {
  return () => {
    process.kill(recordedPid(component), 'SIGKILL');
    return async () => {
      await sleep(downMs);
      await networkSh(['restart', component]);
    };
  };
}

/** A signal to an org's gateway process, a fresh process on the same state after `downMs`. */
function signalGateway(
  mspId: string,
  signal: NodeJS.Signals,
  downMs: number | undefined,
): Fault['inject'] {
  return (world) => {
    const gateway = world.hospitals.find((g) => g.mspId === mspId);
    const pid = gateway?.endpoint.pid;
    assert.ok(pid !== undefined, `${mspId}'s gateway pid is known`);
    process.kill(pid, signal);
    if (downMs === undefined) return undefined;
    return async () => {
      await sleep(downMs);
      await world.replaceGateway(mspId);
    };
  };
}

const FAULTS: Fault[] = [
  {
    round: 2,
    what: 'SIGKILL peer.org2, restarted after 3 s',
    victim: 'Org2MSP',
    moment: 'training',
    inject: killComponent('peer.org2', 3_000),
  },
  {
    round: 3,
    what: 'SIGKILL orderer2 (Org2’s orderer node), restarted after 3 s',
    victim: 'Org2MSP',
    moment: 'training',
    inject: killComponent('orderer2', 3_000),
  },
  {
    round: 4,
    what: 'SIGKILL cc.org3 (chaincode server), restarted after 3 s',
    victim: 'Org3MSP',
    moment: 'training',
    inject: killComponent('cc.org3', 3_000),
  },
  {
    round: 5,
    what: 'SIGKILL Org3’s gateway, restarted after 2 s',
    victim: 'Org3MSP',
    moment: 'training',
    inject: signalGateway('Org3MSP', 'SIGKILL', 2_000),
  },
  {
    round: 6,
    what: 'SIGTERM Org2’s gateway, restarted after 2 s',
    victim: 'Org2MSP',
    moment: 'training',
    inject: signalGateway('Org2MSP', 'SIGTERM', 2_000),
  },
  {
    round: 7,
    what: 'SIGKILL Org2’s gateway after its last epoch, restarted after 2 s',
    victim: 'Org2MSP',
    moment: 'submit',
    inject: signalGateway('Org2MSP', 'SIGKILL', 2_000),
  },
  // Round 8's designated aggregator is Org2 (rounds rotate over the sorted participants, ADR 11).
  {
    round: 8,
    what: 'SIGKILL Org2’s gateway (the round’s designated aggregator) once its update and one other are in, restarted after 2 s',
    victim: 'Org2MSP',
    moment: 'aggregation',
    inject: signalGateway('Org2MSP', 'SIGKILL', 2_000),
  },
  {
    round: 9,
    what: 'SIGKILL Org3’s gateway, never restarted',
    victim: 'Org3MSP',
    moment: 'training',
    inject: signalGateway('Org3MSP', 'SIGKILL', undefined),
  },
];
const ROUNDS = 9;

/** Every org's training-progress events, followed across gateway restarts. */
class ProgressLog {
  readonly events: Array<{ mspId: string; progress: TrainingProgressEvent }> = [];
  readonly #controller = new AbortController();

  follow(gateway: GatewayClient): void {
    void (async () => {
      try {
        const stream = await gateway.openTrainingEvents(this.#controller.signal);
        for await (const event of readServerSentEvents(stream)) {
          if (event.event === 'training-progress')
            this.events.push({
              mspId: gateway.mspId,
              progress: JSON.parse(event.data) as TrainingProgressEvent,
            });
        }
      } catch {
        // The gateway went away (the fault itself); its replacement is followed anew.
      }
    })();
  }

  /**
   * Waits for a progress event of the victim in `round` that arrives from now on (an older one
   * would strike after the moment has passed): an epoch before the last (training) or the last
   * batch of the last epoch (its submission starts).
   */
  async waitFor(mspId: string, round: number, moment: Moment, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    const from = this.events.length;
    for (;;) {
      const hit = this.events
        .slice(from)
        .some(
          ({ mspId: org, progress }) =>
            org === mspId &&
            progress.federationId === FEDERATION &&
            progress.round === round &&
            (moment === 'training'
              ? progress.epoch < progress.epochs
              : progress.epoch === progress.epochs && progress.batch === progress.batches),
        );
      if (hit) return;
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `${mspId} showed no ${moment} progress in round ${round} within ${timeoutMs / 1000}s`,
        );
      await sleep(20);
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

test(
  'fault matrix on the netns layout: one fault per round; every round completes, nothing lost or counted twice',
  { timeout: 60 * 60_000 },
  async () => {
    const progress = new ProgressLog();
    const rows: Row[] = [];
    const out = join(REPO_ROOT, 'coverage', 'faults');
    // The gateways' and the network's logs explain a failed row: kept beside the matrix.
    const keepLogs = ({ logDir }: { logDir: string }): void => {
      rmSync(join(out, 'logs'), { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      for (const [from, to] of [
        [logDir, 'logs'],
        [join(NETWORK_STATE_DIR, 'logs'), join('logs', 'network')],
      ] as const) {
        if (existsSync(from)) cpSync(from, join(out, to), { recursive: true });
      }
    };
    try {
      await withFabricTestbed(
        'faults',
        { backend: true, hosts: 'netns', beforeTeardown: keepLogs },
        async ({ consortium, teardown, stateRoot, logDir }) => {
          teardown.add('progress streams', () => {
            progress.close();
          });
          const cursor = new LedgerCursor();
          const hospitals = consortium.hospitals.map(
            (endpoint) => new GatewayClient(endpoint, cursor),
          );
          hospitals.forEach((gateway) => {
            progress.follow(gateway);
          });
          const world: World = {
            hospitals,
            replaceGateway: async (mspId) => {
              const index = hospitals.findIndex((g) => g.mspId === mspId);
              const key = ORG_KEYS[mspId];
              const endpoint = await startOrgGateway({
                mspId,
                connectionFile: join(CONNECTIONS_DIR, `${key}.json`),
                stateRoot,
                logDir,
                participation: true,
                teardown,
              });
              const replacement = new GatewayClient(endpoint, cursor);
              hospitals[index] = replacement;
              progress.follow(replacement);
            },
          };
          const observer = hospitals[0];
          const data = buildDemoData({
            rows: 3000,
            alpha: 1,
            seed: 11,
            testRows: 500,
            hospitals: 3,
          });
          for (const [index, gateway] of hospitals.entries()) {
            await gateway.registerSynthetic({
              id: 'local',
              orgIndex: index,
              orgCount: 3,
              rows: 3000,
              mode: 'dirichlet',
              alpha: 1,
              seed: 11,
            });
          }

          let injector: Promise<void> = Promise.resolve();
          const injectAll = async (): Promise<void> => {
            for (const fault of FAULTS) {
              if (fault.moment === 'aggregation')
                await waitForAggregatorReady(observer, fault.round, fault.victim);
              else await progress.waitFor(fault.victim, fault.round, fault.moment);
              const injectedAt = Date.now();
              const recover = fault.inject(world);
              const recovered = recover?.();
              const version = await waitForVersion(observer, fault.round);
              await recovered;
              const updates = (await observer.listUpdates(FEDERATION, fault.round))
                .map((u) => u.mspId)
                .sort();
              const contributors = version.contributors
                .filter((c) => c.accepted)
                .map((c) => c.mspId)
                .sort();
              const aggregatedBy =
                (await observer.timeline(FEDERATION, 'auditor')).find(
                  (entry) =>
                    entry.action === 'Aggregate' && entry.target.endsWith(`/round/${fault.round}`),
                )?.actorMsp ?? '?';
              rows.push({
                round: fault.round,
                fault: fault.what,
                moment: fault.moment,
                recoverySeconds: (version.at - injectedAt) / 1000,
                aggregatedBy,
                contributors,
                updates,
                outcome:
                  contributors.length === 3
                    ? 'all 3 updates aggregated'
                    : `aggregated without ${['Org1MSP', 'Org2MSP', 'Org3MSP'].filter((m) => !contributors.includes(m)).join(', ')} (deadline + quorum)`,
              });
            }
          };
          await runFederation(
            hospitals,
            {
              federationId: FEDERATION,
              datasetId: 'local',
              rounds: ROUNDS,
              model: { preset: 'mlp', hiddenUnits: [32, 16], seed: 11 },
              name: 'fault matrix',
              description: 'fault test',
              hyperParameters: { epochs: EPOCHS, batchSize: 32, learningRate: 0.01 },
              strategy: { name: 'fedavg' },
              roundTimeoutMs: 5 * 60_000,
              minParticipants: 2,
              roundDeadlineSeconds: DEADLINE_SECONDS,
              beforeStart: () => {
                injector = injectAll();
                injector.catch(() => undefined);
              },
            },
            data,
            () => undefined,
          );
          await injector;
        },
      );
    } finally {
      progress.close();
      const table = [
        '| round | fault (moment) | outcome | recovery s | aggregated by | updates on the ledger |',
        '|---|---|---|---|---|---|',
      ];
      for (const row of rows)
        table.push(
          `| ${row.round} | ${row.fault} (${row.moment}) | ${row.outcome} | ${row.recoverySeconds.toFixed(1)} | ${row.aggregatedBy} | ${row.updates.join(', ')} |`,
        );
      console.log(table.join('\n'));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'fault-matrix.json'), `${JSON.stringify(rows, null, 2)}\n`);
    }

    assert.equal(rows.length, FAULTS.length, 'every fault was injected and its round completed');
    for (const row of rows) {
      assert.equal(
        new Set(row.updates).size,
        row.updates.length,
        `round ${row.round}: an org's update is listed twice`,
      );
      assert.deepEqual(
        row.contributors,
        row.updates,
        `round ${row.round}: the model's contributors are exactly the updates on the ledger`,
      );
      const fault = FAULTS.find((f) => f.round === row.round) as Fault;
      if (!fault.what.includes('never'))
        assert.equal(
          row.contributors.length,
          3,
          `round ${row.round} (${row.fault}): the victim came back, so no update may be missing`,
        );
      else
        assert.ok(
          !row.contributors.includes(fault.victim) && row.contributors.length === 2,
          `round ${row.round}: closed by deadline and quorum without ${fault.victim}`,
        );
    }
  },
);

/**
 * Waits until the designated aggregator's own update and one other are on the ledger: killed then,
 * it is gone when the last update makes the round ready to aggregate (if the last one is already in
 * by then, the row's "aggregated by" column says who won the race).
 */
async function waitForAggregatorReady(
  observer: GatewayClient,
  round: number,
  aggregator: string,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const updates = (await observer.listUpdates(FEDERATION, round)).map((u) => u.mspId);
    if (updates.includes(aggregator) && updates.length >= 2) return;
    if (Date.now() - started > 120_000)
      throw new Error(`round ${round}: ${aggregator} and another org did not submit within 120 s`);
    await sleep(10);
  }
}

/** Waits for the model version of `round` on the ledger, tolerating a gateway that is briefly unable to answer. */
async function waitForVersion(
  observer: GatewayClient,
  round: number,
): Promise<{ at: number; contributors: Array<{ mspId: string; accepted: boolean }> }> {
  const started = Date.now();
  for (;;) {
    try {
      const version = (await observer.listModels(FEDERATION)).find(
        (v) => v.round === round && v.version === round,
      );
      if (version !== undefined) return { at: Date.now(), contributors: version.contributors };
    } catch {
      // Org1's gateway answers again once its own components are back.
    }
    if (Date.now() - started > 5 * 60_000)
      throw new Error(`round ${round} produced no model within 5 min`);
    await sleep(100);
  }
}
