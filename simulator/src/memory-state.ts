import type { Iterators } from 'fabric-shim-api';

/** One committed change of a public key, as the history database records it. */
export interface HistoryRecord {
  txId: string;
  timestamp: Date;
  isDelete: boolean;
  value: Uint8Array;
}

/** The writes of one transaction: public keys and private keys per collection (null = delete). */
export interface WriteSet {
  public: Map<string, Uint8Array | null>;
  private: Map<string, Map<string, Uint8Array | null>>;
}

/**
 * Committed world state of one simulated channel: public state, private data per collection and
 * the history database. Transactions read it and buffer their writes; `commit` applies them.
 */
export class MemoryState {
  readonly #public = new Map<string, Uint8Array>();
  readonly #private = new Map<string, Map<string, Uint8Array>>();
  readonly #history = new Map<string, HistoryRecord[]>();

  constructor(readonly collections: readonly string[]) {
    for (const collection of collections) {
      this.#private.set(collection, new Map());
    }
  }

  get(key: string): Uint8Array | undefined {
    return this.#public.get(key);
  }

  getPrivate(collection: string, key: string): Uint8Array | undefined {
    return this.#collection(collection).get(key);
  }

  /** Public entries with start ≤ key < end (end '' = unbounded), sorted by key. */
  range(start: string, end: string): Iterators.KV[] {
    return sortedEntries(this.#public, (k) => inRange(k, start, end));
  }

  /** Public entries whose key starts with `prefix`, sorted by key. */
  withPrefix(prefix: string): Iterators.KV[] {
    return sortedEntries(this.#public, (k) => k.startsWith(prefix));
  }

  privateWithPrefix(collection: string, prefix: string): Iterators.KV[] {
    return sortedEntries(this.#collection(collection), (k) => k.startsWith(prefix));
  }

  privateRange(collection: string, start: string, end: string): Iterators.KV[] {
    return sortedEntries(this.#collection(collection), (k) => inRange(k, start, end));
  }

  /** History of a public key, newest first (as Fabric v2 returns it). */
  history(key: string): HistoryRecord[] {
    return [...(this.#history.get(key) ?? [])].reverse();
  }

  /** Applies a successful transaction's writes atomically and records public-key history. */
  commit(writes: WriteSet, txId: string, timestamp: Date): void {
    for (const [key, value] of writes.public) {
      if (value === null) {
        this.#public.delete(key);
      } else {
        this.#public.set(key, value);
      }
      const history = this.#history.get(key) ?? [];
      history.push({
        txId,
        timestamp,
        isDelete: value === null,
        value: value ?? new Uint8Array(0),
      });
      this.#history.set(key, history);
    }
    for (const [collection, entries] of writes.private) {
      const target = this.#collection(collection);
      for (const [key, value] of entries) {
        if (value === null) {
          target.delete(key);
        } else {
          target.set(key, value);
        }
      }
    }
  }

  /** A copy of every public and private entry, for tests that assert a rejected call changed nothing. */
  snapshot(): Map<string, string> {
    const copy = new Map<string, string>();
    for (const [key, value] of this.#public) {
      copy.set(`public ${key}`, Buffer.from(value).toString('base64'));
    }
    for (const [collection, entries] of this.#private) {
      for (const [key, value] of entries) {
        copy.set(`${collection} ${key}`, Buffer.from(value).toString('base64'));
      }
    }
    return copy;
  }

  #collection(collection: string): Map<string, Uint8Array> {
    const entries = this.#private.get(collection);
    if (entries === undefined) {
      throw new Error(
        `collection ${collection} is not defined for this chaincode (known: ${this.collections.join(', ')})`,
      );
    }
    return entries;
  }
}

function sortedEntries(
  map: Map<string, Uint8Array>,
  include: (key: string) => boolean,
): Iterators.KV[] {
  return [...map.keys()]
    .filter(include)
    .sort(compareKeys)
    .map((key) => ({ namespace: '', key, value: map.get(key) as Uint8Array }));
}

function inRange(key: string, start: string, end: string): boolean {
  return compareKeys(key, start) >= 0 && (end === '' || compareKeys(key, end) < 0);
}

/** Byte-wise order of UTF-8 keys, as LevelDB sorts them. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
