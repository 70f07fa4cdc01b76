import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { dirname, join } from 'node:path';
import { createGatewayApp } from '../../app.factory';
import { ApiKeyStore } from '../../api/auth/api-key-store';
import { loadGatewayConfig } from '../../platform/config/gateway-config';
import { JsonLogger } from '../../platform/logging/json-logger';
import { federationBody, ok } from '../../testing/api-helpers';
import { startFakeFabric, type FakeFabric } from '../../testing/fake-fabric';
import { TxValidationCode } from '@fedledger/simulator/fabric-peer';

/** The whole gateway app in fabric mode, its ledger being the real Fabric client talking gRPC to the double. */
describe('gateway app in fabric mode against the fake Gateway peer', () => {
  let fabric: FakeFabric;
  let app: INestApplication;
  let keys: { admin: string; scientist: string };

  before(async () => {
    fabric = await startFakeFabric();
    // Configured from the environment exactly as main.ts does, with the connection file a network writes.
    const connectionFile = fabric.connectionFile('Org1MSP');
    const root = dirname(connectionFile);
    const config = loadGatewayConfig({
      FEDLEDGER_ORG_CONNECTION: connectionFile,
      FEDLEDGER_DATA_DIR: join(root, 'data'),
      FEDLEDGER_STATE_DIR: join(root, 'state'),
      FEDLEDGER_PARTICIPATION: 'false',
      FEDLEDGER_LOG_LEVEL: 'silent',
    });
    const store = new ApiKeyStore(config.apiKeysFile);
    keys = {
      admin: store.create('alice', 'admin').apiKey,
      scientist: store.create('sam', 'scientist').apiKey,
    };
    app = await createGatewayApp({ config, logger: new JsonLogger('silent', 'Org1MSP') });
    await app.listen(0, '127.0.0.1');
  });

  after(async () => {
    await app.close();
    fabric.stop();
  });

  const http = () => request(app.getHttpServer() as Parameters<typeof request>[0]);

  it('reports the ledger reachable and creates a federation over HTTP through gRPC', async () => {
    const health = ok<{ status: string; ledger: unknown }>(await http().get('/health'));
    assert.equal(health.status, 'ok');
    assert.deepEqual(health.ledger, { reachable: true, mode: 'fabric', error: null });

    const members = [
      { mspId: 'Org1MSP', role: 'member' },
      { mspId: 'Org2MSP', role: 'member' },
    ];
    ok(await http().post('/consortium/init').set('x-api-key', keys.admin).send({ members }), 201);
    const dataset = ok<{ featureColumns: string[]; labelColumn: string }>(
      await http()
        .post('/datasets/synthetic')
        .set('x-api-key', keys.scientist)
        .send({ id: 'ds', orgIndex: 0, orgCount: 2, rows: 60, mode: 'iid', seed: 11 }),
      201,
    );
    const created = ok<{ id: string; status: string }>(
      await http()
        .post('/federations')
        .set('x-api-key', keys.admin)
        .send(federationBody('fed-http', dataset.featureColumns, dataset.labelColumn, ['Org2MSP'])),
      201,
    );
    assert.deepEqual([created.id, created.status], ['fed-http', 'pending']);
    const read = ok<{ id: string; creatorMsp: string }>(
      await http().get('/federations/fed-http').set('x-api-key', keys.scientist),
    );
    assert.equal(read.creatorMsp, 'Org1MSP');
    const committed = fabric.peer.calls
      .filter((call) => call.method === 'Submit')
      .map((call) => call.fcn);
    assert.deepEqual(committed, ['consortium:InitConsortium', 'federation:CreateFederation']);
  });

  it('retries a submit that fails validation with an MVCC conflict and counts it on /metrics', async () => {
    const dataset = ok<{ featureColumns: string[]; labelColumn: string }>(
      await http().get('/datasets/ds').set('x-api-key', keys.scientist),
    );
    fabric.peer.channel.injectValidationCode(TxValidationCode.MVCC_READ_CONFLICT, 1);
    ok(
      await http()
        .post('/federations')
        .set('x-api-key', keys.admin)
        .send(
          federationBody('fed-retried', dataset.featureColumns, dataset.labelColumn, ['Org2MSP']),
        ),
      201,
    );
    const metrics = (await http().get('/metrics')).text;
    assert.match(
      metrics,
      /^fedledger_ledger_conflict_retries_total\{transaction="CreateFederation",status="MVCC_READ_CONFLICT"\} 1$/m,
    );
  });

  it('with participation on, listens to chaincode events over gRPC and stops the stream on shutdown', async () => {
    const streamsBefore = fabric.peer.openEventStreams;
    const participant = await createGatewayApp({
      config: fabric.config('Org2MSP', { participation: true }),
      logger: new JsonLogger('silent', 'Org2MSP'),
    });
    await participant.init();
    try {
      await fabric.peer.until(() => fabric.peer.openEventStreams === streamsBefore + 1);
    } finally {
      await participant.close();
    }
    await fabric.peer.until(() => fabric.peer.openEventStreams === streamsBefore);
  });
});
