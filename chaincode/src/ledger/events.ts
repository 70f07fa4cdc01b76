import { canonicalJsonBytes, type EventBody, type EventName } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { txId } from './tx';

/**
 * Emits the transaction's single event. Fabric keeps only the last `setEvent` of a transaction,
 * so every transaction calls this exactly once, after all its writes. The payload's type comes
 * from core's event map, the one the gateways decode with.
 */
export function emitEvent<N extends EventName>(ctx: Context, name: N, payload: EventBody<N>): void {
  ctx.stub.setEvent(name, canonicalJsonBytes({ ...payload, txId: txId(ctx) }));
}
