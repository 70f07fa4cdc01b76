import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { MspId } from '@fedledger/core';
import type { BlobStore } from './blob-store';
import { OrgRecognizer, type BlobTlsMaterial } from './blob-tls';

const BLOB_PATH = /^\/blobs\/([0-9a-f]{64})$/;

export interface BlobServerOptions {
  store: BlobStore;
  tls: BlobTlsMaterial;
  /** Whether an org may download (the gateway answers from the consortium on the ledger: role member). */
  mayDownload: (mspId: MspId) => Promise<boolean>;
  host: string;
  port: number;
}

/** How long an idle client connection is kept open. */
const KEEP_ALIVE_MS = 120_000;

/**
 * Serves this org's blobs to the other consortium members over mutual TLS (ADR 0022): only clients
 * with a certificate from one of the consortium's TLS CAs complete the handshake, and only those
 * whose org is a consortium member (not the auditor, not a removed org) get bytes. `GET
 * /blobs/<sha256>` answers 200 with the bytes, 404 when this org does not hold them, 403 otherwise.
 * The client checks the bytes against the ledger's digest; the server never decides what is valid.
 */
export class BlobServer {
  readonly #server: Server;
  readonly #options: BlobServerOptions;

  private constructor(options: BlobServerOptions) {
    this.#options = options;
    const recognizer = new OrgRecognizer(options.tls.orgCas);
    this.#server = createServer(
      {
        cert: options.tls.cert,
        key: options.tls.key,
        ca: recognizer.caList,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        // Longer than a round, so the other orgs' connections (kept open by their fetchers) last
        // from one round's download to the next.
        keepAliveTimeout: KEEP_ALIVE_MS,
      },
      (request, response) => {
        const answer = (status: number, text: string): void => {
          response
            .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
            .end(`${text}\n`);
        };
        const match = BLOB_PATH.exec(request.url ?? '');
        if (request.method !== 'GET' || match === null) {
          answer(
            request.method === 'GET' ? 404 : 405,
            'GET /blobs/<64 lowercase hex SHA-256> only',
          );
          return;
        }
        const digest = match[1];
        const org = recognizer.orgOf((request.socket as TLSSocket).getPeerCertificate(false));
        void (async () => {
          if (org === undefined || !(await options.mayDownload(org))) {
            answer(
              403,
              `${org ?? 'an unknown org'} is not a consortium member that may download blobs`,
            );
            return;
          }
          // From memory in one write when held (a round's update or model, ADR 0030): the round's
          // path waits for this download while this process may be busy aggregating.
          const held = options.store.held(digest);
          if (held !== undefined) {
            response
              .writeHead(200, {
                'content-type': 'application/octet-stream',
                'content-length': String(held.byteLength),
              })
              .end(held);
            return;
          }
          const file = join(options.store.dir, digest);
          const size = await stat(file).then(
            (s) => (s.isFile() ? s.size : undefined),
            () => undefined,
          );
          if (size === undefined) {
            answer(404, `${options.tls.mspId} does not hold blob ${digest}`);
            return;
          }
          response.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': String(size),
          });
          createReadStream(file)
            .on('error', () => response.destroy())
            .pipe(response);
        })().catch(() => {
          if (!response.headersSent) answer(500, 'blob server error');
          else response.destroy();
        });
      },
    );
  }

  static async start(options: BlobServerOptions): Promise<BlobServer> {
    const server = new BlobServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(options.port, options.host, () => {
        server.#server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `https://${this.#options.host}:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }
}
