import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatewayApp } from '../app.factory';
import { inProcessGatewayConfig } from '../platform/config/gateway-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { offlineLedger } from './offline-ledger';
import { buildOpenApiDocument, stableJson } from './openapi-document';

/** Builds the app offline (no ledger, temp dirs) and returns its OpenAPI document as stable JSON text. */
export async function generateOpenApiJson(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'fedledger-openapi-'));
  const app = await createGatewayApp({
    config: inProcessGatewayConfig('Org1MSP', root),
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
