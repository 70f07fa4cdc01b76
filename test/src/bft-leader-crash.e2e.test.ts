// The contract API logs every decorator at info level when the sample fixtures load.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'error';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { sampleSpec, sampleWeights } from '@fedledger/simulator';
import {
  buildDemoData,
  GatewayClient,
  LedgerCursor,
  openOrgLedger,
  runFederation,
} from '@fedledger/demo';
import { bftLeader, componentPid } from './support/bft-leader';
import {
  DEFAULT_ORDERER_NODES,
  defaultLayoutPorts,
  networkSh,
  ordererHeights,
  processAlive,
  waitFor,
} from './support/network';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const FEDERATION = 'e2e-bft-leader-crash';
const ROUNDS = 2;
const CHANNEL = 'fedledger';
/** Operations (metrics) port of orderer i in the default layout: 7052 + 10(i-1). */
const OPERATIONS_PORTS: Record<number, number> = Object.fromEntries(
  Array.from({ length: DEFAULT_ORDERER_NODES }, (_, k) => [k + 1, 7052 + 10 * k]),
);
const CATCH_UP_ATTEMPTS = 60;
const CATCH_UP_DELAY_MS = 500;
const LEADER_POLL_ATTEMPTS = 600;
const LEADER_POLL_DELAY_MS = 100;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

test(
  'BFT ordering: the leader orderer is SIGKILLed mid-round, the round and the next complete, the restarted node catches up',
  { timeout: 60 * 60_000 },
  async () => {
    const leftovers = await withFabricTestbed(
      'e2e-bft',
      { backend: true },
      async ({ consortium, teardown, recordPids }) => {
        const org1 = await openOrgLedger('org1');
        teardown.add('org1 ledger client', () => {
          org1.close();
        });
        const probeLedger = org1.ledger;
        const cursor = new LedgerCursor();
        const hospitals = consortium.hospitals.map(
          (endpoint) => new GatewayClient(endpoint, cursor),
        );
        const data = buildDemoData({ rows: 900, alpha: 1, seed: 7, testRows: 1000, hospitals: 3 });
        for (const [index, gateway] of hospitals.entries()) {
          await gateway.registerSynthetic({
            id: 'local',
            orgIndex: index,
            orgCount: 3,
            rows: 900,
            mode: 'dirichlet',
            alpha: 1,
            seed: 7,
          });
        }

        // A write's latency with every orderer up, for comparison with the one sent into the crash.
        let started = performance.now();
        await probeLedger.createFederation(
          sampleSpec({ id: 'bft-probe-before' }),
          sampleWeights(0.5),
        );
        const normalCommitMs = performance.now() - started;

        const leader = await bftLeader(CHANNEL, OPERATIONS_PORTS);
        assert.ok(
          leader !== undefined && leader >= 1 && leader <= DEFAULT_ORDERER_NODES,
          `no orderer reported a SmartBFT leader (metric consensus_smartbft_view_leader_id): ${leader}`,
        );

        // Kill the leader while round 1 is under way (the first training-progress line of round 1).
        let crash:
          | Promise<{ killed: number; probeMs: number; viewChangeMs: number; newLeader: number }>
          | undefined;
        const killLeader = async (): Promise<{
          killed: number;
          probeMs: number;
          viewChangeMs: number;
          newLeader: number;
        }> => {
          const killed = (await bftLeader(CHANNEL, OPERATIONS_PORTS)) ?? leader;
          const pid = componentPid(`orderer${killed}`);
          const killedAt = performance.now();
          process.kill(pid, 'SIGKILL');
          // A client write sent right into the crash: its latency is the time without ordering a client sees.
          const probe = probeLedger
            .createFederation(sampleSpec({ id: 'bft-probe-crash' }), sampleWeights(0.25))
            .then(() => performance.now() - killedAt);
          const survivors = Object.fromEntries(
            Object.entries(OPERATIONS_PORTS).filter(([id]) => Number(id) !== killed),
          );
          let newLeader = killed;
          await waitFor(
            'the surviving orderers to agree on a new leader',
            LEADER_POLL_ATTEMPTS,
            LEADER_POLL_DELAY_MS,
            async () => {
              newLeader = (await bftLeader(CHANNEL, survivors)) ?? killed;
              return newLeader !== killed;
            },
          );
          const viewChangeMs = performance.now() - killedAt;
          return { killed, probeMs: await probe, viewChangeMs, newLeader };
        };
        const outcome = await runFederation(
          hospitals,
          {
            federationId: FEDERATION,
            datasetId: 'local',
            rounds: ROUNDS,
            model: { preset: 'mlp', hiddenUnits: [16], seed: 7 },
            name: 'e2e federation',
            description: 'end-to-end test',
            hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 },
            strategy: { name: 'fedavg' },
            roundTimeoutMs: 10 * 60_000,
          },
          data,
          (line) => {
            if (crash === undefined && /^\s*round 1 · /.test(line)) crash = killLeader();
          },
        );
        assert.ok(
          crash !== undefined,
          'round 1 reported no training progress, so the leader was never killed',
        );
        const { killed, probeMs, viewChangeMs, newLeader } = await crash;
        console.log(
          `BFT leader crash: orderer${killed} (leader) SIGKILLed during round 1; orderer${newLeader} leads after ${seconds(viewChangeMs)}; ` +
            `a write sent at the kill committed after ${seconds(probeMs)} (the same write with every orderer up: ${seconds(normalCommitMs)})`,
        );
        assert.notEqual(
          processAlive(componentPid(`orderer${killed}`)),
          true,
          'the killed orderer is still running',
        );

        assert.equal(outcome.federation.status, 'completed');
        const versions = (await hospitals[0].listModels(FEDERATION, 'scientist')).sort(
          (a, b) => a.version - b.version,
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          [0, 1, 2],
          'the round of the crash and the next one produced a model each',
        );
        for (const version of versions.slice(1)) {
          assert.deepEqual(
            version.contributors.map((c) => [c.mspId, c.accepted]),
            [
              ['Org1MSP', true],
              ['Org2MSP', true],
              ['Org3MSP', true],
            ],
            `round ${version.round} aggregated all three updates`,
          );
        }

        // Restarted, the node pulls the blocks it missed from the others without any command.
        started = performance.now();
        await networkSh(['restart', `orderer${killed}`]);
        recordPids();
        await probeLedger.createFederation(
          sampleSpec({ id: 'bft-probe-after' }),
          sampleWeights(0.75),
        );
        let heights: Record<string, number> = {};
        await waitFor(
          `orderer${killed} to catch up with the other orderers`,
          CATCH_UP_ATTEMPTS,
          CATCH_UP_DELAY_MS,
          async () => {
            heights = await ordererHeights();
            const values = Object.values(heights);
            return values.length === DEFAULT_ORDERER_NODES && values.every((h) => h === values[0]);
          },
        );
        console.log(
          `BFT leader crash: restarted orderer${killed} reached height ${heights[`orderer${killed}`]} with the others ${seconds(performance.now() - started)} after the restart began`,
        );
        assert.equal(heights[`orderer${killed}`], heights[`orderer${newLeader}`]);
      },
    );
    await assertNothingLeftRunning(leftovers, defaultLayoutPorts());
  },
);
