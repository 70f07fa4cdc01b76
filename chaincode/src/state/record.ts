import { canonicalJsonBytes, FedLedgerError } from '@fedledger/core';
import { FieldReader } from '../validation/field-reader';

/** How one ledger record type is read back: a strict reader that rejects malformed stored data. */
export interface RecordType<T> {
  readonly name: string;
  read(reader: FieldReader): T;
}

/** The one way records are written: canonical JSON bytes (identical on every endorsing peer). */
export function marshal<T>(_type: RecordType<T>, value: T): Uint8Array {
  return canonicalJsonBytes(value);
}

/** Parses and validates stored bytes; anything that is not exactly the expected shape is INTERNAL. */
export function unmarshal<T>(type: RecordType<T>, bytes: Uint8Array, key: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new FedLedgerError(
      'INTERNAL',
      `stored ${type.name} at ${printable(key)} is not JSON (${why})`,
    );
  }
  const reader = new FieldReader(parsed, `stored ${type.name} ${printable(key)}`, 'INTERNAL');
  const value = type.read(reader);
  reader.done();
  return value;
}

/** Composite keys contain U+0000 separators; show them as '/' in messages. */
export function printable(key: string): string {
  return key
    .split('\u0000')
    .filter((part) => part.length > 0)
    .join('/');
}
