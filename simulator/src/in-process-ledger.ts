import { CONTRACT, LedgerCallClient, type LedgerApi, type LedgerCall } from '@fedledger/core';
import type { TransactionRunner } from './invocation';
import { resolveIdentity, type TestIdentity } from './memory-identity';

const utf8 = new TextEncoder();

/**
 * `LedgerApi` over an {@link InProcessWorld}, bound to one identity: the transport that executes
 * `LEDGER_CALLS` entries, so its arguments and transient entries are the very strings and bytes the
 * Fabric client sends, and results are decoded the same way from the chaincode's returned text.
 */
export class InProcessLedger extends LedgerCallClient implements LedgerApi {
  readonly #world: TransactionRunner;
  readonly identity: Required<TestIdentity>;

  constructor(world: TransactionRunner, identity: Required<TestIdentity>) {
    super();
    this.#world = world;
    this.identity = identity;
  }

  /** The same ledger acting as another identity. */
  as(identity: TestIdentity): InProcessLedger {
    return new InProcessLedger(this.#world, resolveIdentity(identity));
  }

  /** Runs the call as this ledger's identity; `submit` commits its writes, `evaluate` never does. */
  async invoke<P extends readonly unknown[], R>(call: LedgerCall<P, R>, input: P): Promise<R> {
    const result = await this.#world.invoke(this.identity, {
      contract: CONTRACT[call.contract],
      fcn: call.transaction,
      params: call.args(...input),
      transient: call.transient?.(...input),
      mode: call.kind,
    });
    return call.decode(utf8.encode(result));
  }
}
