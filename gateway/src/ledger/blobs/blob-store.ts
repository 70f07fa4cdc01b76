import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FedLedgerError, sha256Hex } from '@fedledger/core';

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * This org's content-addressed blobs (ADR 0022): one file per SHA-256 digest under `dir`, written
 * through a temporary file and a rename, so a reader never sees half a blob. Reads re-hash the
 * bytes: a file changed on disk is reported, never served or used.
 */
export class BlobStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Stores `bytes` and returns their digest; storing the same bytes twice is a no-op. `digest`, when
   * given, is the SHA-256 the caller already checked the bytes against (not hashed again).
   */
  async put(bytes: Uint8Array, digest: string = sha256Hex(bytes)): Promise<string> {
    const target = this.#path(digest);
    if (await this.has(digest)) return digest;
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, target);
    return digest;
  }

  /** The bytes of `digest`, or undefined when this org does not hold them; INTERNAL when the file no longer matches. */
  async get(digest: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(digest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== digest) throw new FedLedgerError('INTERNAL', `blob file ${digest} in ${this.dir} hashes to ${actual}; it was changed on disk`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.#path(digest))).isFile();
    } catch {
      return false;
    }
  }

  async remove(digest: string): Promise<void> {
    await rm(this.#path(digest), { force: true });
  }

  #path(digest: string): string {
    if (!DIGEST.test(digest)) throw new FedLedgerError('INVALID_ARGUMENT', `a blob digest is 64 lowercase hex characters (SHA-256), got ${JSON.stringify(digest.slice(0, 80))}`);
    return join(this.dir, digest);
  }
}
