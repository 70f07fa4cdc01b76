import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { GATEWAY_VERSION } from '../api/health/health.service';
import { MIN_BLOCK_WAIT_MS } from '../ledger/port/ledger-consistency.interceptor';
import { COMMITTED_BLOCK_HEADER, MIN_BLOCK_HEADER } from '../ledger/port/ledger-session';

export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'bearer';

/** The OpenAPI document of the gateway's routes. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('fedledger gateway')
    .setDescription(
      'One gateway per organization: private datasets, local training, federations coordinated by the Fabric channel, model downloads, predictions with ledger receipts, audit. ' +
        'Errors are `{ code, message, details }` with a stable code; request validation failures are 400 INVALID_ARGUMENT, content the ledger rejects is 422. ' +
        `Read-your-writes across organizations: a response whose request committed a transaction carries \`${COMMITTED_BLOCK_HEADER}\` (the block number); ` +
        `send the highest such number as \`${MIN_BLOCK_HEADER}\` to any org's gateway and it first waits until its own peer has that block (503 LEDGER_UNAVAILABLE after ${MIN_BLOCK_WAIT_MS / 1000} s).`,
    )
    .addGlobalParameters({
      name: MIN_BLOCK_HEADER,
      in: 'header',
      required: false,
      description: `Wait until this org's peer has committed this block before handling the request (the \`${COMMITTED_BLOCK_HEADER}\` of an earlier write, through any org's gateway).`,
      schema: { type: 'integer', minimum: 0 },
    })
    .setVersion(GATEWAY_VERSION)
    .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, API_KEY_SCHEME)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' },
      BEARER_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** JSON with object keys sorted recursively, so the committed spec diffs cleanly. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}
