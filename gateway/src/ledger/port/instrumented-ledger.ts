import { isFedLedgerError, type LedgerApi } from '@fedledger/core';

/** Receives one observation per ledger call. */
export type LedgerCallObserver = (method: string, seconds: number, outcome: string) => void;

/**
 * Wraps a ledger so that every method call reports its latency and outcome (`ok` or the error
 * code). A Proxy keeps this in one place instead of repeating it in all 24 methods.
 */
export function instrumentLedger(ledger: LedgerApi, observe: LedgerCallObserver): LedgerApi {
  return new Proxy(ledger, {
    get(target, property, receiver): unknown {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]): Promise<unknown> => {
        const started = process.hrtime.bigint();
        const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const result = await method.apply(target, args);
          observe(property, seconds(), 'ok');
          return result;
        } catch (error) {
          observe(property, seconds(), isFedLedgerError(error) ? error.code : 'INTERNAL');
          throw error;
        }
      };
    },
  });
}
