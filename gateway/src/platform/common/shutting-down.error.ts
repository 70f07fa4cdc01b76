import { FedLedgerError } from '@fedledger/core';

/**
 * Work refused or cut short because the gateway is stopping. A distinct class (its code stays
 * FAILED_PRECONDITION for HTTP) so the participation service can tell "stopped before it finished"
 * from a real failure, and leave the event unchecked for the restarted gateway to handle again.
 */
export class ShuttingDownError extends FedLedgerError {
  constructor(what: string) {
    super('FAILED_PRECONDITION', `${what} is shutting down`);
    this.name = 'ShuttingDownError';
  }
}
