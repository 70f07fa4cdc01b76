/** Ask a little after the deadline so the peer's transaction timestamp is past it too. */
const DEADLINE_GRACE_MS = 2_000;
/** setTimeout's ceiling (~24.8 days); a later deadline is re-checked when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The in-memory timers of open rounds: one at each round's deadline and one for this org's turn as
 * fallback aggregator. They only decide when to ask the ledger again; what to ask is the callers'.
 */
export class RoundTimers {
  readonly #deadlines = new Map<string, NodeJS.Timeout>();
  readonly #fallbacks = new Map<string, NodeJS.Timeout>();

  /**
   * @param onDeadline called once the round's deadline has passed
   * @param onFallback called once this org's fallback turn as aggregator has come
   */
  constructor(
    private readonly onDeadline: (federationId: string, round: number) => void,
    private readonly onFallback: (federationId: string, round: number) => void,
  ) {}

  /**
   * When a round's deadline passes, aggregate with whoever submitted (if at least minParticipants),
   * so one silent org cannot stall the federation. The chaincode checks the deadline against the
   * transaction timestamp; this timer only decides when to ask.
   */
  scheduleDeadline(federationId: string, round: number, deadline: string): void {
    const key = `${federationId}\u0000${round}`;
    if (this.#deadlines.has(key) || Number.isNaN(Date.parse(deadline))) return;
    const delay = Math.max(0, Date.parse(deadline) - Date.now() + DEADLINE_GRACE_MS);
    const timer = setTimeout(
      () => {
        this.#deadlines.delete(key);
        if (Date.now() < Date.parse(deadline)) {
          this.scheduleDeadline(federationId, round, deadline);
          return;
        }
        this.onDeadline(federationId, round);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.#deadlines.set(key, timer);
  }

  /** Steps in as aggregator after `delayMs` unless the round was aggregated meanwhile. */
  scheduleFallback(federationId: string, round: number, delayMs: number): void {
    const key = `${federationId}\u0000${round}`;
    if (this.#fallbacks.has(key)) return;
    const timer = setTimeout(() => {
      this.#fallbacks.delete(key);
      this.onFallback(federationId, round);
    }, delayMs);
    timer.unref();
    this.#fallbacks.set(key, timer);
  }

  /** The round is closed: its deadline and fallback timers have nothing left to do. */
  cancel(federationId: string, round: number): void {
    const key = `${federationId}\u0000${round}`;
    for (const timers of [this.#deadlines, this.#fallbacks]) {
      clearTimeout(timers.get(key));
      timers.delete(key);
    }
  }

  /** Shutdown: no timer fires any more. */
  clear(): void {
    for (const timers of [this.#deadlines, this.#fallbacks]) {
      timers.forEach((timer) => {
        clearTimeout(timer);
      });
      timers.clear();
    }
  }
}
