import { FedLedgerError, type Page } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim-api';
import type { KeyType } from '../state/keys';
import { marshal, printable, unmarshal, type RecordType } from '../state/record';

/** A record of type T read from public state, or undefined when the key is absent. */
export async function findRecord<T>(
  ctx: Context,
  type: RecordType<T>,
  stateKey: string,
): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(stateKey);
  return bytes.length > 0 ? unmarshal(type, bytes, stateKey) : undefined;
}

/** A record of type T, or NOT_FOUND naming what was looked for. */
export async function getRecord<T>(
  ctx: Context,
  type: RecordType<T>,
  stateKey: string,
): Promise<T> {
  const record = await findRecord(ctx, type, stateKey);
  if (record === undefined) {
    throw new FedLedgerError(
      'NOT_FOUND',
      `${type.name} ${printable(stateKey).replace(/^fl\.[A-Za-z.]+\//, '')} does not exist`,
    );
  }
  return record;
}

/** Writes a record as canonical JSON. */
export async function putRecord<T>(
  ctx: Context,
  type: RecordType<T>,
  stateKey: string,
  value: T,
): Promise<void> {
  await ctx.stub.putState(stateKey, marshal(type, value));
}

/** Every record under a partial composite key, in key order (safe in submit transactions). */
export async function listRecords<T>(
  ctx: Context,
  type: RecordType<T>,
  keyType: KeyType,
  attributes: string[],
): Promise<T[]> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(keyType, attributes);
  return drain(iterator, type);
}

/**
 * One page of records under a partial composite key. Fabric allows paginated queries only in
 * read-only (evaluate) transactions, so only `@Transaction(false)` methods call this.
 */
export async function pageRecords<T>(
  ctx: Context,
  type: RecordType<T>,
  keyType: KeyType,
  attributes: string[],
  pageSize: number,
  bookmark: string,
): Promise<Page<T>> {
  // The peer starts the scan at a non-empty bookmark wherever it lies, so a bookmark from another
  // listing (another federation's timeline, another record type) would page through foreign records.
  if (bookmark !== '' && !bookmark.startsWith(ctx.stub.createCompositeKey(keyType, attributes))) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      "bookmark does not belong to this listing; pass '' or the bookmark its previous page returned",
    );
  }
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    keyType,
    attributes,
    pageSize,
    bookmark,
  );
  const items = await drain(iterator, type);
  // Fabric returns the last key's successor even when the range is exhausted; a short page means the end.
  return { items, bookmark: items.length < pageSize ? '' : metadata.bookmark };
}

async function drain<T>(iterator: Iterators.StateQueryIterator, type: RecordType<T>): Promise<T[]> {
  const records: T[] = [];
  try {
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      records.push(unmarshal(type, result.value.value, result.value.key));
    }
  } finally {
    await iterator.close();
  }
  return records;
}
