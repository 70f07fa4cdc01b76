import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FedLedgerError } from '@fedledger/core';
import { API_ROLES, type ApiRole } from '../../ledger/port/ledger.tokens';

/** A stored key: only a salted SHA-256 of the secret is kept, never the secret. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiRole;
  salt: string;
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

/** Who a request authenticated as. */
export interface Principal {
  keyId: string;
  name: string;
  role: ApiRole;
}

interface KeyFile {
  keys: ApiKeyRecord[];
}

const KEY_PREFIX = 'flk';
const KEY_PATTERN = /^flk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys in a JSON file (by default `<stateDir>/api-keys.json`). A key reads
 * `flk_<id>_<secret>`; the id finds the record and the secret is checked against its salted SHA-256.
 * Secrets are 256 random bits, so a fast hash is enough (there is no password to brute-force).
 * The file is re-read when it changes on disk, so the CLI can revoke keys of a running gateway.
 */
export class ApiKeyStore {
  readonly #path: string;
  #cache: { mtimeMs: number; size: number; file: KeyFile } | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Creates a key and returns the record and the secret key text (shown once). */
  create(name: string, role: ApiRole, now = new Date()): { record: ApiKeyRecord; apiKey: string } {
    if (!API_ROLES.includes(role)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `role must be one of ${API_ROLES.join(', ')}`);
    }
    if (name.trim() === '') {
      throw new FedLedgerError('INVALID_ARGUMENT', 'name must not be empty');
    }
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16).toString('hex');
    const record: ApiKeyRecord = {
      id,
      name,
      role,
      salt,
      hash: hashSecret(salt, secret),
      createdAt: now.toISOString(),
    };
    const file = this.#read();
    file.keys.push(record);
    this.#write(file);
    return { record, apiKey: `${KEY_PREFIX}_${id}_${secret}` };
  }

  /** Marks a key revoked; NOT_FOUND when no key has that id. */
  revoke(id: string, now = new Date()): ApiKeyRecord {
    const file = this.#read();
    const record = file.keys.find((key) => key.id === id);
    if (!record) {
      throw new FedLedgerError('NOT_FOUND', `no API key with id ${id}`);
    }
    record.revokedAt ??= now.toISOString();
    this.#write(file);
    return record;
  }

  /** Every key, revoked ones included. */
  list(): ApiKeyRecord[] {
    return this.#read().keys;
  }

  /** The principal for a presented key, or undefined for unknown, malformed or revoked keys. */
  authenticate(apiKey: string): Principal | undefined {
    const match = KEY_PATTERN.exec(apiKey);
    if (!match) return undefined;
    const record = this.#read().keys.find((key) => key.id === match[1]);
    if (!record || record.revokedAt) return undefined;
    const expected = Buffer.from(record.hash, 'hex');
    const actual = Buffer.from(hashSecret(record.salt, match[2]), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    return { keyId: record.id, name: record.name, role: record.role };
  }

  #read(): KeyFile {
    let stat;
    try {
      stat = statSync(this.#path);
    } catch {
      return { keys: [] };
    }
    if (this.#cache && this.#cache.mtimeMs === stat.mtimeMs && this.#cache.size === stat.size) {
      return structuredClone(this.#cache.file);
    }
    const file = parseKeyFile(readFileSync(this.#path, 'utf8'), this.#path);
    this.#cache = { mtimeMs: stat.mtimeMs, size: stat.size, file };
    return structuredClone(file);
  }

  #write(file: KeyFile): void {
    mkdirSync(dirname(this.#path), { recursive: true });
    const temp = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.#path);
    this.#cache = undefined;
  }
}

function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(salt).update(':').update(secret).digest('hex');
}

function parseKeyFile(text: string, path: string): KeyFile {
  const json: unknown = JSON.parse(text);
  const keys = (json as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) {
    throw new FedLedgerError('INTERNAL', `API key file ${path} has no "keys" array`);
  }
  return { keys: keys as ApiKeyRecord[] };
}
