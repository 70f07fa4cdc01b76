import { FedLedgerError } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { FedLedgerContext } from './fedledger-context';

/** The transaction timestamp as ISO-8601: the only clock chaincode may use (DESIGN §5). */
export function txTime(ctx: Context): string {
  return ctx.stub.getDateTimestamp().toISOString();
}

/** The transaction timestamp in milliseconds since the epoch. */
export function txTimeMs(ctx: Context): number {
  return ctx.stub.getDateTimestamp().getTime();
}

export function txId(ctx: Context): string {
  return ctx.stub.getTxID();
}

/** How far a transaction timestamp may be from the endorsing peer's clock (ADR 0006). */
export const MAX_TIMESTAMP_SKEW_MS = 60_000;

/**
 * FAILED_PRECONDITION when the client-chosen transaction timestamp is more than
 * {@link MAX_TIMESTAMP_SKEW_MS} from this peer's clock. Fabric does not check it, and deadlines,
 * new deadlines and the audit order all come from it: a participant could otherwise pass a round
 * deadline early by dating its `Aggregate` in the future. Only the decision to refuse depends on the
 * peer clock, never what is written.
 */
export function requirePlausibleTimestamp(ctx: Context): void {
  const peerNow = ctx instanceof FedLedgerContext ? ctx.peerNow() : Date.now();
  const skew = txTimeMs(ctx) - peerNow;
  if (Math.abs(skew) > MAX_TIMESTAMP_SKEW_MS) {
    throw new FedLedgerError(
      'FAILED_PRECONDITION',
      `the transaction timestamp ${txTime(ctx)} is ${Math.abs(skew)} ms ${skew > 0 ? 'ahead of' : 'behind'} this peer's clock; at most ${MAX_TIMESTAMP_SKEW_MS} ms are tolerated (check the client's clock)`,
    );
  }
}
