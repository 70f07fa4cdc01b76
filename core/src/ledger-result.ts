import { FedLedgerError } from './errors';

const utf8 = new TextDecoder();

/**
 * Decodes a transaction result. The chaincode returns canonical JSON text; depending on how the
 * contract API serialises a string return value it may arrive once more JSON-quoted, so a decoded
 * string that itself holds JSON is parsed again.
 */
export function decodeJsonResult(bytes: Uint8Array, transaction: string): unknown {
  const text = utf8.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FedLedgerError('INTERNAL', `${transaction} returned text that is not JSON`);
  }
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      value = JSON.parse(value);
    } catch {
      // A plain string result that merely starts with a bracket stays a string.
    }
  }
  return value;
}

/** Decodes the base64 text the weight reads (`GetGlobalWeights`, `GetUpdateWeights`, `GetStoredUpdate`) return, possibly JSON-quoted, into bytes. */
export function decodeBase64Result(bytes: Uint8Array, transaction: string): Uint8Array {
  let text = utf8.decode(bytes).trim();
  if (text.startsWith('"')) text = JSON.parse(text) as string;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new FedLedgerError('INTERNAL', `${transaction} returned text that is not base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}
