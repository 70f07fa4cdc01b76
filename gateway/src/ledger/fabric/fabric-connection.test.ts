import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createGatewayApp } from '../../app.factory';
import { JsonLogger } from '../../platform/logging/json-logger';
import { ConfigError } from '../../platform/config/config-error';
import type { GatewayConfig } from '../../platform/config/gateway-config';
import type { FabricIdentityFiles } from '../../platform/config/org-connection';
import { bodyField } from '../../testing/api-helpers';
import { FabricConnection } from './fabric-connection';

/**
 * The real @hyperledger/fabric-gateway client against a closed port: identities load, gateways
 * connect lazily, and a failed call surfaces as LEDGER_UNAVAILABLE. The client never parses the
 * certificate (it only sends it), so placeholder certificate bytes are enough here.
 */
function fabricConfig(identityNames: string[]): GatewayConfig {
  const dir = mkdtempSync(join(tmpdir(), 'fl-fabric-'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(
    join(dir, 'cert.pem'),
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  );
  const identities: Record<string, FabricIdentityFiles> = Object.fromEntries(
    identityNames.map((name) => [
      name,
      {
        certPath: join(dir, 'cert.pem'),
        keyPath: join(dir, 'key.pem'),
        role: name === 'admin' ? 'admin' : 'client',
      },
    ]),
  );
  return {
    mspId: 'Org1MSP',
    ledgerMode: 'fabric',
    connection: {
      mspId: 'Org1MSP',
      peer: { endpoint: '127.0.0.1:1', tlsCaCertPath: join(dir, 'cert.pem') },
      identities,
    },
    channel: 'fedledger',
    chaincode: 'fedledger',
    dataDir: join(dir, 'data'),
    stateDir: join(dir, 'state'),
    httpHost: '127.0.0.1',
    httpPort: 0,
    apiKeysFile: join(dir, 'keys.json'),
    bodyLimitBytes: 1024,
    maxCsvBytes: 1024,
    participation: false,
    trainAhead: true,
    logLevel: 'silent',
    ledgerTimeoutMs: 2000,
  };
}

describe('FabricConnection', () => {
  it('connects one gateway per identity and reports an unreachable peer as LEDGER_UNAVAILABLE', async () => {
    const connection = await FabricConnection.open(fabricConfig(['admin', 'user1', 'user2']));
    try {
      await assert.rejects(
        connection.ledgerFor('auditor').getConsortium(),
        (error: unknown) => (error as { code: string }).code === 'LEDGER_UNAVAILABLE',
      );
      await assert.rejects(
        connection.ledgerFor('admin').startFederation('f'),
        (error: unknown) => (error as { code: string }).code === 'LEDGER_UNAVAILABLE',
      );
      assert.notEqual(connection.ledgerFor('admin'), connection.ledgerFor('scientist'));
    } finally {
      connection.close();
    }
  });

  it('refuses a connection file without the identity an API role needs', async () => {
    await assert.rejects(
      FabricConnection.open(fabricConfig(['admin', 'user1'])),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.key === 'identities.user2' &&
        /auditor/.test(error.message),
    );
  });

  it('boots the whole app in fabric mode and reports the unreachable peer on /health', async () => {
    const config = { ...fabricConfig(['admin', 'user1', 'user2']), participation: true };
    const app = await createGatewayApp({ config, logger: new JsonLogger('silent', 'Org1MSP') });
    await app.listen(0, '127.0.0.1');
    try {
      const health = await request(app.getHttpServer() as Parameters<typeof request>[0]).get(
        '/health',
      );
      assert.equal(health.status, 503);
      assert.deepEqual(bodyField(health, 'ledger'), {
        reachable: false,
        mode: 'fabric',
        error: 'LEDGER_UNAVAILABLE',
      });
    } finally {
      await app.close();
    }
  });

  it('refuses to open without a connection', async () => {
    const config = fabricConfig(['admin']);
    delete config.connection;
    await assert.rejects(
      FabricConnection.open(config),
      (error: unknown) => error instanceof ConfigError && error.key === 'FEDLEDGER_ORG_CONNECTION',
    );
  });
});
