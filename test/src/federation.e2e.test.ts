import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import {
  buildDemoData,
  ensureConsortium,
  GatewayClient,
  GatewayRequestError,
  LedgerCursor,
  runFederation,
} from '@fedledger/demo';
import { defaultLayoutPorts } from './support/network';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const FEDERATION = 'e2e-federation';
const ROUNDS = 3;

test(
  'federation over Fabric: 3 orgs, 3 rounds, ledger hashes match every gateway’s download, accuracy improves, the auditor sees every step, contributions and rewards are settled and identical on every peer',
  { timeout: 60 * 60_000 },
  async () => {
    const leftovers = await withFabricTestbed(
      'e2e-federation',
      { backend: true },
      async ({ consortium }) => {
        const cursor = new LedgerCursor();
        const hospitals = consortium.hospitals.map(
          (endpoint) => new GatewayClient(endpoint, cursor),
        );
        const auditor = new GatewayClient(consortium.auditor, cursor);
        assert.equal(
          await ensureConsortium(
            hospitals[0],
            hospitals.map((g) => g.mspId),
          ),
          false,
          'deployCC initialises the consortium',
        );

        const data = buildDemoData({ rows: 900, alpha: 1, seed: 5, testRows: 1000, hospitals: 3 });
        for (const [index, gateway] of hospitals.entries()) {
          const dataset = await gateway.registerSynthetic({
            id: 'local',
            orgIndex: index,
            orgCount: 3,
            rows: 900,
            mode: 'dirichlet',
            alpha: 1,
            seed: 5,
          });
          assert.equal(dataset.fileSha256, data.hospitals[index]?.fileSha256);
        }
        const outcome = await runFederation(
          hospitals,
          {
            federationId: FEDERATION,
            datasetId: 'local',
            rounds: ROUNDS,
            model: { preset: 'mlp', hiddenUnits: [16], seed: 5 },
            name: 'e2e federation',
            description: 'end-to-end test',
            hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 },
            strategy: { name: 'fedavg' },
            roundTimeoutMs: 10 * 60_000,
            incentives: { creditsPerRound: 100 },
          },
          data,
          () => undefined,
        );

        assert.equal(outcome.federation.status, 'completed');
        // Every write answered with the block it committed in, and the client carried it to the next gateway.
        assert.match(
          cursor.headers()['x-ledger-min-block'] ?? '',
          /^\d+$/,
          'no gateway reported the block of a write (x-ledger-block)',
        );
        const versions = (await auditor.listModels(FEDERATION, 'auditor')).sort(
          (a, b) => a.version - b.version,
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          [0, 1, 2, 3],
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
          assert.equal(version.parentHash, versions[version.version - 1]?.modelHash);
          for (const gateway of hospitals) {
            assert.equal(
              sha256Hex(await gateway.downloadWeights(FEDERATION, version.version)),
              version.modelHash,
              `${gateway.mspId}'s download of version ${version.version}`,
            );
          }
        }
        const final = outcome.rounds.at(ROUNDS - 1);
        assert.ok(
          final !== undefined && final.score.accuracy > outcome.initialScore.accuracy,
          `accuracy ${final?.score.accuracy} after round ${ROUNDS} vs ${outcome.initialScore.accuracy} at round 0`,
        );

        const timeline = await auditor.timeline(FEDERATION, 'auditor');
        const byTx = new Map(timeline.map((entry) => [entry.txId, entry.action]));
        for (let round = 1; round <= ROUNDS; round++) {
          const updates = await auditor.listUpdates(FEDERATION, round, 'auditor');
          assert.deepEqual(updates.map((u) => u.mspId).sort(), ['Org1MSP', 'Org2MSP', 'Org3MSP']);
          for (const update of updates)
            assert.equal(
              byTx.get(update.txId),
              'SubmitUpdate',
              `timeline lists ${update.mspId}'s round ${round} submission`,
            );
        }
        for (const version of versions.slice(1))
          assert.equal(
            byTx.get(version.txId),
            'Aggregate',
            `timeline lists the aggregation of round ${version.round}`,
          );

        // Issue 3 on the real network: concurrent submissions never conflict, and the auditor never gets weights.
        for (const gateway of hospitals) {
          assert.doesNotMatch(
            await gateway.metrics(),
            /^fedledger_ledger_conflict_retries_total\{transaction="SubmitUpdate"/m,
            `${gateway.mspId} had to retry a conflicting SubmitUpdate`,
          );
        }
        await assert.rejects(
          auditor.downloadWeights(FEDERATION, ROUNDS),
          (error: unknown) =>
            error instanceof GatewayRequestError &&
            error.status === 403 &&
            error.code === 'FORBIDDEN',
        );

        // Issue 13: every round scored by all three orgs and settled; each gateway reads its own org's peer, and all agree.
        const deadline = Date.now() + 5 * 60_000;
        while (
          (await auditor.listContributions(FEDERATION)).length < ROUNDS &&
          Date.now() < deadline
        )
          await new Promise((resolve) => setTimeout(resolve, 500));
        const reports = await auditor.listContributions(FEDERATION);
        if (reports.length < ROUNDS) {
          // Say why: what each round waits for, and each org's own attempts and last error.
          const why = [];
          for (let round = 1; round <= ROUNDS; round++)
            if (!reports.some((r) => r.round === round))
              for (const gateway of hospitals)
                why.push({
                  org: gateway.mspId,
                  ...(await gateway.settlementStatus(FEDERATION, round, 'scientist')),
                });
          assert.fail(`rounds not settled after 5 minutes: ${JSON.stringify(why)}`);
        }
        assert.deepEqual(
          reports.map((r) => r.round),
          [1, 2, 3],
          'every round settled',
        );
        const actions = new Map(
          (await auditor.timeline(FEDERATION, 'auditor')).map((entry) => [
            entry.txId,
            entry.action,
          ]),
        );
        for (const report of reports) {
          assert.deepEqual(report.recorders, ['Org1MSP', 'Org2MSP', 'Org3MSP']);
          assert.equal(report.method, 'exact');
          assert.equal(
            actions.get(report.txId),
            'SettleContributions',
            `timeline lists the settlement of round ${report.round}`,
          );
          assert.equal(
            report.creditsAllocated,
            report.contributions.some((c) => c.shapley > 0 && c.cosineToAggregate > 0) ? 100 : 0,
          );
        }
        const lastStatus = await auditor.settlementStatus(FEDERATION, ROUNDS);
        assert.equal(lastStatus['settled'], true);
        assert.equal(lastStatus['txId'], reports.at(-1)?.txId);
        assert.deepEqual(lastStatus['missing'], []);
        const balances = await auditor.rewardBalances(FEDERATION);
        for (const gateway of hospitals) {
          assert.deepEqual(
            await gateway.listContributions(FEDERATION, 'scientist'),
            reports,
            `${gateway.mspId}'s peer has the same contributions`,
          );
          assert.deepEqual(
            await gateway.rewardBalances(FEDERATION, 'scientist'),
            balances,
            `${gateway.mspId}'s peer has the same balances`,
          );
        }
        const earned = (msp: string): number =>
          reports.reduce(
            (sum, r) => sum + (r.contributions.find((c) => c.mspId === msp)?.credits ?? 0),
            0,
          );
        assert.deepEqual(
          balances.map((b) => [b.mspId, b.credits]),
          ['Org1MSP', 'Org2MSP', 'Org3MSP'].map((msp) => [msp, earned(msp)]),
        );
      },
    );
    await assertNothingLeftRunning(leftovers, defaultLayoutPorts());
  },
);
