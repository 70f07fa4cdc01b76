import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createGatewayApp } from '../../app.factory';
import { inProcessGatewayConfig } from '../../platform/config/gateway-config';
import { JsonLogger } from '../../platform/logging/json-logger';
import { offlineLedger } from '../../openapi/offline-ledger';
import { bodyField } from '../../testing/api-helpers';

describe('health with an unreachable ledger', () => {
  const root = mkdtempSync(join(tmpdir(), 'fl-health-'));
  let app: INestApplication;

  before(async () => {
    app = await createGatewayApp({
      config: inProcessGatewayConfig('Org9MSP', root, {
        participation: true,
        ledgerTimeoutMs: 1000,
      }),
      ledger: offlineLedger(),
      logger: new JsonLogger('silent', 'Org9MSP'),
    });
    await app.listen(0, '127.0.0.1');
  });
  after(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reports degraded with 503 and the ledger error code, while liveness stays 200', async () => {
    const server = app.getHttpServer() as Parameters<typeof request>[0];
    const health = await request(server).get('/health');
    assert.equal(health.status, 503);
    assert.equal(bodyField(health, 'status'), 'degraded');
    assert.deepEqual(bodyField(health, 'ledger'), {
      reachable: false,
      mode: 'in-process',
      error: 'LEDGER_UNAVAILABLE',
    });
    assert.equal((await request(server).get('/health/live')).status, 200);
  });
});
