import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FedLedgerError,
  MASKED_MAGIC,
  decodeFlat,
  epsilonAfterRounds,
  sha256Hex,
  type LedgerApi,
} from '@fedledger/core';
import { DatasetsService } from '@fedledger/gateway/datasets';
import {
  type FederationInfo,
  GatewayClient,
  GatewayRequestError,
  LedgerCursor,
  openOrgLedger,
  type OrgLedger,
} from '@fedledger/demo';
import { participationSeed } from '@fedledger/gateway';
import { TrainingService } from '@fedledger/gateway/training';
import { defaultLayoutPorts, processAlive, waitFor } from './support/network';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const SECURE = 'e2e-secagg';
const DP = 'e2e-dp';
const SECURE_ROUNDS = 5;
const FIXED_POINT = { scale: 65536, range: 4 };
/** Long enough for every org to train and submit in a normal round, short enough that rounds with a dead org stay quick. */
const DEADLINE_SECONDS = 25;
const NOISE_MULTIPLIER = 1.5;
const DELTA = 1e-5;
/** Between ε(3) and ε(4): the budget pays for exactly three rounds. */
const BUDGET =
  (epsilonAfterRounds(3, NOISE_MULTIPLIER, DELTA).epsilon +
    epsilonAfterRounds(4, NOISE_MULTIPLIER, DELTA).epsilon) /
  2;
const HYPER = { epochs: 1, batchSize: 32, learningRate: 0.05 };

function federationBody(
  id: string,
  invitedOrgs: string[],
  rounds: number,
  privacy: Record<string, unknown>,
  columns: { featureColumns: string[]; labelColumn: string },
): Record<string, unknown> {
  return {
    id,
    name: id,
    datasetId: 'local',
    model: { preset: 'mlp', hiddenUnits: [8], seed: 7 },
    featureColumns: columns.featureColumns,
    labelColumn: columns.labelColumn,
    hyperParameters: HYPER,
    strategy: { name: 'fedavg' },
    invitedOrgs,
    minParticipants: 2,
    roundDeadlineSeconds: DEADLINE_SECONDS,
    rounds,
    privacy,
  };
}

async function rejectsWith(
  code: string,
  call: () => Promise<unknown>,
  what: string,
): Promise<void> {
  await assert.rejects(
    call,
    (error: unknown) => error instanceof FedLedgerError && error.code === code,
    what,
  );
}

test(
  'privacy over Fabric: secure aggregation survives a killed org, a DP budget stops the federation, the trust table holds',
  { timeout: 75 * 60_000 },
  async () => {
    // Several real-network suites share this machine: wait for the lock longer than the default.
    const leftovers = await withFabricTestbed(
      'e2e-privacy',
      { backend: true, lock: { timeoutMs: 45 * 60_000 } },
      async ({ consortium, teardown, stateRoot }) => {
        const ledgers: OrgLedger[] = [];
        teardown.add('org ledger clients', () => {
          ledgers.forEach((ledger) => {
            ledger.close();
          });
        });
        const cursor = new LedgerCursor();
        const [org1, org2, org3] = consortium.hospitals.map(
          (endpoint) => new GatewayClient(endpoint, cursor),
        ) as [GatewayClient, GatewayClient, GatewayClient];
        const auditorGateway = new GatewayClient(consortium.auditor, cursor);
        for (const key of ['org1', 'org2', 'org3', 'auditor'])
          ledgers.push(await openOrgLedger(key));
        const [ledger1, ledger2, ledger3, auditorLedger] = ledgers.map((l) =>
          l.as('scientist'),
        ) as [LedgerApi, LedgerApi, LedgerApi, LedgerApi];

        let columns = { featureColumns: [] as string[], labelColumn: '' };
        for (const [index, gateway] of [org1, org2, org3].entries()) {
          columns = await gateway.registerSynthetic({
            id: 'local',
            orgIndex: index,
            orgCount: 3,
            rows: 300,
            mode: 'iid',
            seed: 9,
          });
        }

        // Secure aggregation between the three hospitals; distributed DP between Org1 and Org2 only.
        await org1.createFederation(
          federationBody(
            SECURE,
            ['Org2MSP', 'Org3MSP'],
            SECURE_ROUNDS,
            { secureAggregation: true, fixedPoint: FIXED_POINT },
            columns,
          ),
        );
        await org2.acceptInvitation(SECURE, 'local');
        await org3.acceptInvitation(SECURE, 'local');
        await org1.createFederation(
          federationBody(
            DP,
            ['Org2MSP'],
            5,
            {
              secureAggregation: true,
              fixedPoint: FIXED_POINT,
              dp: { epsilon: BUDGET, delta: DELTA, clipNorm: 1, noiseMultiplier: NOISE_MULTIPLIER },
            },
            columns,
          ),
        );
        await org2.acceptInvitation(DP, 'local');
        await org1.startFederation(SECURE);
        await org1.startFederation(DP);

        // Org3 is killed once its round-2 update is on the ledger: it never submits in round 3.
        const org3Pid = consortium.hospitals[2]?.pid;
        assert.ok(org3Pid !== undefined, 'the Org3 gateway pid is known');
        await waitFor('Org3 to submit in round 2', 2400, 100, async () =>
          (await org1.listUpdates(SECURE, 2, 'scientist').catch(() => [])).some(
            (u) => u.mspId === 'Org3MSP',
          ),
        );
        process.kill(org3Pid, 'SIGKILL');
        await waitFor('the Org3 gateway to die', 40, 250, () =>
          Promise.resolve(!processAlive(org3Pid)),
        );

        const finished = async (id: string): Promise<FederationInfo> =>
          org1.getFederation(id, 'auditor');
        await waitFor(
          'both federations to finish',
          1200,
          500,
          async () =>
            (await finished(SECURE)).status === 'completed' &&
            (await finished(DP)).status === 'completed',
        );

        // --- Secure aggregation: round 3 completed with the survivors, and equals their plain FedAvg.
        const versions = (await org1.listModels(SECURE, 'auditor')).sort(
          (a, b) => a.version - b.version,
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          [0, 1, 2, 3, 4, 5],
        );
        for (const version of versions.slice(1)) {
          const expected =
            version.version <= 2 ? ['Org1MSP', 'Org2MSP', 'Org3MSP'] : ['Org1MSP', 'Org2MSP'];
          assert.deepEqual(
            version.contributors.map((c) => c.mspId),
            expected,
            `round ${version.version} contributors`,
          );
        }
        const set = await ledger1.getSubmitterSet(SECURE, 3);
        assert.deepEqual([set.submitters, set.dropped], [['Org1MSP', 'Org2MSP'], ['Org3MSP']]);
        assert.deepEqual(
          (await ledger2.listPairSeedReveals(SECURE, 3)).map((r) => Object.keys(r.seeds)),
          [['Org3MSP'], ['Org3MSP']],
          'each survivor revealed only its seed with the dropped org',
        );
        await rejectsWith(
          'ROUND_CLOSED',
          () =>
            ledger3.submitUpdate(
              {
                federationId: SECURE,
                round: 3,
                numSamples: 1,
                digest: sha256Hex('x'),
                metrics: {},
              },
              new TextEncoder().encode('x'),
            ),
          'a late round-3 update from the dropped org',
        );

        // Replay each survivor's round-3 training (deterministic: same data, seed, start model and backend).
        const federation = await ledger1.getFederation(SECURE);
        const start = await org1.downloadWeights(SECURE, 2);
        const locals: { numSamples: number; flat: Float32Array }[] = [];
        for (const msp of ['Org1MSP', 'Org2MSP']) {
          const root = join(stateRoot, msp);
          const training = new TrainingService(
            new DatasetsService({ dataDir: join(root, 'data'), stateDir: join(root, 'state') }),
          );
          try {
            const result = await training.train({
              jobId: `replay/${msp}`,
              federationId: SECURE,
              round: 3,
              topology: federation.modelSpec.topology,
              weights: start,
              datasetId: 'local',
              featureColumns: federation.featureColumns,
              labelColumn: federation.labelColumn,
              hyperParameters: federation.hyperParameters,
              seed: participationSeed(SECURE, 3, msp),
              ...(federation.featureScaling !== undefined
                ? { featureScaling: federation.featureScaling }
                : {}),
            });
            locals.push({ numSamples: result.numSamples, flat: decodeFlat(result.weights).flat });
          } finally {
            await training.onModuleDestroy();
          }
        }
        const updates3 = await ledger1.listUpdates(SECURE, 3);
        assert.deepEqual(
          updates3.map((u) => u.numSamples),
          locals.map((l) => l.numSamples),
          'the replay trained on the same number of samples',
        );
        const startFlat = decodeFlat(start).flat;
        const global3 = decodeFlat(await org2.downloadWeights(SECURE, 3)).flat;
        const totalSamples = locals.reduce((sum, l) => sum + l.numSamples, 0);
        // Fixed-point precision: each org's rounding is ≤ 0.5 / scale in sample-weighted units, plus one Float32 rounding.
        const tolerance = 1 / (FIXED_POINT.scale * totalSamples) + 1e-6;
        let worst = 0;
        for (let j = 0; j < global3.length; j++) {
          let sum = 0;
          for (const local of locals) sum += local.numSamples * (local.flat[j] - startFlat[j]);
          const plainFedAvg = startFlat[j] + sum / totalSamples;
          worst = Math.max(worst, Math.abs(global3[j] - plainFedAvg));
        }
        assert.ok(
          worst <= tolerance,
          `global model of round 3 differs from the survivors' plain FedAvg by ${worst} (tolerance ${tolerance})`,
        );

        // --- Trust table: a fellow participant sees only Org1's masked update; the auditor sees no weights.
        const stored = await ledger2.getStoredUpdate(SECURE, 3, 'Org1MSP');
        assert.equal(
          Buffer.from(stored.subarray(0, 4)).toString('latin1'),
          MASKED_MAGIC,
          'what the ledger holds is the masked form',
        );
        assert.throws(() => decodeFlat(stored), 'the stored bytes are not model weights');
        await rejectsWith(
          'FORBIDDEN',
          () => auditorLedger.getStoredUpdate(SECURE, 3, 'Org1MSP'),
          'the auditor reads an update',
        );
        await rejectsWith(
          'FORBIDDEN',
          () => auditorLedger.getGlobalWeights(SECURE, 3),
          'the auditor reads global weights',
        );
        await assert.rejects(
          auditorGateway.downloadWeights(SECURE, 3),
          (error: unknown) => error instanceof GatewayRequestError && error.status === 403,
        );

        // --- DP: three rounds, then PRIVACY_BUDGET_EXHAUSTED; the auditor sees budget and spend.
        const dp = await finished(DP);
        assert.equal(
          dp.currentRound,
          3,
          'the DP federation stopped after the rounds its budget paid for',
        );
        await rejectsWith(
          'PRIVACY_BUDGET_EXHAUSTED',
          () =>
            ledger1.submitUpdate(
              { federationId: DP, round: 4, numSamples: 1, digest: sha256Hex('x'), metrics: {} },
              new TextEncoder().encode('x'),
            ),
          'a round-4 update',
        );
        const budgetResponse = await fetch(
          `${consortium.auditor.baseUrl}/federations/${DP}/privacy`,
          { headers: { 'x-api-key': consortium.auditor.keys.auditor, ...cursor.headers() } },
        );
        assert.equal(budgetResponse.status, 200);
        const budget = (await budgetResponse.json()) as {
          roundsAllowed: number;
          spends: { round: number; epsilonSpent: number }[];
          epsilonSpent: number;
          epsilonRemaining: number;
        };
        assert.equal(budget.roundsAllowed, 3);
        assert.deepEqual(
          budget.spends.map((s) => s.round),
          [1, 2, 3],
        );
        assert.equal(budget.epsilonSpent, epsilonAfterRounds(3, NOISE_MULTIPLIER, DELTA).epsilon);
        assert.ok(
          budget.epsilonRemaining > 0 &&
            budget.epsilonRemaining <
              epsilonAfterRounds(4, NOISE_MULTIPLIER, DELTA).epsilon - budget.epsilonSpent,
        );
        // Org3 is a member of the consortium but not of the DP federation: it cannot read its updates.
        await rejectsWith(
          'FORBIDDEN',
          () => ledger3.getStoredUpdate(DP, 1, 'Org1MSP'),
          'a non-participant member reads an update',
        );
      },
    );
    await assertNothingLeftRunning(leftovers, defaultLayoutPorts());
  },
);
