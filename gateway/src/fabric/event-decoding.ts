import { EVENT, type EventName, type LedgerEvent } from '@fedledger/core';

const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.values(EVENT));

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
  if (!KNOWN_EVENTS.has(event.eventName)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(event.payload));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  return {
    name: event.eventName as EventName,
    payload: { txId: event.transactionId, ...(payload as Record<string, unknown>) },
    txId: event.transactionId,
    blockNumber: event.blockNumber,
  };
}
