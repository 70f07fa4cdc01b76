import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { FedLedgerError, type ErrorCode } from '@fedledger/core';
import type { InProcessWorld } from './in-process-world';

/**
 * Asserts that `call` rejects with a FedLedgerError of exactly `code` and that the world's public
 * and private state is byte-for-byte what it was before (a rejected transaction changes nothing).
 * Returns the error so a test can also check its message.
 */
export async function expectRejection(
  world: InProcessWorld,
  code: ErrorCode,
  call: () => Promise<unknown>,
): Promise<FedLedgerError> {
  const before = world.state.snapshot();
  const committedBefore = world.committed.length;
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof FedLedgerError,
    `expected a FedLedgerError ${code}, got ${caught === undefined ? 'success' : inspect(caught)}`,
  );
  assert.equal(caught.code, code, `expected ${code}, got ${caught.message}`);
  assert.deepEqual(
    world.state.snapshot(),
    before,
    `state changed although the call was rejected with ${caught.message}`,
  );
  assert.equal(world.committed.length, committedBefore, 'a rejected call committed a transaction');
  return caught;
}

/** An `assert.rejects` validator: the error is a FedLedgerError of exactly `code` (for ledgers without a world to compare). */
export function rejectedWith(code: ErrorCode): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(
      error instanceof FedLedgerError,
      `expected a FedLedgerError ${code}, got ${String(error)}`,
    );
    assert.equal(error.code, code, error.message);
    return true;
  };
}
