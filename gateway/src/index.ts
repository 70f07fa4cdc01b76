export { createGatewayApp, type CreateGatewayAppOptions } from './app.factory';
export { AppModule, type GatewayAppOptions } from './app.module';
export { loadGatewayConfig, type GatewayConfig, ENV } from './platform/config/gateway-config';
export { ConfigError } from './platform/config/config-error';
export { ApiKeyStore, type Principal } from './api/auth/api-key-store';
export {
  LEDGER,
  LEDGER_EVENTS,
  API_ROLES,
  type ApiRole,
  type LedgerProvider,
} from './ledger/port/ledger.tokens';
export { type InjectedLedger } from './ledger/port/ledger.module';
export { IDENTITY_BY_ROLE } from './ledger/port/identity-map';
export { HTTP_STATUS_BY_CODE } from './platform/errors/http-status';
export { inProcessGatewayConfig } from './platform/config/gateway-config';
export { inProcessLedger, type InProcessChannel } from './ledger/port/in-process-ledger';
export { JsonLogger } from './platform/logging/json-logger';
export { FabricConnection } from './ledger/fabric/fabric-connection';
export {
  COMMITTED_BLOCK_HEADER,
  MIN_BLOCK_HEADER,
  runInLedgerSession,
} from './ledger/port/ledger-session';
export { participationSeed } from './participation/participation-seed';
export { buildMaskedUpdate } from './api/privacy/masked-update';
export { BlobPath } from './ledger/blobs/blob-path';
export { openConnectionBlobPath } from './ledger/blobs/connection-blob-path';
