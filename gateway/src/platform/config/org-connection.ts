import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error';

export type FabricIdentityRole = 'admin' | 'client';

export interface FabricIdentityFiles {
  certPath: string;
  keyPath: string;
  role: FabricIdentityRole;
}

/** The org connection file written by the network scripts, with paths made absolute. */
export interface OrgConnection {
  mspId: string;
  peer: { endpoint: string; hostAlias?: string; tlsCaCertPath: string };
  identities: Record<string, FabricIdentityFiles>;
  channel?: string;
  chaincode?: string;
  /** The network's LEDGER_TIMEOUT in ms: the gateway's default call deadline (docs/operations.md, "Timeouts"). */
  ledgerTimeoutMs?: number;
  /** The org's TLS certificate and key for blob-path connections (ADR 0022). */
  blobTls?: { certPath: string; keyPath: string };
  /** Every consortium org's TLS CA certificate, by MSP id. */
  consortiumTlsCas?: Record<string, string>;
}

/** The files of identity `name`, or undefined when the connection file defines no identity of that name. */
export function identityFiles(
  connection: OrgConnection,
  name: string,
): FabricIdentityFiles | undefined {
  return Object.hasOwn(connection.identities, name) ? connection.identities[name] : undefined;
}

/** Reads and validates an org connection file; relative paths resolve against the file's directory. */
export function loadOrgConnection(path: string): OrgConnection {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'FEDLEDGER_ORG_CONNECTION',
      `cannot read ${path} (${(error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      'FEDLEDGER_ORG_CONNECTION',
      `${path} is not valid JSON (${(error as Error).message})`,
    );
  }
  return parseOrgConnection(json, dirname(path));
}

/** Validates a parsed connection document, naming the first bad field. */
export function parseOrgConnection(json: unknown, baseDir: string): OrgConnection {
  const root = asRecord(json, '$');
  const peer = asRecord(root['peer'], 'peer');
  const identitiesJson = asRecord(root['identities'], 'identities');
  const identities: Record<string, FabricIdentityFiles> = {};
  for (const [name, value] of Object.entries(identitiesJson)) {
    const identity = asRecord(value, `identities.${name}`);
    const role = identity['role'];
    if (role !== 'admin' && role !== 'client') {
      throw new ConfigError(
        `identities.${name}.role`,
        `must be "admin" or "client", got ${JSON.stringify(role)}`,
      );
    }
    identities[name] = {
      certPath: absolute(
        requiredString(identity['certPath'], `identities.${name}.certPath`),
        baseDir,
      ),
      keyPath: absolute(requiredString(identity['keyPath'], `identities.${name}.keyPath`), baseDir),
      role,
    };
  }
  if (Object.keys(identities).length === 0) {
    throw new ConfigError('identities', 'must name at least one identity');
  }
  const connection: OrgConnection = {
    mspId: requiredString(root['mspId'], 'mspId'),
    peer: {
      endpoint: requiredString(peer['endpoint'], 'peer.endpoint'),
      tlsCaCertPath: absolute(requiredString(peer['tlsCaCertPath'], 'peer.tlsCaCertPath'), baseDir),
    },
    identities,
  };
  const hostAlias = optionalString(peer['hostAlias'], 'peer.hostAlias');
  if (hostAlias !== undefined) connection.peer.hostAlias = hostAlias;
  const channel = optionalString(root['channel'], 'channel');
  if (channel !== undefined) connection.channel = channel;
  const chaincode = optionalString(root['chaincode'], 'chaincode');
  if (chaincode !== undefined) connection.chaincode = chaincode;
  const timeout = root['ledgerTimeoutMs'];
  if (timeout !== undefined) {
    if (!Number.isSafeInteger(timeout) || (timeout as number) < 100)
      throw new ConfigError(
        'ledgerTimeoutMs',
        `must be an integer of at least 100 (ms), got ${JSON.stringify(timeout)}`,
      );
    connection.ledgerTimeoutMs = timeout as number;
  }
  if (root['blobTls'] !== undefined) {
    const tls = asRecord(root['blobTls'], 'blobTls');
    connection.blobTls = {
      certPath: absolute(requiredString(tls['certPath'], 'blobTls.certPath'), baseDir),
      keyPath: absolute(requiredString(tls['keyPath'], 'blobTls.keyPath'), baseDir),
    };
  }
  if (root['consortiumTlsCas'] !== undefined) {
    const cas = asRecord(root['consortiumTlsCas'], 'consortiumTlsCas');
    connection.consortiumTlsCas = Object.fromEntries(
      Object.entries(cas).map(([mspId, path]) => [
        mspId,
        absolute(requiredString(path, `consortiumTlsCas.${mspId}`), baseDir),
      ]),
    );
  }
  return connection;
}

function asRecord(value: unknown, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(key, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function requiredString(value: unknown, key: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(key, 'must be a non-empty string');
  }
  return value;
}

function optionalString(value: unknown, key: string): string | undefined {
  return value === undefined ? undefined : requiredString(value, key);
}

function absolute(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
