import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertError, federationBody, ok, registerSynthetic } from '../../testing/api-helpers';
import { TrainingService } from '../../ml/training/training.service';
import { type ConsortiumFixture, startConsortium } from './consortium-fixture';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a binary response body as a Buffer. */
function binary(response: unknown, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = response as IncomingMessage;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => {
    callback(null, Buffer.concat(chunks));
  });
}

describe('gateway endpoints (three org gateways, in-process ledger)', () => {
  let fx: ConsortiumFixture;
  let columns: { featureColumns: string[]; labelColumn: string };

  before(async () => {
    fx = await startConsortium();
    columns = await registerSynthetic(fx.org1, 'syn', 0, 3, 90);
    await registerSynthetic(fx.org2, 'syn', 1, 3, 90);
  });
  after(async () => fx.close());

  it('health reports org, version, tf backend and a reachable ledger without a key', async () => {
    const health = ok<{
      status: string;
      org: string;
      version: string;
      tfBackend: string;
      dataDir: string;
      ledger: { reachable: boolean; mode: string };
    }>(await fx.org1.http().get('/health'));
    assert.equal(health.status, 'ok');
    assert.equal(health.org, 'Org1MSP');
    assert.equal(health.version, '0.1.0');
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(health.tfBackend));
    assert.ok(health.dataDir.endsWith('/data') && health.dataDir.startsWith('/'), health.dataDir);
    assert.deepEqual(health.ledger, { reachable: true, mode: 'in-process', error: null });
    assert.deepEqual(ok(await fx.org1.http().get('/health/live')), { status: 'ok' });
  });

  it('serves Prometheus metrics with ledger latency by transaction and errors by code', async () => {
    assertError(
      await fx.org1.http().get('/federations/none').set('x-api-key', fx.org1.keys.admin),
      404,
      'NOT_FOUND',
    );
    const response = await fx.org1.http().get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/plain/);
    assert.match(
      response.text,
      /fedledger_ledger_tx_seconds_bucket\{le="[^"]+",transaction="initConsortium",outcome="ok"\}/,
    );
    assert.match(response.text, /^fedledger_errors_total\{code="NOT_FOUND",source="http"\} 1$/m);
    assert.match(response.text, /^fedledger_errors_total\{code="NOT_FOUND",source="ledger"\} 1$/m);
    assert.match(response.text, /# TYPE fedledger_rounds_participated_total counter/);
    assert.match(response.text, /# TYPE fedledger_training_seconds histogram/);
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const spec = ok<{ openapi: string; paths: Record<string, unknown> }>(
      await fx.org1.http().get('/api-json'),
    );
    assert.match(spec.openapi, /^3\./);
    assert.ok('/federations/{id}/models/{version}/predictions' in spec.paths);
    const ui = await fx.org1.http().get('/api/');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });

  it('reads the consortium with any role and accepts Authorization: Bearer', async () => {
    const consortium = ok<{ members: Array<{ mspId: string; role: string }> }>(
      await fx.org2
        .http()
        .get('/consortium')
        .set('authorization', `Bearer ${fx.org2.keys.auditor}`),
    );
    assert.deepEqual(consortium.members.map((member) => `${member.mspId}:${member.role}`).sort(), [
      'AuditorMSP:auditor',
      'Org1MSP:member',
      'Org2MSP:member',
      'Org3MSP:member',
    ]);
  });

  it('registers, lists and gets datasets (CSV and synthetic)', async () => {
    mkdirSync(fx.org3.config.dataDir, { recursive: true });
    const header = [...columns.featureColumns, columns.labelColumn].join(',');
    const rows = Array.from({ length: 20 }, (_, i) =>
      [...columns.featureColumns.map((_, j) => (i * 7 + j) % 11), i % 2].join(','),
    );
    writeFileSync(join(fx.org3.config.dataDir, 'local.csv'), `${header}\n${rows.join('\n')}\n`);
    const registered = ok<{
      id: string;
      source: string;
      numRows: number;
      featureColumns: string[];
    }>(
      await fx.org3.http().post('/datasets').set('x-api-key', fx.org3.keys.admin).send({
        id: 'csv-1',
        path: 'local.csv',
        labelColumn: columns.labelColumn,
        validationFraction: 0.25,
        seed: 1,
      }),
      201,
    );
    assert.equal(registered.source, 'csv');
    assert.equal(registered.numRows, 20);
    assert.deepEqual(registered.featureColumns, columns.featureColumns);
    const list = ok<Array<{ id: string }>>(
      await fx.org3.http().get('/datasets').set('x-api-key', fx.org3.keys.scientist),
    );
    assert.deepEqual(
      list.map((dataset) => dataset.id),
      ['csv-1'],
    );
    const synthetic = ok<{ id: string; source: string; synthetic: { orgIndex: number } }>(
      await fx.org1.http().get('/datasets/syn').set('x-api-key', fx.org1.keys.scientist),
    );
    assert.equal(synthetic.source, 'synthetic');
    assert.equal(synthetic.synthetic.orgIndex, 0);
  });

  it('creates, accepts, starts and reports a federation; lists rounds, updates and models', async () => {
    const created = ok<{
      id: string;
      status: string;
      participants: string[];
      modelSpec: { topologyHash: string; topology: string };
    }>(
      await fx.org1
        .http()
        .post('/federations')
        .set('x-api-key', fx.org1.keys.admin)
        .send({
          ...federationBody('fed-a', columns.featureColumns, columns.labelColumn, ['Org2MSP']),
          datasetId: 'syn',
        }),
      201,
    );
    assert.equal(created.status, 'pending');
    assert.deepEqual(created.participants, ['Org1MSP']);
    assert.equal(
      created.modelSpec.topologyHash,
      createHash('sha256').update(created.modelSpec.topology).digest('hex'),
    );

    const accepted = ok<{ participants: string[] }>(
      await fx.org2
        .http()
        .post('/federations/fed-a/accept')
        .set('x-api-key', fx.org2.keys.admin)
        .send({ datasetId: 'syn' }),
    );
    assert.deepEqual(accepted.participants, ['Org1MSP', 'Org2MSP']);
    const started = ok<{ status: string; currentRound: number }>(
      await fx.org1
        .http()
        .post('/federations/fed-a/start')
        .set('x-api-key', fx.org1.keys.admin)
        .send({}),
    );
    assert.deepEqual([started.status, started.currentRound], ['running', 1]);

    const status = ok<{
      currentRound: number;
      round: { status: string; submitted: string[] };
      submissions: unknown[];
      localDatasetId: string;
    }>(
      await fx.org2
        .http()
        .get('/federations/fed-a/status')
        .set('x-api-key', fx.org2.keys.scientist),
    );
    assert.equal(status.currentRound, 1);
    assert.deepEqual(
      [status.round.status, status.round.submitted, status.submissions, status.localDatasetId],
      ['open', [], [], 'syn'],
    );
    const page = ok<{ items: Array<{ id: string }>; bookmark: string }>(
      await fx.org3.http().get('/federations?pageSize=10').set('x-api-key', fx.org3.keys.auditor),
    );
    assert.ok(page.items.some((federation) => federation.id === 'fed-a'));
    ok(await fx.org3.http().get('/federations/fed-a').set('x-api-key', fx.org3.keys.auditor));
    const round = ok<{ round: number; status: string }>(
      await fx.org1
        .http()
        .get('/federations/fed-a/rounds/1')
        .set('x-api-key', fx.org1.keys.auditor),
    );
    assert.deepEqual([round.round, round.status], [1, 'open']);
    assert.deepEqual(
      ok(
        await fx.org1
          .http()
          .get('/federations/fed-a/rounds/1/updates')
          .set('x-api-key', fx.org1.keys.scientist),
      ),
      [],
    );
  });

  it('downloads model v0 as tfjs artifacts and FLW1 bytes that hash to the ledger modelHash', async () => {
    const version = ok<{ modelHash: string; paramCount: number; deployed: boolean }>(
      await fx.org1
        .http()
        .get('/federations/fed-a/models/0')
        .set('x-api-key', fx.org1.keys.auditor),
    );
    assert.equal(version.deployed, false);
    const list = ok<Array<{ version: number }>>(
      await fx.org1
        .http()
        .get('/federations/fed-a/models')
        .set('x-api-key', fx.org1.keys.scientist),
    );
    assert.deepEqual(
      list.map((entry) => entry.version),
      [0],
    );
    const modelJson = ok<{ format: string; weightsManifest: Array<{ paths: string[] }> }>(
      await fx.org1
        .http()
        .get('/federations/fed-a/models/0/model.json')
        .set('x-api-key', fx.org1.keys.scientist),
    );
    assert.equal(modelJson.format, 'layers-model');
    assert.deepEqual(modelJson.weightsManifest[0]?.paths, ['weights.bin']);
    const weightsBin = await fx.org1
      .http()
      .get('/federations/fed-a/models/0/weights.bin')
      .set('x-api-key', fx.org1.keys.scientist)
      .buffer(true)
      .parse(binary);
    assert.equal(weightsBin.status, 200);
    assert.equal((weightsBin.body as Buffer).length, version.paramCount * 4);
    const flw1 = await fx.org2
      .http()
      .get('/federations/fed-a/models/0/weights.flw1')
      .set('x-api-key', fx.org2.keys.admin)
      .buffer(true)
      .parse(binary);
    assert.equal(flw1.status, 200);
    assert.equal(sha256(flw1.body as Buffer), version.modelHash);
    const bundle = ok<{
      modelHash: string;
      weightsBinBase64: string;
      featureColumns: string[];
      featureScaling: unknown;
    }>(
      await fx.org1
        .http()
        .get('/federations/fed-a/models/0/bundle')
        .set('x-api-key', fx.org1.keys.admin),
    );
    assert.equal(bundle.modelHash, version.modelHash);
    const federation = ok<{ featureColumns: string[]; featureScaling: unknown }>(
      await fx.org1.http().get('/federations/fed-a').set('x-api-key', fx.org1.keys.admin),
    );
    assert.ok(federation.featureScaling !== undefined);
    assert.deepEqual(
      [bundle.featureColumns, bundle.featureScaling],
      [federation.featureColumns, federation.featureScaling],
    );
    assert.deepEqual(Buffer.from(bundle.weightsBinBase64, 'base64'), weightsBin.body);

    const byHash = ok<{ found: boolean; federationId: string; version: number }>(
      await fx.org3
        .http()
        .post('/models/verify')
        .set('x-api-key', fx.org3.keys.auditor)
        .send({ modelHash: version.modelHash }),
    );
    assert.deepEqual([byHash.found, byHash.federationId, byHash.version], [true, 'fed-a', 0]);
    const byFile = ok<{ found: boolean }>(
      await fx.org3
        .http()
        .post('/models/verify')
        .set('x-api-key', fx.org3.keys.scientist)
        .send({ weightsBase64: (flw1.body as Buffer).toString('base64') }),
    );
    assert.equal(byFile.found, true);
    const upload = ok<{ found: boolean; version: number }>(
      await fx.org3
        .http()
        .post('/models/verify/file')
        .set('x-api-key', fx.org3.keys.auditor)
        .set('content-type', 'application/octet-stream')
        .send(flw1.body as Buffer),
    );
    assert.deepEqual([upload.found, upload.version], [true, 0]);
    const unknown = ok<{ found: boolean }>(
      await fx.org3
        .http()
        .post('/models/verify')
        .set('x-api-key', fx.org3.keys.auditor)
        .send({ modelHash: '0'.repeat(64) }),
    );
    assert.equal(unknown.found, false);
  });

  it('creates a federation from a custom topology and FLW1 initial weights', async () => {
    const source = ok<{ modelSpec: { topology: string } }>(
      await fx.org1.http().get('/federations/fed-a').set('x-api-key', fx.org1.keys.admin),
    );
    const flw1 = await fx.org1
      .http()
      .get('/federations/fed-a/models/0/weights.flw1')
      .set('x-api-key', fx.org1.keys.admin)
      .buffer(true)
      .parse(binary);
    const body = federationBody('fed-custom', columns.featureColumns, columns.labelColumn, []);
    body['model'] = {
      topology: source.modelSpec.topology,
      initialWeightsBase64: (flw1.body as Buffer).toString('base64'),
    };
    const created = ok<{ initialModelHash: string; status: string }>(
      await fx.org1.http().post('/federations').set('x-api-key', fx.org1.keys.admin).send(body),
      201,
    );
    assert.equal(created.initialModelHash, sha256(flw1.body as Buffer));
    const cancelled = ok<{ status: string; cancelReason: string }>(
      await fx.org1
        .http()
        .post('/federations/fed-custom/cancel')
        .set('x-api-key', fx.org1.keys.admin)
        .send({ reason: 'superseded' }),
    );
    assert.deepEqual([cancelled.status, cancelled.cancelReason], ['cancelled', 'superseded']);
  });

  it('gives auditors the federation and consortium timelines, key history and model lookup', async () => {
    const timeline = ok<{ items: Array<{ action: string }>; bookmark: string }>(
      await fx.org3
        .http()
        .get('/audit/federations/fed-a/timeline')
        .set('x-api-key', fx.org3.keys.auditor),
    );
    assert.deepEqual(
      timeline.items.map((entry) => entry.action),
      ['CreateFederation', 'AcceptInvitation', 'StartFederation'],
    );
    const firstPage = ok<{ items: unknown[]; bookmark: string }>(
      await fx.org3
        .http()
        .get('/audit/federations/fed-a/timeline?pageSize=1')
        .set('x-api-key', fx.org3.keys.admin),
    );
    assert.equal(firstPage.items.length, 1);
    assert.notEqual(firstPage.bookmark, '');
    const secondPage = ok<{ items: Array<{ action: string }> }>(
      await fx.org3
        .http()
        .get('/audit/federations/fed-a/timeline')
        .query({ pageSize: 1, bookmark: firstPage.bookmark })
        .set('x-api-key', fx.org3.keys.admin),
    );
    assert.deepEqual(
      secondPage.items.map((entry) => entry.action),
      ['AcceptInvitation'],
    );
    const consortium = ok<{ items: Array<{ action: string }> }>(
      await fx.org1.http().get('/audit/timeline').set('x-api-key', fx.org1.keys.auditor),
    );
    assert.equal(consortium.items[0]?.action, 'InitConsortium');
    const history = ok<Array<{ txId: string; value: { status?: string } }>>(
      await fx.org1
        .http()
        .get('/audit/history/fl.federation?attributes=fed-a')
        .set('x-api-key', fx.org1.keys.auditor),
    );
    assert.ok(history.length >= 2);
    const v0 = ok<{ modelHash: string }>(
      await fx.org1
        .http()
        .get('/federations/fed-a/models/0')
        .set('x-api-key', fx.org1.keys.auditor),
    );
    const lookup = ok<{ found: boolean; federationId: string }>(
      await fx.org1
        .http()
        .get(`/audit/models/${v0.modelHash}`)
        .set('x-api-key', fx.org1.keys.auditor),
    );
    assert.deepEqual([lookup.found, lookup.federationId], [true, 'fed-a']);
  });

  it('streams training progress as Server-Sent Events', async () => {
    const server = fx.org1.app.getHttpServer() as { address(): AddressInfo };
    const { port } = server.address();
    const v0 = await fx.org1
      .http()
      .get('/federations/fed-a/models/0/weights.flw1')
      .set('x-api-key', fx.org1.keys.admin)
      .buffer(true)
      .parse(binary);
    const federation = ok<{ modelSpec: { topology: string } }>(
      await fx.org1.http().get('/federations/fed-a').set('x-api-key', fx.org1.keys.admin),
    );
    const firstEvent = new Promise<string>((resolve, reject) => {
      const req = httpGet(
        {
          host: '127.0.0.1',
          port,
          path: '/training/events',
          headers: { 'x-api-key': fx.org1.keys.scientist },
        },
        (response) => {
          assert.equal(response.statusCode, 200);
          assert.match(response.headers['content-type'] as string, /^text\/event-stream/);
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes('\n\n')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.on('socket', (socket) =>
        socket.on('connect', () =>
          setImmediate(
            () =>
              void fx.org1.app.get(TrainingService).train({
                jobId: 'sse-job',
                federationId: 'fed-a',
                round: 1,
                topology: federation.modelSpec.topology,
                weights: new Uint8Array(v0.body as Buffer),
                datasetId: 'syn',
                featureColumns: columns.featureColumns,
                labelColumn: columns.labelColumn,
                hyperParameters: { epochs: 2, batchSize: 8, learningRate: 0.1 },
                seed: 1,
              }),
          ),
        ),
      );
    });
    const text = await firstEvent;
    assert.match(text, /^event: training-progress$/m);
    const data = JSON.parse((/^data: (.*)$/m.exec(text) as RegExpExecArray)[1]) as {
      jobId: string;
      federationId: string;
      epoch: number;
    };
    assert.deepEqual([data.jobId, data.federationId, data.epoch], ['sse-job', 'fed-a', 1]);
  });

  it('proposes and approves a consortium role change by majority', async () => {
    const proposal = ok<{ id: string; status: string; approvals: string[] }>(
      await fx.org1
        .http()
        .post('/consortium/role-changes')
        .set('x-api-key', fx.org1.keys.admin)
        .send({ mspId: 'Org3MSP', role: 'auditor' }),
      201,
    );
    assert.deepEqual([proposal.status, proposal.approvals], ['open', ['Org1MSP']]);
    const applied = ok<{ status: string }>(
      await fx.org2
        .http()
        .post(`/consortium/role-changes/${proposal.id}/approve`)
        .set('x-api-key', fx.org2.keys.admin)
        .send({}),
    );
    assert.equal(applied.status, 'applied');
    assert.equal(
      ok<{ status: string }>(
        await fx.org3
          .http()
          .get(`/consortium/role-changes/${proposal.id}`)
          .set('x-api-key', fx.org3.keys.auditor),
      ).status,
      'applied',
    );
    const consortium = ok<{ members: Array<{ mspId: string; role: string }> }>(
      await fx.org1.http().get('/consortium').set('x-api-key', fx.org1.keys.scientist),
    );
    assert.equal(consortium.members.find((member) => member.mspId === 'Org3MSP')?.role, 'auditor');
    assertError(
      await fx.org3
        .http()
        .post('/federations')
        .set('x-api-key', fx.org3.keys.admin)
        .send(federationBody('fed-x', columns.featureColumns, columns.labelColumn, [])),
      403,
      'FORBIDDEN',
    );
  });
});
