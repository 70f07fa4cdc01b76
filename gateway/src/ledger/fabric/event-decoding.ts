import { decodeLedgerEvent, type LedgerEvent } from '@fedledger/core';

/** The fields of a Fabric chaincode event this gateway uses. */
export interface RawChaincodeEvent {
  eventName: string;
  payload: Uint8Array;
  transactionId: string;
  blockNumber: bigint;
}

/**
 * Turns a Fabric chaincode event into a {@link LedgerEvent}; undefined for events this gateway does
 * not know (a newer chaincode) or whose payload is not a JSON object, which are skipped.
 */
export function decodeChaincodeEvent(event: RawChaincodeEvent): LedgerEvent | undefined {
  return decodeLedgerEvent(event.eventName, event.payload, event.transactionId, event.blockNumber);
}
