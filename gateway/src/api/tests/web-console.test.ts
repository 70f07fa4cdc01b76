import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiKeyStore } from '../auth/api-key-store';
import { inProcessGatewayConfig } from '../../platform/config/gateway-config';
import { createGatewayApp } from '../../app.factory';
import { JsonLogger } from '../../platform/logging/json-logger';
import { assertError, ok } from '../../testing/api-helpers';
import { inProcessLedger } from '../../ledger/port/in-process-ledger';
import { startTestGateway, type TestGateway } from '../../testing/test-gateway';
import { InProcessWorld } from '../../testing/world';
import { CONSOLE_CSP } from '../web-console/web-console.controller';
import { DEFAULT_CONSOLE_DIR } from '../web-console/console-bundle';

describe('web console serving and GET /auth/whoami', () => {
  let gateway: TestGateway;
  let world: InProcessWorld;

  before(async () => {
    // The bundle is built by `npm run build` (scripts/test-all.sh runs it before the tests).
    assert.ok(
      existsSync(join(DEFAULT_CONSOLE_DIR, 'manifest.json')),
      `the console is not built in ${DEFAULT_CONSOLE_DIR}: run npm run build`,
    );
    world = new InProcessWorld();
    gateway = await startTestGateway(world, 'Org1MSP');
  });
  after(async () => gateway.close());

  it('serves the console at / without a key, never cached, with a same-origin-only CSP, naming content-hashed assets', async () => {
    const page = await gateway.http().get('/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.equal(page.headers['content-security-policy'], CONSOLE_CSP);
    const assets = [...page.text.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map(
      (match) => match[1],
    );
    assert.equal(assets.length, 2, page.text);
    for (const name of assets) {
      assert.match(name, /^main-[A-Z0-9]{8}\.(js|css)$/);
      const asset = await gateway.http().get(`/assets/${name}`);
      assert.equal(asset.status, 200);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(
        asset.headers['content-type'],
        name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      const body =
        Buffer.isBuffer(asset.body) && asset.body.length > 0 ? asset.body : Buffer.from(asset.text);
      assert.deepEqual(body, readFileSync(join(DEFAULT_CONSOLE_DIR, 'assets', name)));
    }
  });

  it('answers an unknown asset or a path outside the bundle with the API’s 404 body', async () => {
    assertError(await gateway.http().get('/assets/main-XXXXXXXX.js'), 404, 'NOT_FOUND');
    assertError(await gateway.http().get('/assets/..%2Fmanifest.json'), 404, 'NOT_FOUND');
  });

  it('leaves the API, Swagger and health where they were', async () => {
    assertError(await gateway.http().get('/federations'), 401, 'UNAUTHENTICATED');
    assert.equal((await gateway.http().get('/api/')).status, 200);
    assert.equal((await gateway.http().get('/health/live')).status, 200);
    const spec = ok<{ paths: Record<string, unknown> }>(await gateway.http().get('/api-json'));
    assert.ok(
      !('/' in spec.paths) && !('/assets/{name}' in spec.paths),
      'the console routes are not part of the API document',
    );
  });

  it('tells a key its role and org; a wrong or revoked key gets 401', async () => {
    for (const role of ['admin', 'scientist', 'auditor'] as const) {
      const me = ok<{ keyId: string; name: string; role: string; org: string }>(
        await gateway.http().get('/auth/whoami').set('x-api-key', gateway.keys[role]),
      );
      assert.equal(me.role, role);
      assert.equal(me.org, 'Org1MSP');
      assert.match(me.keyId, /^[0-9a-f]{16}$/);
    }
    assertError(await gateway.http().get('/auth/whoami'), 401, 'UNAUTHENTICATED');
    assertError(
      await gateway.http().get('/auth/whoami').set('x-api-key', 'flk_0000000000000000_not-a-key'),
      401,
      'UNAUTHENTICATED',
    );
    const store = new ApiKeyStore(gateway.config.apiKeysFile);
    const { record, apiKey } = store.create('leaver', 'scientist');
    assert.equal(
      ok<{ role: string }>(await gateway.http().get('/auth/whoami').set('x-api-key', apiKey)).role,
      'scientist',
    );
    store.revoke(record.id);
    const refused = assertError(
      await gateway.http().get('/auth/whoami').set('x-api-key', apiKey),
      401,
      'UNAUTHENTICATED',
    );
    assert.match(refused.message, /revoked/);
  });

  it('runs the API without a console when none was built, and / says how to build it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fedledger-no-console-'));
    const config = inProcessGatewayConfig('Org1MSP', root, {
      logLevel: 'silent',
      participation: false,
    });
    const key = new ApiKeyStore(config.apiKeysFile).create('a', 'auditor').apiKey;
    const app = await createGatewayApp({
      config,
      ledger: inProcessLedger(world, 'Org1MSP'),
      logger: new JsonLogger('silent', 'Org1MSP'),
      consoleDir: join(root, 'missing'),
    });
    try {
      await app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(app.getHttpServer() as { address(): { port: number } }).address().port}`;
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 404);
      const body = (await page.json()) as { code: string; message: string };
      assert.equal(body.code, 'NOT_FOUND');
      assert.match(body.message, /npm run build/);
      assert.equal(
        (await fetch(`${base}/auth/whoami`, { headers: { 'x-api-key': key } })).status,
        200,
      );
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
