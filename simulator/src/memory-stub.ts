import type {
  ChaincodeProposal,
  ChaincodeResponse,
  ChaincodeStub,
  Iterators,
  SerializedIdentity,
  SplitCompositekey,
  StateQueryResponse,
  Timestamp,
} from 'fabric-shim-api';
import Long from 'long';
import { compareKeys, type MemoryState, type WriteSet } from './memory-state';

const COMPOSITE_KEY_NAMESPACE = '\u0000';
const MIN_UNICODE_RUNE = '\u0000';
const MAX_UNICODE_RUNE = '\u{10FFFF}';
/** Fabric substitutes this for an empty start key so simple range queries skip composite keys. */
const EMPTY_KEY_SUBSTITUTE = '\u0001';

/** What one simulated transaction is made of. */
export interface MemoryTransaction {
  txId: string;
  timestamp: Date;
  channelId: string;
  creator: SerializedIdentity;
  transient: Map<string, Uint8Array>;
  fcn: string;
  params: string[];
}

type Queryable<T> = Promise<T> & AsyncIterable<Iterators.KV>;

/**
 * An in-memory `ChaincodeStub` for one transaction. Like a Fabric peer it reads committed state
 * only (a transaction does not see its own writes), buffers writes in a write set that is applied
 * only if the transaction succeeds, keeps the last event, and records which keys it read.
 * CouchDB rich queries, chaincode-to-chaincode calls and key-level endorsement are not simulated.
 */
export class MemoryStub implements ChaincodeStub {
  readonly writes: WriteSet = { public: new Map(), private: new Map() };
  readonly reads = new Set<string>();
  event: { name: string; payload: Uint8Array } | undefined;

  readonly #state: MemoryState;
  readonly #tx: MemoryTransaction;

  constructor(state: MemoryState, tx: MemoryTransaction) {
    this.#state = state;
    this.#tx = tx;
  }

  getArgs(): string[] {
    return [this.#tx.fcn, ...this.#tx.params];
  }

  getStringArgs(): string[] {
    return this.getArgs();
  }

  getFunctionAndParameters(): { params: string[]; fcn: string } {
    return { fcn: this.#tx.fcn, params: [...this.#tx.params] };
  }

  getTxID(): string {
    return this.#tx.txId;
  }

  getChannelID(): string {
    return this.#tx.channelId;
  }

  getCreator(): SerializedIdentity {
    return this.#tx.creator;
  }

  getMspID(): string {
    return this.#tx.creator.mspid;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(this.#tx.transient);
  }

  getSignedProposal(): ChaincodeProposal.SignedProposal {
    throw new Error('getSignedProposal is not simulated by MemoryStub');
  }

  getTxTimestamp(): Timestamp {
    const millis = this.#tx.timestamp.getTime();
    const seconds = Math.floor(millis / 1000);
    return {
      seconds: Long.fromNumber(seconds, true),
      nanos: (millis - seconds * 1000) * 1_000_000,
    };
  }

  getDateTimestamp(): Date {
    return new Date(this.#tx.timestamp.getTime());
  }

  getBinding(): string {
    throw new Error('getBinding is not simulated by MemoryStub');
  }

  getState(key: string): Promise<Uint8Array> {
    this.reads.add(key);
    return Promise.resolve(this.#state.get(key) ?? new Uint8Array(0));
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    return settle(() => {
      checkKey(key);
      this.writes.public.set(key, Uint8Array.from(value));
    });
  }

  deleteState(key: string): Promise<void> {
    return settle(() => {
      checkKey(key);
      this.writes.public.set(key, null);
    });
  }

  setStateValidationParameter(): Promise<void> {
    return Promise.reject(new Error('key-level endorsement is not simulated by MemoryStub'));
  }

  getStateValidationParameter(): Promise<Uint8Array> {
    return Promise.reject(new Error('key-level endorsement is not simulated by MemoryStub'));
  }

  getStateByRange(startKey: string, endKey: string): Queryable<Iterators.StateQueryIterator> {
    return queryable(this.#state.range(startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey, endKey));
  }

  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark = '',
  ): Queryable<StateQueryResponse<Iterators.StateQueryIterator>> {
    const entries = this.#state.range(startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey, endKey);
    return paged(entries, pageSize, bookmark);
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Queryable<Iterators.StateQueryIterator> {
    return queryable(this.#state.withPrefix(this.createCompositeKey(objectType, attributes)));
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): Queryable<StateQueryResponse<Iterators.StateQueryIterator>> {
    const prefix = this.createCompositeKey(objectType, attributes);
    // As on a peer, a non-empty bookmark is the start key of the range scanned up to the prefix's end,
    // whether or not it lies inside the prefix.
    const entries =
      bookmark === ''
        ? this.#state.withPrefix(prefix)
        : this.#state.range(bookmark, prefix + MAX_UNICODE_RUNE);
    return paged(entries, pageSize, bookmark);
  }

  getQueryResult(): Queryable<Iterators.StateQueryIterator> {
    throw new Error(
      'rich (CouchDB) queries are not simulated by MemoryStub; the network uses LevelDB',
    );
  }

  getQueryResultWithPagination(): Queryable<StateQueryResponse<Iterators.StateQueryIterator>> {
    throw new Error(
      'rich (CouchDB) queries are not simulated by MemoryStub; the network uses LevelDB',
    );
  }

  getHistoryForKey(
    key: string,
  ): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    const modifications: Iterators.KeyModification[] = this.#state.history(key).map((record) => {
      const millis = record.timestamp.getTime();
      const seconds = Math.floor(millis / 1000);
      return {
        txId: record.txId,
        isDelete: record.isDelete,
        value: record.value,
        timestamp: {
          seconds: Long.fromNumber(seconds, true),
          nanos: (millis - seconds * 1000) * 1_000_000,
        },
      };
    });
    return iterableOf(modifications);
  }

  invokeChaincode(): Promise<ChaincodeResponse> {
    return Promise.reject(
      new Error('chaincode-to-chaincode calls are not simulated by MemoryStub'),
    );
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (name.length === 0) {
      throw new Error('event name must not be empty');
    }
    this.event = { name, payload: Uint8Array.from(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    validateCompositeKeyAttribute(objectType);
    let compositeKey = COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE;
    for (const attribute of attributes) {
      validateCompositeKeyAttribute(attribute);
      compositeKey += attribute + MIN_UNICODE_RUNE;
    }
    return compositeKey;
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    if (!compositeKey.startsWith(COMPOSITE_KEY_NAMESPACE)) {
      return { objectType: '', attributes: [] };
    }
    const parts = compositeKey.slice(1).split(MIN_UNICODE_RUNE);
    return { objectType: parts[0], attributes: parts.slice(1, -1) };
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return settle(() => {
      this.reads.add(`${collection} ${key}`);
      return this.#state.getPrivate(collection, key) ?? new Uint8Array(0);
    });
  }

  getPrivateDataHash(): Promise<Uint8Array> {
    return Promise.reject(new Error('getPrivateDataHash is not simulated by MemoryStub'));
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    return settle(() => {
      checkKey(key);
      this.#state.getPrivate(collection, key); // throws for an unknown collection, as the peer does
      this.#privateWrites(collection).set(key, Uint8Array.from(value));
    });
  }

  deletePrivateData(collection: string, key: string): Promise<void> {
    return settle(() => {
      this.#state.getPrivate(collection, key);
      this.#privateWrites(collection).set(key, null);
    });
  }

  async purgePrivateData(collection: string, key: string): Promise<void> {
    await this.deletePrivateData(collection, key);
  }

  setPrivateDataValidationParameter(): Promise<void> {
    return Promise.reject(new Error('key-level endorsement is not simulated by MemoryStub'));
  }

  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    return Promise.reject(new Error('key-level endorsement is not simulated by MemoryStub'));
  }

  getPrivateDataByRange(
    collection: string,
    startKey: string,
    endKey: string,
  ): Queryable<Iterators.StateQueryIterator> {
    return queryable(
      this.#state.privateRange(
        collection,
        startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey,
        endKey,
      ),
    );
  }

  getPrivateDataByPartialCompositeKey(
    collection: string,
    objectType: string,
    attributes: string[],
  ): Queryable<Iterators.StateQueryIterator> {
    return queryable(
      this.#state.privateWithPrefix(collection, this.createCompositeKey(objectType, attributes)),
    );
  }

  getPrivateDataQueryResult(): Queryable<Iterators.StateQueryIterator> {
    throw new Error(
      'rich (CouchDB) queries are not simulated by MemoryStub; the network uses LevelDB',
    );
  }

  /** Every key this transaction writes (public as-is, private as `<collection> <key>`), sorted. */
  writtenKeys(): string[] {
    const keys = [...this.writes.public.keys()];
    for (const [collection, entries] of this.writes.private) {
      keys.push(...[...entries.keys()].map((key) => `${collection} ${key}`));
    }
    return keys.sort(compareKeys);
  }

  #privateWrites(collection: string): Map<string, Uint8Array | null> {
    let entries = this.writes.private.get(collection);
    if (entries === undefined) {
      entries = new Map();
      this.writes.private.set(collection, entries);
    }
    return entries;
  }
}

/**
 * Runs `work` now and answers as the shim's async methods do: its result resolved, its exception
 * rejected (never thrown synchronously at the caller).
 */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/** `items` as an async iterable (each `for await` starts over), as the shim's query results are. */
function asyncIterableOf<T>(items: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const iterator = items[Symbol.iterator]();
      return { next: () => Promise.resolve(iterator.next()) };
    },
  };
}

function checkKey(key: string): void {
  if (key.length === 0) {
    throw new Error('key must not be an empty string');
  }
}

function validateCompositeKeyAttribute(attribute: string): void {
  if (attribute.includes(MIN_UNICODE_RUNE) || attribute.includes(MAX_UNICODE_RUNE)) {
    throw new Error(
      `input string ${JSON.stringify(attribute)} contains U+0000 or U+10FFFF, which composite keys reserve`,
    );
  }
}

class ArrayIterator<T> implements Iterators.CommonIterator<T> {
  #index = 0;
  constructor(readonly items: readonly T[]) {}

  next(): Promise<Iterators.NextResult<T>> {
    if (this.#index < this.items.length) {
      return Promise.resolve({ value: this.items[this.#index++], done: false });
    }
    return Promise.resolve({ value: undefined as unknown as T, done: true });
  }

  close(): Promise<void> {
    this.#index = this.items.length;
    return Promise.resolve();
  }
}

/** The shim's query results are a promise of an iterator that is also async-iterable. */
function iterableOf<T>(items: T[]): Promise<Iterators.CommonIterator<T>> & AsyncIterable<T> {
  return Object.assign(
    Promise.resolve<Iterators.CommonIterator<T>>(new ArrayIterator(items)),
    asyncIterableOf(items),
  );
}

function queryable(entries: Iterators.KV[]): Queryable<Iterators.StateQueryIterator> {
  return iterableOf(entries);
}

/** A page starting at the bookmark key (inclusive); the bookmark returned is the next page's first key. */
function paged(
  entries: Iterators.KV[],
  pageSize: number,
  bookmark: string,
): Queryable<StateQueryResponse<Iterators.StateQueryIterator>> {
  if (!Number.isInteger(pageSize) || pageSize <= 0) {
    throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  }
  const from = bookmark === '' ? 0 : entries.findIndex((kv) => compareKeys(kv.key, bookmark) >= 0);
  const start = from === -1 ? entries.length : from;
  const page = entries.slice(start, start + pageSize);
  const next = entries.at(start + pageSize);
  const response: StateQueryResponse<Iterators.StateQueryIterator> = {
    iterator: new ArrayIterator(page),
    metadata: { fetchedRecordsCount: page.length, bookmark: next === undefined ? '' : next.key },
  };
  return Object.assign(Promise.resolve(response), asyncIterableOf(page));
}
