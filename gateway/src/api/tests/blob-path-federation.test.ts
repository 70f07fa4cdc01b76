import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import type { BlobPathConfig } from '../../platform/config/gateway-config';
import {
  downloadModelWeights,
  federationBody,
  initConsortium,
  ok,
  registerSynthetic,
  settleUntil,
  acceptAndStart,
} from '../../testing/api-helpers';
import { testPki } from '../../testing/test-pki';
import { startTestGateway, type TestGateway } from '../../testing/test-gateway';
import { InProcessWorld } from '../../testing/world';

const FEDERATION = 'fed-blob';
const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP'] as const;
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Each org's blob settings: the test PKI on disk, a free port, every org's endpoint; the blob path from 1 parameter. */
async function blobConfigs(): Promise<Record<string, BlobPathConfig>> {
  const pki = testPki([...ORGS, 'AuditorMSP']);
  const dir = mkdtempSync(join(tmpdir(), 'fedledger-blob-pki-'));
  const ports = Object.fromEntries(
    await Promise.all(ORGS.map(async (org) => [org, await freePort()] as const)),
  );
  const endpoints = Object.fromEntries(ORGS.map((org) => [org, `https://127.0.0.1:${ports[org]}`]));
  const configs: Record<string, BlobPathConfig> = {};
  for (const org of ORGS) {
    const material = pki.material(org);
    const caPaths: Record<string, string> = {};
    for (const [mspId, pem] of material.orgCas) {
      caPaths[mspId] = join(dir, `${mspId}-ca.pem`);
      writeFileSync(caPaths[mspId], pem);
    }
    writeFileSync(join(dir, `${org}.pem`), material.cert);
    writeFileSync(join(dir, `${org}.key`), material.key);
    configs[org] = {
      listenHost: '127.0.0.1',
      listenPort: ports[org],
      endpoints,
      certPath: join(dir, `${org}.pem`),
      keyPath: join(dir, `${org}.key`),
      caPaths,
      minParams: 1,
      timeoutMs: 10_000,
    };
  }
  return configs;
}

/** What a finished run leaves to compare: the model versions' hashes and each org's /metrics. */
interface RunOutcome {
  modelHashes: string[];
  metrics: string[];
}

describe('three org gateways run a blob-path federation driven only by ledger events', () => {
  const outcomes = new Map<boolean, RunOutcome>();

  for (const trainAhead of [true, false])
    it(`picks the blob path by size, trains two rounds, attests and accepts by majority; every org serves the ledger’s model (training ahead ${trainAhead ? 'on' : 'off'})`, async () => {
      const world = new InProcessWorld();
      const configs = await blobConfigs();
      const gateways: TestGateway[] = [];
      try {
        for (const org of ORGS)
          gateways.push(
            await startTestGateway(world, org, {
              participation: true,
              blob: configs[org],
              trainAhead,
            }),
          );
        await initConsortium(gateways, ['AuditorMSP']);
        outcomes.set(trainAhead, await runBlobFederation(world, gateways));
      } finally {
        for (const gateway of gateways) await gateway.close();
      }
    });

  it('trains ahead from its own aggregate the same models as after the acceptance (ADR 0030)', () => {
    const ahead = outcomes.get(true);
    const after = outcomes.get(false);
    assert.ok(ahead !== undefined && after !== undefined, 'both runs finished');
    assert.deepEqual(ahead.modelHashes, after.modelHashes);
    const total = (texts: string[], series: string): number =>
      texts.reduce((sum, text) => {
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return sum + (line === undefined ? 0 : Number(line.split(' ')[1]));
      }, 0);
    // Round 2 started from the round-1 model each org computed; a majority computed the accepted one.
    assert.ok(
      total(ahead.metrics, 'fedledger_trained_ahead_total{outcome="used"}') >= 2,
      'a majority of orgs used the training they started ahead',
    );
    assert.equal(total(ahead.metrics, 'fedledger_trained_ahead_total{outcome="discarded"}'), 0);
    assert.equal(total(after.metrics, 'fedledger_trained_ahead_total{outcome="used"}'), 0);
    for (const outcome of [ahead, after])
      assert.ok(
        total(outcome.metrics, 'fedledger_round_turnaround_seconds_count') >= 3,
        'every org timed the turnaround into round 2',
      );
  });
});

async function runBlobFederation(
  world: InProcessWorld,
  gateways: readonly TestGateway[],
): Promise<RunOutcome> {
  const [org1, org2, org3] = gateways as [TestGateway, TestGateway, TestGateway];
  const dataset = await registerSynthetic(org1, 'local', 0, 3);
  await registerSynthetic(org2, 'local', 1, 3);
  await registerSynthetic(org3, 'local', 2, 3);
  const created = ok<{ weightsPath: string; initialBlob?: { digest: string } }>(
    await org1
      .http()
      .post('/federations')
      .set('x-api-key', org1.keys.admin)
      .send({
        ...federationBody(FEDERATION, dataset.featureColumns, dataset.labelColumn, [
          'Org2MSP',
          'Org3MSP',
        ]),
        datasetId: 'local',
      }),
    201,
  );
  assert.equal(created.weightsPath, 'blob');
  await acceptAndStart(org1, [org2, org3], FEDERATION);
  // The blob-path federation completes.
  await settleUntil(
    world,
    async () =>
      ok<{ status: string }>(
        await org3.http().get(`/federations/${FEDERATION}`).set('x-api-key', org3.keys.auditor),
      ).status === 'completed',
  );
  const versions = ok<
    Array<{
      version: number;
      modelHash: string;
      servedBy?: string[];
      contributors: Array<{ mspId: string }>;
    }>
  >(await org1.http().get(`/federations/${FEDERATION}/models`).set('x-api-key', org1.keys.auditor));
  assert.deepEqual(
    versions.map((v) => v.version),
    [0, 1, 2],
  );
  assert.deepEqual(versions[0]?.servedBy, ['Org1MSP']);
  for (const version of versions.slice(1)) {
    assert.ok(
      (version.servedBy ?? []).length >= 2,
      `version ${version.version} was attested by a majority`,
    );
    assert.deepEqual(
      version.contributors.map((c) => c.mspId),
      [...ORGS],
    );
  }
  for (const round of [1, 2]) {
    const updates = ok<Array<{ mspId: string; servedBy?: string }>>(
      await org2
        .http()
        .get(`/federations/${FEDERATION}/rounds/${round}/updates`)
        .set('x-api-key', org2.keys.auditor),
    );
    assert.deepEqual(
      updates.map((u) => u.servedBy),
      [...ORGS],
    );
  }
  for (const gateway of gateways) {
    for (const version of versions)
      assert.equal(
        sha256Hex(await downloadModelWeights(gateway, FEDERATION, version.version)),
        version.modelHash,
        `${gateway.mspId} version ${version.version}`,
      );
  }
  return {
    modelHashes: versions.map((v) => v.modelHash),
    metrics: await Promise.all(gateways.map(async (g) => (await g.http().get('/metrics')).text)),
  };
}
