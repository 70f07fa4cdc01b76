import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import { buildDemoData, ensureConsortium, GatewayClient, type GatewayEndpoint, LedgerCursor, type ModelVersionInfo, runFederation, startOrgGateway, Teardown, withNetworkLock } from '@fedledger/demo';
import { initBackend } from '@fedledger/gateway/training';
import { requireFabricTools } from './support/fabric-tools';
import { CONNECTIONS_DIR, NETWORK_STATE_DIR, networkSh, processAlive, recordedPids } from './support/network';

const FEDERATION = 'e2e-blob-federation';
const ROUNDS = 2;
const HOSPITALS = ['Org1MSP', 'Org2MSP', 'Org3MSP'] as const;
const BLOB_ENV = ['FEDLEDGER_BLOB_LISTEN', 'FEDLEDGER_BLOB_ENDPOINTS', 'FEDLEDGER_BLOB_MIN_PARAMS'] as const;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('blob-path federation over Fabric with gateway processes: chosen by size, trained by events, attested by a majority, every download matches the ledger', { timeout: 45 * 60_000 }, async () => {
  await requireFabricTools();
  await initBackend();
  await withNetworkLock(async () => {
    assert.equal(existsSync(NETWORK_STATE_DIR), false, `${NETWORK_STATE_DIR} exists: another network is up (or was not taken down)`);
    const teardown = new Teardown(() => undefined);
    const stateRoot = mkdtempSync(join(tmpdir(), 'fedledger-e2e-blob-'));
    teardown.add('e2e gateway state', async () => rmSync(stateRoot, { recursive: true, force: true }));
    teardown.add('the Fabric network', async () => {
      await networkSh(['down'], { allowFailure: true });
    });
    let networkPids: number[] = [];
    try {
      await networkSh(['up']);
      await networkSh(['deployCC']);
      networkPids = recordedPids();
      // Each hospital's gateway serves blobs on its own port; every model takes the blob path (threshold 1 parameter).
      const ports = await Promise.all(HOSPITALS.map(() => freePort()));
      const endpoints = HOSPITALS.map((mspId, k) => `${mspId}=https://127.0.0.1:${ports[k]}`).join(',');
      const started: GatewayEndpoint[] = [];
      mkdirSync(join(stateRoot, 'logs'), { recursive: true });
      for (const [k, mspId] of HOSPITALS.entries()) {
        // The gateway process inherits the environment when it is spawned.
        process.env['FEDLEDGER_BLOB_LISTEN'] = `127.0.0.1:${ports[k]}`;
        process.env['FEDLEDGER_BLOB_ENDPOINTS'] = endpoints;
        process.env['FEDLEDGER_BLOB_MIN_PARAMS'] = '1';
        try {
          started.push(await startOrgGateway({ mspId, connectionFile: join(CONNECTIONS_DIR, `org${k + 1}.json`), stateRoot, logDir: join(stateRoot, 'logs'), participation: true, teardown }));
        } finally {
          for (const name of BLOB_ENV) delete process.env[name];
        }
      }
      const cursor = new LedgerCursor();
      const hospitals = started.map((endpoint) => new GatewayClient(endpoint, cursor));
      await ensureConsortium(hospitals[0] as GatewayClient, hospitals.map((g) => g.mspId));
      const data = buildDemoData({ rows: 600, alpha: 1, seed: 7, testRows: 600, hospitals: 3 });
      for (const [index, gateway] of hospitals.entries()) {
        await gateway.registerSynthetic({ id: 'local', orgIndex: index, orgCount: 3, rows: 600, mode: 'dirichlet', alpha: 1, seed: 7 });
      }
      const outcome = await runFederation(
        hospitals,
        { federationId: FEDERATION, datasetId: 'local', rounds: ROUNDS, model: { preset: 'mlp', hiddenUnits: [16], seed: 7 }, name: 'e2e blob federation', description: 'blob path end to end', hyperParameters: { epochs: 2, batchSize: 32, learningRate: 0.01 }, strategy: { name: 'fedavg' }, roundTimeoutMs: 10 * 60_000 },
        data,
        () => undefined,
      );
      assert.equal(outcome.federation.status, 'completed');
      assert.equal((outcome.federation as unknown as { weightsPath?: string }).weightsPath, 'blob');
      const versions = (await (hospitals[1] as GatewayClient).listModels(FEDERATION)).sort((a, b) => a.version - b.version) as Array<ModelVersionInfo & { servedBy?: string[] }>;
      assert.deepEqual(versions.map((v) => v.version), [0, 1, 2]);
      assert.deepEqual(versions[0]?.servedBy, ['Org1MSP']);
      for (const version of versions.slice(1)) {
        assert.ok((version.servedBy ?? []).length >= 2, `version ${version.version} accepted on a majority of attestations: ${JSON.stringify(version.servedBy)}`);
        assert.deepEqual(version.contributors.map((c) => c.mspId), [...HOSPITALS]);
      }
      for (const gateway of hospitals) {
        for (const version of versions) assert.equal(sha256Hex(await gateway.downloadWeights(FEDERATION, version.version)), version.modelHash, `${gateway.mspId}'s download of version ${version.version}`);
      }
      for (let round = 1; round <= ROUNDS; round++) {
        const updates = (await (hospitals[2] as GatewayClient).listUpdates(FEDERATION, round, 'scientist')) as Array<{ mspId: string; servedBy?: string }>;
        assert.deepEqual(updates.map((u) => [u.mspId, u.servedBy]), HOSPITALS.map((msp) => [msp, msp]), `round ${round}: digests only, each served by its submitter`);
      }
      const final = outcome.rounds[ROUNDS - 1];
      assert.ok(final !== undefined && final.score.accuracy > outcome.initialScore.accuracy, `accuracy ${final?.score.accuracy} after round ${ROUNDS} vs ${outcome.initialScore.accuracy} at round 0`);
    } finally {
      await teardown.run();
    }
    assert.deepEqual(networkPids.filter(processAlive), [], 'network processes still run after the teardown');
  });
});
