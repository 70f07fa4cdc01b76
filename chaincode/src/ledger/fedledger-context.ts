import { Context, Contract } from 'fabric-contract-api';

/**
 * The transaction context of every fedledger contract: fabric's context plus the endorsing peer's
 * own clock. The peer clock never reaches a write set or a result; it only bounds the transaction
 * timestamp, which the client chooses (ADR 0006).
 */
export class FedLedgerContext extends Context {
  /** Milliseconds since the epoch on the endorsing peer. */
  peerNow: () => number = () => Date.now();
}

/** Base of the fedledger contracts: gives every transaction a {@link FedLedgerContext}. */
export abstract class FedLedgerContract extends Contract {
  override createContext(): FedLedgerContext {
    return new FedLedgerContext();
  }
}
