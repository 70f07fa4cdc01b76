import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error';
import { loadGatewayConfig } from './gateway-config';

/** A connection file naming no channel or chaincode, so the defaults apply. */
function connectionFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fl-config-')), 'org1.json');
  writeFileSync(
    file,
    JSON.stringify({
      mspId: 'Org1MSP',
      peer: { endpoint: '127.0.0.1:7051', tlsCaCertPath: '/abs/ca.pem' },
      identities: { Admin: { certPath: '/abs/cert.pem', keyPath: '/abs/key', role: 'admin' } },
    }),
  );
  return file;
}

const base = {
  FEDLEDGER_ORG_CONNECTION: connectionFile(),
  FEDLEDGER_DATA_DIR: 'data',
  FEDLEDGER_STATE_DIR: '/var/fl/state',
};

function rejectsKey(env: Record<string, string>, key: string): void {
  assert.throws(
    () => loadGatewayConfig(env, '/srv'),
    (error: unknown) =>
      error instanceof ConfigError && error.key === key && error.message.includes(key),
  );
}

describe('loadGatewayConfig', () => {
  it('applies defaults and resolves directories against the working directory', () => {
    const { connection, ...config } = loadGatewayConfig(base, '/srv');
    assert.equal(connection?.mspId, 'Org1MSP');
    assert.deepEqual(config, {
      mspId: 'Org1MSP',
      ledgerMode: 'fabric',
      channel: 'fedledger',
      chaincode: 'fedledger',
      dataDir: '/srv/data',
      stateDir: '/var/fl/state',
      httpHost: '127.0.0.1',
      httpPort: 3000,
      apiKeysFile: '/var/fl/state/api-keys.json',
      bodyLimitBytes: 16 * 1024 * 1024,
      maxCsvBytes: 256 * 1024 * 1024,
      participation: true,
      trainAhead: true,
      logLevel: 'info',
      ledgerTimeoutMs: 30_000,
    });
  });

  it('reads every override', () => {
    const config = loadGatewayConfig(
      {
        ...base,
        FEDLEDGER_CHANNEL: 'c2',
        FEDLEDGER_CHAINCODE: 'cc',
        FEDLEDGER_HTTP_PORT: '8080',
        FEDLEDGER_HTTP_HOST: '::1',
        FEDLEDGER_API_KEYS_FILE: 'keys.json',
        FEDLEDGER_BODY_LIMIT: '512kb',
        FEDLEDGER_PARTICIPATION: 'off',
        FEDLEDGER_TRAIN_AHEAD: 'false',
        FEDLEDGER_LOG_LEVEL: 'warn',
        FEDLEDGER_LEDGER_TIMEOUT_MS: '5000',
      },
      '/srv',
    );
    assert.equal(config.channel, 'c2');
    assert.equal(config.chaincode, 'cc');
    assert.equal(config.httpPort, 8080);
    assert.equal(config.httpHost, '::1');
    assert.equal(config.apiKeysFile, '/srv/keys.json');
    assert.equal(config.bodyLimitBytes, 512 * 1024);
    assert.equal(config.participation, false);
    assert.equal(config.trainAhead, false);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.ledgerTimeoutMs, 5000);
    assert.equal(
      loadGatewayConfig({ ...base, FEDLEDGER_BODY_LIMIT: '2mb' }).bodyLimitBytes,
      2 * 1024 * 1024,
    );
    assert.equal(
      loadGatewayConfig({ ...base, FEDLEDGER_MAX_CSV_SIZE: '64mb' }).maxCsvBytes,
      64 * 1024 * 1024,
    );
    assert.equal(loadGatewayConfig({ ...base, FEDLEDGER_BODY_LIMIT: '1000' }).bodyLimitBytes, 1000);
  });

  it('fails fast naming the bad key', () => {
    rejectsKey({ ...base, FEDLEDGER_LEDGER_MODE: 'mock' }, 'FEDLEDGER_LEDGER_MODE');
    // The in-process ledger is configured in code by tests and the demo, never from the environment.
    rejectsKey({ ...base, FEDLEDGER_LEDGER_MODE: 'in-process' }, 'FEDLEDGER_LEDGER_MODE');
    rejectsKey({ ...base, FEDLEDGER_DATA_DIR: '' }, 'FEDLEDGER_DATA_DIR');
    rejectsKey(
      { FEDLEDGER_ORG_CONNECTION: base.FEDLEDGER_ORG_CONNECTION, FEDLEDGER_DATA_DIR: 'd' },
      'FEDLEDGER_STATE_DIR',
    );
    rejectsKey({ ...base, FEDLEDGER_HTTP_PORT: '70000' }, 'FEDLEDGER_HTTP_PORT');
    rejectsKey({ ...base, FEDLEDGER_HTTP_PORT: '80a' }, 'FEDLEDGER_HTTP_PORT');
    rejectsKey({ ...base, FEDLEDGER_BODY_LIMIT: '10 parsecs' }, 'FEDLEDGER_BODY_LIMIT');
    rejectsKey({ ...base, FEDLEDGER_BODY_LIMIT: '0' }, 'FEDLEDGER_BODY_LIMIT');
    rejectsKey({ ...base, FEDLEDGER_PARTICIPATION: 'maybe' }, 'FEDLEDGER_PARTICIPATION');
    rejectsKey({ ...base, FEDLEDGER_TRAIN_AHEAD: 'soon' }, 'FEDLEDGER_TRAIN_AHEAD');
    rejectsKey({ ...base, FEDLEDGER_LOG_LEVEL: 'loud' }, 'FEDLEDGER_LOG_LEVEL');
    rejectsKey({ ...base, FEDLEDGER_LEDGER_TIMEOUT_MS: '5' }, 'FEDLEDGER_LEDGER_TIMEOUT_MS');
    rejectsKey(
      { FEDLEDGER_LEDGER_MODE: 'fabric', FEDLEDGER_DATA_DIR: 'd', FEDLEDGER_STATE_DIR: 's' },
      'FEDLEDGER_ORG_CONNECTION',
    );
  });

  it('in fabric mode takes the MSP id, channel and chaincode from the connection file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-config-'));
    const file = join(dir, 'org1.json');
    writeFileSync(
      file,
      JSON.stringify({
        mspId: 'Org1MSP',
        peer: { endpoint: '127.0.0.1:7051', hostAlias: 'peer0.org1', tlsCaCertPath: 'tls/ca.pem' },
        identities: { Admin: { certPath: 'admin/cert.pem', keyPath: '/abs/key', role: 'admin' } },
        channel: 'fromfile',
        chaincode: 'ccfile',
      }),
    );
    const config = loadGatewayConfig(
      { FEDLEDGER_ORG_CONNECTION: file, FEDLEDGER_DATA_DIR: 'd', FEDLEDGER_STATE_DIR: 's' },
      dir,
    );
    assert.equal(config.ledgerMode, 'fabric');
    assert.equal(config.mspId, 'Org1MSP');
    assert.equal(config.channel, 'fromfile');
    assert.equal(config.chaincode, 'ccfile');
    assert.deepEqual(config.connection?.peer, {
      endpoint: '127.0.0.1:7051',
      hostAlias: 'peer0.org1',
      tlsCaCertPath: join(dir, 'tls/ca.pem'),
    });
    assert.deepEqual(config.connection.identities['Admin'], {
      certPath: join(dir, 'admin/cert.pem'),
      keyPath: '/abs/key',
      role: 'admin',
    });
    assert.equal(
      loadGatewayConfig(
        {
          FEDLEDGER_ORG_CONNECTION: file,
          FEDLEDGER_DATA_DIR: 'd',
          FEDLEDGER_STATE_DIR: 's',
          FEDLEDGER_CHANNEL: 'env',
        },
        dir,
      ).channel,
      'env',
    );
  });

  it('takes the ledger timeout and the blob TLS material from the connection file; FEDLEDGER_BLOB_* turn the blob path on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-config-'));
    const file = join(dir, 'org1.json');
    writeFileSync(
      file,
      JSON.stringify({
        mspId: 'Org1MSP',
        peer: { endpoint: '127.0.0.1:7051', tlsCaCertPath: 'tls/ca.pem' },
        identities: { admin: { certPath: 'a.pem', keyPath: 'a.key', role: 'admin' } },
        ledgerTimeoutMs: 45_000,
        blobTls: { certPath: 'tls/client.crt', keyPath: 'tls/client.key' },
        consortiumTlsCas: { Org1MSP: 'ca1.pem', Org2MSP: '/abs/ca2.pem' },
      }),
    );
    const env = {
      FEDLEDGER_ORG_CONNECTION: file,
      FEDLEDGER_DATA_DIR: 'd',
      FEDLEDGER_STATE_DIR: 's',
    };
    const plain = loadGatewayConfig(env, dir);
    assert.equal(plain.ledgerTimeoutMs, 45_000, "the network's LEDGER_TIMEOUT");
    assert.equal(plain.blob, undefined, 'no blob path without FEDLEDGER_BLOB_LISTEN');
    assert.equal(
      loadGatewayConfig({ ...env, FEDLEDGER_LEDGER_TIMEOUT_MS: '9000' }, dir).ledgerTimeoutMs,
      9000,
    );
    const blob = loadGatewayConfig(
      {
        ...env,
        FEDLEDGER_BLOB_LISTEN: '0.0.0.0:7443',
        FEDLEDGER_BLOB_ENDPOINTS: 'Org2MSP=https://10.0.0.12:7443',
      },
      dir,
    ).blob;
    assert.deepEqual(blob, {
      listenHost: '0.0.0.0',
      listenPort: 7443,
      endpoints: { Org2MSP: 'https://10.0.0.12:7443' },
      certPath: join(dir, 'tls/client.crt'),
      keyPath: join(dir, 'tls/client.key'),
      caPaths: { Org1MSP: join(dir, 'ca1.pem'), Org2MSP: '/abs/ca2.pem' },
      minParams: 250_000,
      timeoutMs: 600_000,
    });
    const withBlob = {
      ...env,
      FEDLEDGER_BLOB_LISTEN: '0.0.0.0:7443',
      FEDLEDGER_BLOB_ENDPOINTS: 'Org2MSP=https://h:1',
    };
    rejectsKey({ ...withBlob, FEDLEDGER_BLOB_LISTEN: 'nohost' }, 'FEDLEDGER_BLOB_LISTEN');
    rejectsKey(
      { ...withBlob, FEDLEDGER_BLOB_ENDPOINTS: 'Org2MSP=http://h:1' },
      'FEDLEDGER_BLOB_ENDPOINTS',
    );
    rejectsKey({ ...withBlob, FEDLEDGER_BLOB_ENDPOINTS: 'Org2MSP' }, 'FEDLEDGER_BLOB_ENDPOINTS');
    rejectsKey({ ...withBlob, FEDLEDGER_BLOB_MIN_PARAMS: '0' }, 'FEDLEDGER_BLOB_MIN_PARAMS');
    rejectsKey(
      {
        ...base,
        FEDLEDGER_BLOB_LISTEN: '127.0.0.1:7443',
        FEDLEDGER_BLOB_ENDPOINTS: 'Org2MSP=https://h:1',
      },
      'FEDLEDGER_BLOB_TLS_CAS',
    );
  });
});
