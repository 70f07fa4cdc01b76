import { FedLedgerError, type LedgerApi, type LedgerEventSource } from '@fedledger/core';
import type { InjectedLedger } from '../ledger/port/ledger.module';

/**
 * A ledger that is never reachable: every call rejects with LEDGER_UNAVAILABLE and no event ever
 * arrives. Used to build the app for OpenAPI generation, where no route is called.
 */
export function offlineLedger(): InjectedLedger {
  const unavailable = new Proxy({} as LedgerApi, {
    get: (_target, property) => () =>
      Promise.reject(
        new FedLedgerError(
          'LEDGER_UNAVAILABLE',
          `offline ledger: ${String(property)} is not available`,
        ),
      ),
  });
  const events: LedgerEventSource = { listen: () => Promise.resolve({ close: () => undefined }) };
  return {
    provider: {
      ledgerFor: () => unavailable,
      waitForBlock: () =>
        Promise.reject(new FedLedgerError('LEDGER_UNAVAILABLE', 'offline ledger')),
    },
    events,
  };
}
