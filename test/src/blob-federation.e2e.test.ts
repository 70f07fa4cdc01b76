import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import {
  buildDemoData,
  collectRoundMetrics,
  ensureConsortium,
  GatewayClient,
  LedgerCursor,
  runFederation,
} from '@fedledger/demo';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const FEDERATION = 'e2e-blob-federation';
const ROUNDS = 2;
const HOSPITALS = ['Org1MSP', 'Org2MSP', 'Org3MSP'] as const;

test(
  'blob-path federation over Fabric with gateway processes: chosen by size, trained by events, attested by a majority, every download matches the ledger',
  { timeout: 45 * 60_000 },
  async () => {
    // Every hospital gateway of the testbed serves blobs; a threshold of 1 parameter puts this small model on the blob path.
    const leftovers = await withFabricTestbed(
      'e2e-blob',
      { backend: true, gatewayEnv: { FEDLEDGER_BLOB_MIN_PARAMS: '1' } },
      async ({ consortium }) => {
        const cursor = new LedgerCursor();
        const hospitals = consortium.hospitals.map(
          (endpoint) => new GatewayClient(endpoint, cursor),
        );
        await ensureConsortium(
          hospitals[0],
          hospitals.map((g) => g.mspId),
        );
        const data = buildDemoData({ rows: 600, alpha: 1, seed: 7, testRows: 600, hospitals: 3 });
        for (const [index, gateway] of hospitals.entries()) {
          await gateway.registerSynthetic({
            id: 'local',
            orgIndex: index,
            orgCount: 3,
            rows: 600,
            mode: 'dirichlet',
            alpha: 1,
            seed: 7,
          });
        }
        const outcome = await runFederation(
          hospitals,
          {
            federationId: FEDERATION,
            datasetId: 'local',
            rounds: ROUNDS,
            model: { preset: 'mlp', hiddenUnits: [16], seed: 7 },
            name: 'e2e blob federation',
            description: 'blob path end to end',
            hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 },
            strategy: { name: 'fedavg' },
            roundTimeoutMs: 10 * 60_000,
          },
          data,
          () => undefined,
        );
        assert.equal(outcome.federation.status, 'completed');
        assert.equal(outcome.federation.weightsPath, 'blob');
        const versions = (await hospitals[1].listModels(FEDERATION)).sort(
          (a, b) => a.version - b.version,
        );
        assert.deepEqual(
          versions.map((v) => v.version),
          [0, 1, 2],
        );
        assert.deepEqual(versions[0]?.servedBy, ['Org1MSP']);
        for (const version of versions.slice(1)) {
          assert.ok(
            (version.servedBy ?? []).length >= 2,
            `version ${version.version} accepted on a majority of attestations: ${JSON.stringify(version.servedBy)}`,
          );
          assert.deepEqual(
            version.contributors.map((c) => c.mspId),
            [...HOSPITALS],
          );
        }
        for (const gateway of hospitals) {
          for (const version of versions)
            assert.equal(
              sha256Hex(await gateway.downloadWeights(FEDERATION, version.version)),
              version.modelHash,
              `${gateway.mspId}'s download of version ${version.version}`,
            );
        }
        for (let round = 1; round <= ROUNDS; round++) {
          const updates = await hospitals[2].listUpdates(FEDERATION, round, 'scientist');
          assert.deepEqual(
            updates.map((u) => [u.mspId, u.servedBy]),
            HOSPITALS.map((msp) => [msp, msp]),
            `round ${round}: digests only, each served by its submitter`,
          );
        }
        // ADR 0030: round 2 trained from each org's own round-1 aggregate while the ledger accepted
        // it; every org aggregated the same three updates, so none had to train again.
        const { trainedAhead } = await collectRoundMetrics(hospitals);
        assert.ok(
          trainedAhead.used >= 2,
          `a majority of orgs used the round-2 training started ahead: ${JSON.stringify(trainedAhead)}`,
        );
        assert.equal(trainedAhead.discarded, 0);
        const final = outcome.rounds.at(ROUNDS - 1);
        assert.ok(
          final !== undefined && final.score.accuracy > outcome.initialScore.accuracy,
          `accuracy ${final?.score.accuracy} after round ${ROUNDS} vs ${outcome.initialScore.accuracy} at round 0`,
        );
      },
    );
    await assertNothingLeftRunning(leftovers);
  },
);
