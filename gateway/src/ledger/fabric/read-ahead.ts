/**
 * A bounded queue between a reader of an async stream and one consumer: the reader keeps reading
 * while the consumer is busy (up to `capacity` items, then it waits), turning each item into what
 * is queued with `onRead` as it is read. `take` resolves with the next queued item, with undefined
 * once the stream ended, and rejects with the stream's error once every item read before it was
 * taken.
 */
export class ReadAhead<S, T> {
  readonly #items: T[] = [];
  #ended = false;
  #error: { reason: unknown } | undefined;
  #itemReady: (() => void) | undefined;
  #spaceFree: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  /** Reads `source` to its end or error; never rejects (the error goes to `take`). */
  async fill(source: AsyncIterable<S>, onRead: (item: S) => T): Promise<void> {
    try {
      for await (const item of source) {
        this.#items.push(onRead(item));
        this.#wake();
        while (this.#items.length >= this.capacity)
          await new Promise<void>((resolve) => (this.#spaceFree = resolve));
      }
    } catch (error) {
      this.#error = { reason: error };
    } finally {
      this.#ended = true;
      this.#wake();
    }
  }

  async take(): Promise<T | undefined> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        const free = this.#spaceFree;
        this.#spaceFree = undefined;
        free?.();
        return item;
      }
      if (this.#error !== undefined) throw this.#error.reason;
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => (this.#itemReady = resolve));
    }
  }

  #wake(): void {
    const ready = this.#itemReady;
    this.#itemReady = undefined;
    ready?.();
  }
}
