import type { Context } from 'fabric-contract-api';

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
