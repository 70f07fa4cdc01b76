import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMaskingKeyPair, type MaskingKeyPair } from '@fedledger/core';

/**
 * This org's X25519 masking key per secure-aggregation federation, in
 * `<stateDir>/masking-keys/<federationId>.json` (mode 0600). The ledger refuses to replace a
 * registered key (a swapped key could unmask a peer), so the private key must survive restarts:
 * it is written (atomically) before the public key is registered, and read back from then on.
 */
export class MaskingKeyStore {
  readonly #dir: string;

  constructor(stateDir: string) {
    this.#dir = join(stateDir, 'masking-keys');
  }

  /** The stored key pair, if any. */
  find(federationId: string): MaskingKeyPair | undefined {
    try {
      return JSON.parse(readFileSync(this.#path(federationId), 'utf8')) as MaskingKeyPair;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The stored key pair, or a new one persisted before it is returned. */
  getOrCreate(federationId: string): MaskingKeyPair {
    const existing = this.find(federationId);
    if (existing !== undefined) return existing;
    const pair = generateMaskingKeyPair();
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const temp = `${this.#path(federationId)}.tmp`;
    writeFileSync(temp, `${JSON.stringify(pair)}\n`, { mode: 0o600 });
    renameSync(temp, this.#path(federationId));
    return pair;
  }

  #path(federationId: string): string {
    // Federation ids are letters, digits, '.', '_', '-' (checked by the chaincode), never a path.
    return join(this.#dir, `${federationId}.json`);
  }
}
