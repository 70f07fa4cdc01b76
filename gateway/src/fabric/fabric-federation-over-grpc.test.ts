import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { EVENT, sha256Hex } from '@fedledger/core';
import { createGatewayApp } from '../app.factory';
import { ApiKeyStore } from '../auth/api-key-store';
import { loadGatewayConfig } from '../config/gateway-config';
import { JsonLogger } from '../logging/json-logger';
import { federationBody, initConsortium, ok, registerSynthetic } from '../testing/api-helpers';
import type { TestGateway } from '../testing/test-gateway';
import { startFakeFabric, type FakeFabric } from './testing/fake-fabric';
import { TxValidationCode } from './testing/fake-gateway-peer';

const FEDERATION = 'fed-grpc-auto';

/** One org's gateway app in fabric mode, configured from the environment, participation on. */
async function startFabricGateway(fabric: FakeFabric, mspId: string): Promise<TestGateway> {
  const connectionFile = fabric.connectionFile(mspId);
  const root = dirname(connectionFile);
  const config = loadGatewayConfig({
    FEDLEDGER_ORG_CONNECTION: connectionFile,
    FEDLEDGER_DATA_DIR: join(root, 'data'),
    FEDLEDGER_STATE_DIR: join(root, 'state'),
    FEDLEDGER_PARTICIPATION: 'true',
    FEDLEDGER_LOG_LEVEL: 'silent',
  });
  const store = new ApiKeyStore(config.apiKeysFile);
  const keys = { admin: store.create('alice', 'admin').apiKey, scientist: store.create('sam', 'scientist').apiKey, auditor: store.create('ada', 'auditor').apiKey };
  const app = await createGatewayApp({ config, logger: new JsonLogger('silent', mspId) });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  return { mspId, app, config, keys, root, http: () => request(server), close: () => app.close() };
}

/**
 * Two org gateways in fabric mode, each with its own gRPC connection to the double, run a federation
 * driven only by chaincode events: RoundOpened → local training → SubmitUpdate with transient
 * weights → Aggregate → RoundAggregated → evaluation, for two rounds.
 */
describe('an event-driven federation between two fabric-mode gateways over gRPC', () => {
  let fabric: FakeFabric;
  let org1: TestGateway;
  let org2: TestGateway;

  before(async () => {
    fabric = await startFakeFabric();
    org1 = await startFabricGateway(fabric, 'Org1MSP');
    org2 = await startFabricGateway(fabric, 'Org2MSP');
    await initConsortium([org1, org2], ['AuditorMSP']);
  });

  after(async () => {
    await org1.close();
    await org2.close();
    fabric.stop();
  });

  it('trains, aggregates and evaluates two rounds from ledger events alone', { timeout: 60_000 }, async () => {
    const dataset = await registerSynthetic(org1, 'local', 0, 2);
    await registerSynthetic(org2, 'local', 1, 2);
    ok(await org1.http().post('/federations').set('x-api-key', org1.keys.admin).send({ ...federationBody(FEDERATION, dataset.featureColumns, dataset.labelColumn, ['Org2MSP']), datasetId: 'local' }), 201);
    ok(await org2.http().post(`/federations/${FEDERATION}/accept`).set('x-api-key', org2.keys.admin).send({ datasetId: 'local' }));
    ok(await org1.http().post(`/federations/${FEDERATION}/start`).set('x-api-key', org1.keys.admin).send({}));

    // Two rounds, each evaluated by both orgs: four EvaluationRecorded events committed.
    const evaluations = () => fabric.peer.channel.blocks.filter((block) => block.event?.eventName === EVENT.EvaluationRecorded).length;
    await fabric.peer.until(() => evaluations() === 4);

    const federation = ok<{ status: string; currentRound: number }>(await org2.http().get(`/federations/${FEDERATION}`).set('x-api-key', org2.keys.auditor));
    assert.deepEqual([federation.status, federation.currentRound], ['completed', 2]);
    const versions = ok<Array<{ version: number; modelHash: string; contributors: Array<{ mspId: string; accepted: boolean }> }>>(
      await org1.http().get(`/federations/${FEDERATION}/models`).set('x-api-key', org1.keys.scientist),
    );
    assert.deepEqual(versions.map((version) => version.version), [0, 1, 2]);
    for (const version of versions.slice(1)) {
      assert.deepEqual(version.contributors.map((contribution) => [contribution.mspId, contribution.accepted]), [['Org1MSP', true], ['Org2MSP', true]]);
    }
    const response = await org2.http().get(`/federations/${FEDERATION}/models/2/weights.flw1`).set('x-api-key', org2.keys.scientist).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    assert.equal(sha256Hex(new Uint8Array(ok<Buffer>(response))), versions[2]?.modelHash);
    // Both orgs may race to aggregate: the loser's read conflict is retried, then refused by the
    // chaincode (round closed). Nothing else may fail to commit.
    const fcnOf = new Map(fabric.peer.calls.filter((call) => call.method === 'Endorse').map((call) => [call.txId, call.fcn]));
    const failed = fabric.peer.channel.blocks.filter((block) => block.validationCode !== TxValidationCode.VALID);
    for (const block of failed) {
      assert.equal(fcnOf.get(block.txId), 'round:Aggregate');
      assert.ok(block.validationCode === TxValidationCode.MVCC_READ_CONFLICT || block.validationCode === TxValidationCode.PHANTOM_READ_CONFLICT, String(block.validationCode));
    }
    // Each of those conflicts was retried by the gateway that sent it, and counted on its /metrics.
    let retried = 0;
    for (const gateway of [org1, org2]) {
      const metrics = (await gateway.http().get('/metrics')).text;
      for (const match of metrics.matchAll(/^fedledger_ledger_conflict_retries_total\{transaction="Aggregate",status="(?:MVCC|PHANTOM)_READ_CONFLICT"\} (\d+)$/gm)) {
        retried += Number(match[1]);
      }
    }
    assert.equal(retried, failed.length);
  });
});
