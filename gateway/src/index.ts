export { createGatewayApp, type CreateGatewayAppOptions } from './app.factory';
export { AppModule, type GatewayAppOptions } from './app.module';
export { loadGatewayConfig, type GatewayConfig, ENV } from './config/gateway-config';
export { ConfigError } from './config/config-error';
export { ApiKeyStore, type Principal } from './auth/api-key-store';
export { LEDGER, LEDGER_EVENTS, API_ROLES, type ApiRole, type LedgerProvider } from './ledger/ledger.tokens';
export { type InjectedLedger } from './ledger/ledger.module';
export { IDENTITY_BY_ROLE } from './ledger/identity-map';
export { HTTP_STATUS_BY_CODE } from './errors/http-status';
