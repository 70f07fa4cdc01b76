import { createHash } from 'node:crypto';
import { Agent, request } from 'node:https';
import { FedLedgerError, type MspId } from '@fedledger/core';
import type { BlobStore } from './blob-store';
import { OrgRecognizer, type BlobTlsMaterial } from './blob-tls';

export interface BlobFetcherOptions {
  store: BlobStore;
  tls: BlobTlsMaterial;
  /** Each org's blob server, e.g. `Org2MSP → https://10.0.0.12:7443` (looked up at each fetch). */
  endpoints: { get(mspId: MspId): string | undefined };
  timeoutMs: number;
}

/**
 * Gets the blobs the ledger names (ADR 0022): from this org's store when it holds them, otherwise
 * from the orgs that serve them, over mutual TLS with this org's TLS certificate. A server must
 * prove it is the org the ledger names (its certificate issued by that org's TLS CA), and every
 * downloaded blob must have the ledger's digest and size before it is kept or used.
 */
export class BlobFetcher {
  readonly #recognizer: OrgRecognizer;
  /** Fetches under way, by digest. */
  readonly #inFlight = new Map<string, Promise<Uint8Array>>();
  /**
   * Connections to each org's blob server, kept open between downloads: a round's last update is
   * on the round's path (ADR 0030), and a mutual-TLS handshake per blob was part of its download.
   * One pool per org, so a connection whose server proved to be org X serves only downloads from X.
   */
  readonly #agents = new Map<MspId, Agent>();

  constructor(private readonly options: BlobFetcherOptions) {
    this.#recognizer = new OrgRecognizer(options.tls.orgCas);
  }

  /** Closes the kept connections. */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #agentFor(mspId: MspId): Agent {
    let agent = this.#agents.get(mspId);
    if (agent === undefined) {
      // Idle connections are closed here after 60 s, before the server's 120 s, so a request is
      // rarely sent on a connection the server is closing (that case is retried, see #download).
      agent = new Agent({ keepAlive: true, maxSockets: 4, timeout: 60_000 });
      this.#agents.set(mspId, agent);
    }
    return agent;
  }

  /**
   * The bytes of `digest` (`byteLength` long), tried from `servedBy` in order; BLOB_UNAVAILABLE when no
   * server delivers them. A fetch of a digest already under way (a prefetch, ADR 0026) is joined
   * instead of downloading the blob twice; if that one fails, this caller tries on its own.
   */
  fetch(digest: string, byteLength: number, servedBy: readonly MspId[]): Promise<Uint8Array> {
    const pending = this.#inFlight.get(digest);
    if (pending !== undefined) {
      return pending.then(
        (bytes) =>
          bytes.length === byteLength ? bytes : this.#fetchOnce(digest, byteLength, servedBy),
        () => this.#fetchOnce(digest, byteLength, servedBy),
      );
    }
    const started = this.#fetchOnce(digest, byteLength, servedBy).finally(() =>
      this.#inFlight.delete(digest),
    );
    this.#inFlight.set(digest, started);
    return started;
  }

  /** Fetches the blob in the background (kept in the store once verified); failures are left to the later {@link fetch}. */
  prefetch(digest: string, byteLength: number, servedBy: readonly MspId[]): void {
    this.fetch(digest, byteLength, servedBy).catch(() => undefined);
  }

  async #fetchOnce(
    digest: string,
    byteLength: number,
    servedBy: readonly MspId[],
  ): Promise<Uint8Array> {
    const local = await this.options.store.get(digest);
    if (local !== undefined) return local;
    const problems: string[] = [];
    for (const mspId of servedBy.filter((m) => m !== this.options.tls.mspId)) {
      const endpoint = this.options.endpoints.get(mspId);
      if (endpoint === undefined) {
        problems.push(`${mspId}: no blob endpoint configured for it`);
        continue;
      }
      try {
        const bytes = await this.#download(
          mspId,
          `${endpoint.replace(/\/$/, '')}/blobs/${digest}`,
          digest,
          byteLength,
        );
        await this.options.store.put(bytes, digest);
        return bytes;
      } catch (error) {
        problems.push(`${mspId}: ${(error as Error).message}`);
      }
    }
    throw new FedLedgerError(
      'BLOB_UNAVAILABLE',
      `blob ${digest} (${byteLength} bytes) could not be fetched from ${servedBy.join(', ') || 'any org'}: ${problems.join('; ') || 'no other org serves it'}`,
    );
  }

  #download(
    mspId: MspId,
    url: string,
    digest: string,
    byteLength: number,
    retried = false,
  ): Promise<Uint8Array> {
    const { tls, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          agent: this.#agentFor(mspId),
          cert: tls.cert,
          key: tls.key,
          ca: this.#recognizer.caList,
          minVersion: 'TLSv1.2',
          timeout: timeoutMs,
          // The server is whoever the ledger says serves the blob: its org, not a host name, is checked.
          checkServerIdentity: (_host, certificate) => {
            const org = this.#recognizer.orgOf(certificate);
            return org === mspId
              ? undefined
              : new Error(
                  `the server's TLS certificate belongs to ${org ?? 'no consortium org'}, not ${mspId}`,
                );
          },
        },
        (response) => {
          if (response.statusCode !== 200) {
            let text = '';
            response
              .setEncoding('utf8')
              .on('data', (chunk: string) => (text += chunk.slice(0, 300)))
              .on('end', () => {
                reject(new Error(`HTTP ${response.statusCode}: ${text.trim().slice(0, 300)}`));
              });
            return;
          }
          const bytes = Buffer.allocUnsafe(byteLength);
          const hash = createHash('sha256');
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            if (received + chunk.length > byteLength) {
              req.destroy(new Error(`sent more than the ${byteLength} bytes the ledger records`));
              return;
            }
            chunk.copy(bytes, received);
            hash.update(chunk);
            received += chunk.length;
          });
          response.on('end', () => {
            const actual = hash.digest('hex');
            if (received !== byteLength)
              reject(new Error(`sent ${received} bytes, the ledger records ${byteLength}`));
            else if (actual !== digest)
              reject(new Error(`sent bytes hashing to ${actual}, the ledger records ${digest}`));
            else resolve(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          });
          response.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept connection the server closed just as this request went out: once more, on a new one.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried)
          resolve(this.#download(mspId, url, digest, byteLength, true));
        else reject(error);
      });
      req.end();
    });
  }
}
