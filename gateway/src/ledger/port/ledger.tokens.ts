import type { LedgerApi, LedgerEventSource } from '@fedledger/core';
import type { ComputedAggregate } from '../blobs/blob-path-ledger';

/** The gateway's API roles; each acts on the ledger as one Fabric identity of the org. */
export const API_ROLES = ['admin', 'scientist', 'auditor'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Gives the ledger as seen by the Fabric identity that an API role maps to. */
export interface LedgerProvider {
  ledgerFor(role: ApiRole): LedgerApi;
  /**
   * Resolves once this org's peer has committed `block` (see ledger-session.ts); rejects with
   * LEDGER_UNAVAILABLE when that takes longer than `timeoutMs`.
   */
  waitForBlock(block: number, timeoutMs: number): Promise<void>;
  /**
   * Blob path (ADR 0026): starts fetching `mspId`'s update of the round in the background (another
   * org's), so this org's attestation finds it here, and reads the round's records for an
   * aggregation that may follow at once (ADR 0030); absent where the gateway has no blob path.
   * Never throws.
   * `blob`: the digest and size the update's event announced, which spare a read of the ledger.
   */
  prefetchBlobUpdate?(
    federationId: string,
    round: number,
    mspId: string,
    blob?: { digest: string; byteLength: number },
  ): void;
  /**
   * Blob path (ADR 0030): calls `listener` with each round aggregate this org computes, as soon as
   * it is computed, before its attestation commits; absent where the gateway has no blob path.
   */
  onBlobAggregateComputed?(listener: (computed: ComputedAggregate) => void): void;
}

/** DI token of the {@link LedgerProvider}. */
export const LEDGER = Symbol('LEDGER');
/** DI token of the {@link LedgerEventSource} the participation service listens to. */
export const LEDGER_EVENTS = Symbol('LEDGER_EVENTS');

export type { ComputedAggregate, LedgerApi, LedgerEventSource };
