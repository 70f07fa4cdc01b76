import { FedLedgerError } from '@fedledger/core';
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

/**
 * Base of the fedledger contracts: gives every transaction a {@link FedLedgerContext}, and answers
 * an unknown transaction name with a coded error like every other failure.
 */
export abstract class FedLedgerContract extends Contract {
  override createContext(): FedLedgerContext {
    return new FedLedgerContext();
  }

  override unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    return Promise.reject(
      new FedLedgerError('INVALID_ARGUMENT', `${fcn} is not a transaction of this chaincode`),
    );
  }
}
