import type { LedgerApi } from './ledger-api';
import type { LedgerCall } from './ledger-call';
import { LEDGER_CALLS } from './ledger-calls';

/**
 * Base of every `LedgerApi` transport: each method runs its {@link LEDGER_CALLS} entry through
 * `invoke`, so a subclass decides only how a call travels (Fabric gateway, in-process world) and
 * never which transaction a method is or how its arguments and result are encoded.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface below: it states the methods the loop at the end installs
export abstract class LedgerCallClient {
  /** Sends `call` with a method's arguments and resolves with the decoded result. */
  abstract invoke<P extends readonly unknown[], R>(call: LedgerCall<P, R>, input: P): Promise<R>;
}

// The methods are installed on the prototype below, one per table entry; the merged interface
// states that, and `LedgerCalls` makes the table (so the set of methods) complete.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the merge is the point: the loop below installs every LedgerApi method on the class's prototype, which no class body can state
export interface LedgerCallClient extends LedgerApi {}

for (const method of Object.keys(LEDGER_CALLS) as Array<keyof LedgerApi>) {
  const call = LEDGER_CALLS[method] as LedgerCall<unknown[], unknown>;
  Object.defineProperty(LedgerCallClient.prototype, method, {
    value(this: LedgerCallClient, ...input: unknown[]): Promise<unknown> {
      return this.invoke(call, input);
    },
    writable: true,
    configurable: true,
  });
}
