import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayApp } from '../app.factory';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_LEDGER_TIMEOUT_MS } from '../config/gateway-config';
import { JsonLogger } from '../logging/json-logger';
import { offlineLedger } from './offline-ledger';
import { buildOpenApiDocument, stableJson } from './openapi-document';

/** Builds the app offline (no ledger, temp dirs) and returns its OpenAPI document as stable JSON text. */
export async function generateOpenApiJson(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'fedledger-openapi-'));
  const app = await createGatewayApp({
    config: {
      mspId: 'Org1MSP',
      ledgerMode: 'in-process',
      channel: 'fedledger',
      chaincode: 'fedledger',
      dataDir: join(root, 'data'),
      stateDir: join(root, 'state'),
      httpHost: '127.0.0.1',
      httpPort: 0,
      apiKeysFile: join(root, 'state', 'api-keys.json'),
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
      participation: false,
      logLevel: 'silent',
      ledgerTimeoutMs: DEFAULT_LEDGER_TIMEOUT_MS,
    },
    ledger: offlineLedger(),
    logger: new JsonLogger('silent', 'Org1MSP'),
  });
  try {
    return stableJson(buildOpenApiDocument(app));
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
}
