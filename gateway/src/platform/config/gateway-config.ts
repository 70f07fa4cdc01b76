import { isAbsolute, join, resolve } from 'node:path';
import { BLOB_PATH_MIN_PARAMS, CHAINCODE_NAME } from '@fedledger/core';
import { ConfigError } from './config-error';
import { loadOrgConnection, type OrgConnection } from './org-connection';

export type LedgerMode = 'fabric' | 'in-process';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Everything the gateway reads from its environment, validated once at boot. */
export interface GatewayConfig {
  mspId: string;
  ledgerMode: LedgerMode;
  /** Present in `fabric` mode only. */
  connection?: OrgConnection;
  channel: string;
  chaincode: string;
  dataDir: string;
  stateDir: string;
  httpHost: string;
  httpPort: number;
  apiKeysFile: string;
  bodyLimitBytes: number;
  /** Largest CSV file a dataset may be registered from; a larger one is refused (413) before it is read. */
  maxCsvBytes: number;
  /** Start the automatic round participation on bootstrap. */
  participation: boolean;
  /**
   * Blob path (ADR 0030): start the next round's training from the aggregate this org computed,
   * before the majority's acceptance commits; an update is submitted only if that model is accepted.
   */
  trainAhead: boolean;
  logLevel: LogLevel;
  /**
   * Deadline of one endorse/submit/evaluate call against the peer: FEDLEDGER_LEDGER_TIMEOUT_MS, else
   * the network's LEDGER_TIMEOUT from the connection file (the peers' endorsement timeout is a third of it).
   */
  ledgerTimeoutMs: number;
  /** The blob path (ADR 0022); absent when this gateway neither serves nor fetches blobs. */
  blob?: BlobPathConfig;
}

/** Where this org serves its blobs, where the other orgs serve theirs, and the TLS material. */
export interface BlobPathConfig {
  listenHost: string;
  listenPort: number;
  /** Every org's blob server URL by MSP id (this org's is ignored). */
  endpoints: Record<string, string>;
  certPath: string;
  keyPath: string;
  /** Every consortium org's TLS CA certificate by MSP id. */
  caPaths: Record<string, string>;
  minParams: number;
  /** Deadline of one blob download (ms). */
  timeoutMs: number;
}

export const DEFAULT_BLOB_TIMEOUT_MS = 600_000;

export const DEFAULT_CHANNEL = 'fedledger';
export const DEFAULT_HTTP_PORT = 3000;
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_LEDGER_TIMEOUT_MS = 30_000;
/** CSVs are parsed in memory (text, cells, then Float32 features), a few times their size at peak. */
export const DEFAULT_MAX_CSV_BYTES = 256 * 1024 * 1024;

/**
 * Config of a gateway whose ledger is injected in process (API tests, the OpenAPI generator, the
 * single-process demo): data and state under `root`, an ephemeral loopback port, no participation
 * and no logs unless overridden.
 */
export function inProcessGatewayConfig(
  mspId: string,
  root: string,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  return {
    mspId,
    ledgerMode: 'in-process',
    channel: DEFAULT_CHANNEL,
    chaincode: CHAINCODE_NAME,
    dataDir: join(root, 'data'),
    stateDir: join(root, 'state'),
    httpHost: '127.0.0.1',
    httpPort: 0,
    apiKeysFile: join(root, 'state', 'api-keys.json'),
    bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
    maxCsvBytes: DEFAULT_MAX_CSV_BYTES,
    participation: false,
    trainAhead: true,
    logLevel: 'silent',
    ledgerTimeoutMs: DEFAULT_LEDGER_TIMEOUT_MS,
    ...overrides,
  };
}

/**
 * Env vars read by {@link loadGatewayConfig}, which builds the production config: Fabric only. The
 * in-process ledger of tests and the single-process demo is configured in code
 * ({@link inProcessGatewayConfig}) together with the ledger they inject.
 */
export const ENV = {
  ledgerMode: 'FEDLEDGER_LEDGER_MODE',
  orgConnection: 'FEDLEDGER_ORG_CONNECTION',
  channel: 'FEDLEDGER_CHANNEL',
  chaincode: 'FEDLEDGER_CHAINCODE',
  dataDir: 'FEDLEDGER_DATA_DIR',
  stateDir: 'FEDLEDGER_STATE_DIR',
  httpHost: 'FEDLEDGER_HTTP_HOST',
  httpPort: 'FEDLEDGER_HTTP_PORT',
  apiKeysFile: 'FEDLEDGER_API_KEYS_FILE',
  bodyLimit: 'FEDLEDGER_BODY_LIMIT',
  maxCsvSize: 'FEDLEDGER_MAX_CSV_SIZE',
  participation: 'FEDLEDGER_PARTICIPATION',
  trainAhead: 'FEDLEDGER_TRAIN_AHEAD',
  logLevel: 'FEDLEDGER_LOG_LEVEL',
  ledgerTimeoutMs: 'FEDLEDGER_LEDGER_TIMEOUT_MS',
  blobListen: 'FEDLEDGER_BLOB_LISTEN',
  blobEndpoints: 'FEDLEDGER_BLOB_ENDPOINTS',
  blobTlsCert: 'FEDLEDGER_BLOB_TLS_CERT',
  blobTlsKey: 'FEDLEDGER_BLOB_TLS_KEY',
  blobTlsCas: 'FEDLEDGER_BLOB_TLS_CAS',
  blobMinParams: 'FEDLEDGER_BLOB_MIN_PARAMS',
  blobTimeoutMs: 'FEDLEDGER_BLOB_TIMEOUT_MS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Builds the config from env vars; throws {@link ConfigError} naming the first bad key. */
export function loadGatewayConfig(env: Env, cwd = process.cwd()): GatewayConfig {
  // Still read, so a deployment that asks for the test-only in-process ledger is refused by name.
  const ledgerMode = oneOf(env, ENV.ledgerMode, ['fabric'] as const, 'fabric');
  const dataDir = directory(env, ENV.dataDir, cwd);
  const stateDir = directory(env, ENV.stateDir, cwd);
  const path = required(env, ENV.orgConnection);
  const connection: OrgConnection = loadOrgConnection(isAbsolute(path) ? path : resolve(cwd, path));
  const config: GatewayConfig = {
    mspId: connection.mspId,
    ledgerMode,
    channel: env[ENV.channel] || connection.channel || DEFAULT_CHANNEL,
    chaincode: env[ENV.chaincode] || connection.chaincode || CHAINCODE_NAME,
    dataDir,
    stateDir,
    httpHost: env[ENV.httpHost] || '127.0.0.1',
    httpPort: integer(env, ENV.httpPort, DEFAULT_HTTP_PORT, 0, 65535),
    apiKeysFile: env[ENV.apiKeysFile]
      ? resolve(cwd, env[ENV.apiKeysFile] as string)
      : join(stateDir, 'api-keys.json'),
    bodyLimitBytes: byteSize(env, ENV.bodyLimit, DEFAULT_BODY_LIMIT_BYTES),
    maxCsvBytes: byteSize(env, ENV.maxCsvSize, DEFAULT_MAX_CSV_BYTES),
    participation: boolean(env, ENV.participation, true),
    trainAhead: boolean(env, ENV.trainAhead, true),
    logLevel: oneOf(
      env,
      ENV.logLevel,
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      'info',
    ),
    ledgerTimeoutMs: integer(
      env,
      ENV.ledgerTimeoutMs,
      connection.ledgerTimeoutMs ?? DEFAULT_LEDGER_TIMEOUT_MS,
      100,
      600_000,
    ),
    connection,
  };
  const blob = blobPathConfig(env, cwd, connection);
  if (blob) config.blob = blob;
  return config;
}

/**
 * The blob path is on when FEDLEDGER_BLOB_LISTEN (host:port of this org's blob server) is set; the
 * TLS pair and the consortium's TLS CAs default to what the network wrote into the connection file.
 */
function blobPathConfig(
  env: Env,
  cwd: string,
  connection: OrgConnection,
): BlobPathConfig | undefined {
  const listen = env[ENV.blobListen];
  if (listen === undefined || listen === '') return undefined;
  const match = /^(.+):(\d{1,5})$/.exec(listen);
  if (!match || Number(match[2]) > 65535)
    throw new ConfigError(ENV.blobListen, `must be host:port, got "${listen}"`);
  const file = (key: string, fallback: string | undefined): string => {
    const value = env[key] || fallback;
    if (value === undefined)
      throw new ConfigError(
        key,
        'is required with FEDLEDGER_BLOB_LISTEN (or a connection file that names it)',
      );
    return resolve(cwd, value);
  };
  const pairs = (
    key: string,
    fallback: Record<string, string> | undefined,
    what: string,
  ): Record<string, string> => {
    const value = env[key];
    if (value === undefined || value === '') {
      if (fallback === undefined)
        throw new ConfigError(
          key,
          `is required with FEDLEDGER_BLOB_LISTEN: comma-separated MSP=${what}`,
        );
      return fallback;
    }
    const entries = value.split(',').map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0 || at === entry.length - 1)
        throw new ConfigError(key, `entries are MSP=${what}, got "${entry}"`);
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()] as const;
    });
    return Object.fromEntries(entries);
  };
  const endpoints = pairs(ENV.blobEndpoints, undefined, 'https://host:port');
  for (const [mspId, url] of Object.entries(endpoints)) {
    if (!/^https:\/\/[^/\s]+$/.test(url))
      throw new ConfigError(
        ENV.blobEndpoints,
        `${mspId}'s endpoint must be https://host:port, got "${url}"`,
      );
  }
  const caPaths = Object.fromEntries(
    Object.entries(pairs(ENV.blobTlsCas, connection.consortiumTlsCas, 'CA-certificate-file')).map(
      ([mspId, path]) => [mspId, resolve(cwd, path)],
    ),
  );
  return {
    listenHost: match[1],
    listenPort: Number(match[2]),
    endpoints,
    certPath: file(ENV.blobTlsCert, connection.blobTls?.certPath),
    keyPath: file(ENV.blobTlsKey, connection.blobTls?.keyPath),
    caPaths,
    minParams: integer(env, ENV.blobMinParams, BLOB_PATH_MIN_PARAMS, 1, Number.MAX_SAFE_INTEGER),
    timeoutMs: integer(env, ENV.blobTimeoutMs, DEFAULT_BLOB_TIMEOUT_MS, 1000, 3_600_000),
  };
}

function required(env: Env, key: string): string {
  const value = env[key];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(key, 'is required');
  }
  return value;
}

function directory(env: Env, key: string, cwd: string): string {
  return resolve(cwd, required(env, key));
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const value = env[key];
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(key, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function integer(env: Env, key: string, fallback: number, min: number, max: number): number {
  const value = env[key];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(key, `must be an integer in [${min}, ${max}], got "${value}"`);
  }
  return Number(value);
}

function boolean(env: Env, key: string, fallback: boolean): boolean {
  const value = env[key];
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'on', 'yes'].includes(value)) return true;
  if (['false', '0', 'off', 'no'].includes(value)) return false;
  throw new ConfigError(key, `must be true or false, got "${value}"`);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `1048576`, `512kb`, `16mb`. */
function byteSize(env: Env, key: string, fallback: number): number {
  const value = env[key];
  if (value === undefined || value === '') return fallback;
  const match = /^(\d+)\s*([kmg]?b?)$/i.exec(value.trim());
  const unit = match ? BYTE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) === 0) {
    throw new ConfigError(
      key,
      `must be a positive size such as 1048576, 512kb or 16mb, got "${value}"`,
    );
  }
  return Number(match[1]) * unit;
}
