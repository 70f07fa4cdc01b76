import { FedLedgerError } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';

/** A required transient-map entry; INVALID_ARGUMENT naming the key when it is missing or empty. */
export function requireTransient(ctx: Context, name: string): Uint8Array {
  const value = ctx.stub.getTransient().get(name);
  if (value === undefined || value.length === 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `the transient map must carry "${name}" (the encoded weights); weights never travel as arguments`,
    );
  }
  return value;
}

/** PAYLOAD_TOO_LARGE when the payload exceeds the federation's limit. */
export function requireWithinLimit(bytes: Uint8Array, limit: number, what: string): void {
  if (bytes.length > limit) {
    throw new FedLedgerError(
      'PAYLOAD_TOO_LARGE',
      `${what} is ${bytes.length} bytes; this federation accepts at most ${limit}`,
    );
  }
}
