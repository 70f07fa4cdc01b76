import { canonicalJsonBytes, type EventName } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { txId } from './tx';

/**
 * Emits the transaction's single event. Fabric keeps only the last `setEvent` of a transaction,
 * so every transaction calls this exactly once, after all its writes.
 */
export function emitEvent(ctx: Context, name: EventName, payload: Record<string, unknown>): void {
  ctx.stub.setEvent(name, canonicalJsonBytes({ ...payload, txId: txId(ctx) }));
}
