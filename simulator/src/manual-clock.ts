/** Where the in-process ledger takes transaction timestamps from. */
export interface Clock {
  now(): Date;
}

/**
 * A deterministic clock: each `now()` returns the current time and then steps it forward by
 * `stepMs` (default 1 s), so consecutive transactions get increasing timestamps; `advance` jumps
 * ahead, e.g. past a round deadline.
 */
export class ManualClock implements Clock {
  #millis: number;
  readonly #stepMs: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z', stepMs = 1000) {
    this.#millis = new Date(start).getTime();
    this.#stepMs = stepMs;
  }

  now(): Date {
    const current = new Date(this.#millis);
    this.#millis += this.#stepMs;
    return current;
  }

  /** The time the next transaction will get, without consuming it. */
  peek(): Date {
    return new Date(this.#millis);
  }

  advance(ms: number): void {
    this.#millis += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
