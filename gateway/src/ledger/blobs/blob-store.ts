import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FedLedgerError, sha256Hex } from '@fedledger/core';

const DIGEST = /^[0-9a-f]{64}$/;
/** Verified blobs kept in memory: a round's updates and model (4 × 4 MB at 1M parameters) fit many times over. */
const RECENT_MAX_BYTES = 256 * 1024 * 1024;
const RECENT_MAX_ENTRIES = 16;

/**
 * This org's content-addressed blobs (ADR 0022): one file per SHA-256 digest under `dir`, written
 * through a temporary file and a rename, so a reader never sees half a blob. Reads re-hash the
 * bytes: a file changed on disk is reported, never served or used. The blobs this process stored
 * or verified last are also kept in memory (a copy, so no caller can change them): the model an
 * org computed and attested, and the updates it fetched, are read again within the round (the next
 * round's start, the evaluation) without reading and hashing the file again (ADR 0026).
 */
export class BlobStore {
  /** Digest → bytes known to hash to it, oldest first. */
  readonly #recent = new Map<string, Uint8Array>();
  #recentBytes = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Stores `bytes` and returns their digest; storing the same bytes twice is a no-op. `digest`, when
   * given, is the SHA-256 the caller already checked the bytes against (not hashed again).
   */
  async put(bytes: Uint8Array, digest: string = sha256Hex(bytes)): Promise<string> {
    const target = this.#path(digest);
    if (await this.has(digest)) {
      this.#remember(digest, bytes);
      return digest;
    }
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, target);
    this.#remember(digest, bytes);
    return digest;
  }

  /** The bytes of `digest`, or undefined when this org does not hold them; INTERNAL when the file no longer matches. */
  async get(digest: string): Promise<Uint8Array | undefined> {
    const path = this.#path(digest);
    const recent = this.#recent.get(digest);
    if (recent !== undefined) return recent.slice();
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== digest)
      throw new FedLedgerError(
        'INTERNAL',
        `blob file ${digest} in ${this.dir} hashes to ${actual}; it was changed on disk`,
      );
    const verified = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#remember(digest, verified);
    return verified;
  }

  /**
   * The verified bytes of `digest` if this process holds them in memory, not copied: for writing
   * them out (the blob server) only, never to be changed. Undefined when only the file has them.
   */
  held(digest: string): Uint8Array | undefined {
    return this.#recent.get(digest);
  }

  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.#path(digest))).isFile();
    } catch {
      return false;
    }
  }

  async remove(digest: string): Promise<void> {
    this.#forget(digest);
    await rm(this.#path(digest), { force: true });
  }

  /** Keeps a private copy of bytes known to hash to `digest`, dropping the oldest beyond the limits. */
  #remember(digest: string, bytes: Uint8Array): void {
    if (this.#recent.has(digest) || bytes.length > RECENT_MAX_BYTES) return;
    this.#recent.set(digest, bytes.slice());
    this.#recentBytes += bytes.length;
    while (this.#recentBytes > RECENT_MAX_BYTES || this.#recent.size > RECENT_MAX_ENTRIES) {
      this.#forget(this.#recent.keys().next().value as string);
    }
  }

  #forget(digest: string): void {
    const bytes = this.#recent.get(digest);
    if (bytes === undefined) return;
    this.#recent.delete(digest);
    this.#recentBytes -= bytes.length;
  }

  #path(digest: string): string {
    if (!DIGEST.test(digest))
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `a blob digest is 64 lowercase hex characters (SHA-256), got ${JSON.stringify(digest.slice(0, 80))}`,
      );
    return join(this.dir, digest);
  }
}
