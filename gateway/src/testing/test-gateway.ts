import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { InProcessWorld } from '@fedledger/simulator';
import request from 'supertest';
import { createGatewayApp } from '../app.factory';
import { ApiKeyStore } from '../api/auth/api-key-store';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  inProcessGatewayConfig,
  type BlobPathConfig,
  type GatewayConfig,
} from '../platform/config/gateway-config';
import { JsonLogger } from '../platform/logging/json-logger';
import type { ApiRole } from '../ledger/port/ledger.tokens';
import { inProcessLedger } from '../ledger/port/in-process-ledger';

/** One org's gateway on 127.0.0.1 with an API key per role, backed by a shared in-process world. */
export interface TestGateway {
  mspId: string;
  app: INestApplication;
  config: GatewayConfig;
  keys: Record<ApiRole, string>;
  /** The temp directory holding data and state. */
  root: string;
  http(): ReturnType<typeof request>;
  /** Stops the app; deletes its directory unless `keepFiles` (to restart on the same state). */
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

export interface TestGatewayOptions {
  participation?: boolean;
  bodyLimitBytes?: number;
  /** FEDLEDGER_MAX_CSV_SIZE of the gateway. */
  maxCsvBytes?: number;
  /** Reuse the data and state of a previous gateway (a restart). */
  root?: string;
  /** The blob path for large models (ADR 0022): this gateway's blob server and the other orgs'. */
  blob?: BlobPathConfig;
  /** FEDLEDGER_TRAIN_AHEAD of the gateway (ADR 0030; default true). */
  trainAhead?: boolean;
}

/** Starts a gateway for `mspId` in fresh temp data/state dirs. */
export async function startTestGateway(
  world: InProcessWorld,
  mspId: string,
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), `fedledger-gw-${mspId}-`));
  const config = inProcessGatewayConfig(mspId, root, {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    participation: options.participation ?? false,
    ...(options.maxCsvBytes !== undefined ? { maxCsvBytes: options.maxCsvBytes } : {}),
    ...(options.blob !== undefined ? { blob: options.blob } : {}),
    ...(options.trainAhead !== undefined ? { trainAhead: options.trainAhead } : {}),
    logLevel: process.env['FEDLEDGER_TEST_LOG'] === '1' ? 'info' : 'silent',
  });
  const store = new ApiKeyStore(config.apiKeysFile);
  const keys = {
    admin: store.create('alice', 'admin').apiKey,
    scientist: store.create('sam', 'scientist').apiKey,
    auditor: store.create('ada', 'auditor').apiKey,
  };
  const app = await createGatewayApp({
    config,
    ledger: inProcessLedger(world, mspId),
    logger: new JsonLogger(config.logLevel, mspId),
  });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  return {
    mspId,
    app,
    config,
    keys,
    root,
    http: () => request(server),
    close: async ({ keepFiles = false } = {}) => {
      await app.close();
      if (!keepFiles) rmSync(root, { recursive: true, force: true });
    },
  };
}
