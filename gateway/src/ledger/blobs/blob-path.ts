import { join } from 'node:path';
import type { Consortium, LedgerApi, MspId } from '@fedledger/core';
import type { BlobPathConfig } from '../../platform/config/gateway-config';
import { BlobFetcher } from './blob-fetcher';
import { withBlobPath, type BlobPathLedger, type ComputedAggregate } from './blob-path-ledger';
import { BlobServer } from './blob-server';
import { BlobStore } from './blob-store';
import { loadBlobTls } from './blob-tls';

/** How long the consortium's member list is trusted before the ledger is asked again. */
const MEMBERS_TTL_MS = 30_000;

/**
 * One gateway's blob path (ADR 0022): its store under `<stateDir>/blobs`, its mutual-TLS server
 * (downloads allowed to the consortium's member orgs as the ledger lists them), the fetcher for
 * the other orgs' blobs, and {@link wrap} to put the path under a ledger.
 */
export class BlobPath {
  readonly #computedListeners = new Set<(computed: ComputedAggregate) => void>();

  private constructor(
    private readonly mspId: MspId,
    private readonly config: BlobPathConfig,
    readonly store: BlobStore,
    readonly fetcher: BlobFetcher,
    readonly server: BlobServer,
  ) {}

  static async open(
    mspId: MspId,
    config: BlobPathConfig,
    stateDir: string,
    consortium: () => Promise<Consortium>,
  ): Promise<BlobPath> {
    const tls = loadBlobTls({
      mspId,
      certPath: config.certPath,
      keyPath: config.keyPath,
      orgCaPaths: config.caPaths,
    });
    const store = new BlobStore(join(stateDir, 'blobs'));
    let members: { at: number; orgs: Set<MspId> } | undefined;
    const mayDownload = async (org: MspId): Promise<boolean> => {
      if (members === undefined || Date.now() - members.at > MEMBERS_TTL_MS) {
        const current = await consortium();
        members = {
          at: Date.now(),
          orgs: new Set(current.members.filter((m) => m.role === 'member').map((m) => m.mspId)),
        };
      }
      return members.orgs.has(org);
    };
    const server = await BlobServer.start({
      store,
      tls,
      mayDownload,
      host: config.listenHost,
      port: config.listenPort,
    });
    const fetcher = new BlobFetcher({
      store,
      tls,
      endpoints: { get: (org) => config.endpoints[org] },
      timeoutMs: config.timeoutMs,
    });
    return new BlobPath(mspId, config, store, fetcher, server);
  }

  wrap(ledger: LedgerApi): BlobPathLedger {
    return withBlobPath(ledger, {
      mspId: this.mspId,
      store: this.store,
      fetcher: this.fetcher,
      minBlobParams: this.config.minParams,
      onAggregateComputed: (computed) => {
        for (const listener of this.#computedListeners) listener(computed);
      },
    });
  }

  /** Calls `listener` with every round aggregate this org computes (ADR 0030), from any wrapped ledger. */
  onAggregateComputed(listener: (computed: ComputedAggregate) => void): void {
    this.#computedListeners.add(listener);
  }

  close(): Promise<void> {
    this.fetcher.close();
    return this.server.close();
  }
}
