import type { MetricsService } from '../platform/metrics/metrics.service';

/** Rounds remembered at most (a federation's last round never has a next training to close it). */
const MAX_OPEN = 64;

/**
 * Times a round's turnaround at this org: from the moment it finds round r complete (every update
 * in, or the deadline passed with a quorum) to the start of its training for round r + 1. Without
 * training ahead that spans the attestation, the acceptance, their events, the reads and the model
 * download; training ahead (ADR 0030), only the update downloads and the aggregation here. It is
 * the ledger's part of the round's critical path besides the submit (docs/performance.md §4c).
 */
export class RoundTurnaround {
  /** `federationId\0round` → when the round was first found complete (ms). */
  readonly #completeAt = new Map<string, number>();

  constructor(private readonly metrics: MetricsService) {}

  /** `checkedAt`: when the check that found it complete started (its reads count as turnaround). */
  roundComplete(federationId: string, round: number, checkedAt: number): void {
    const key = `${federationId}\u0000${round}`;
    if (this.#completeAt.has(key)) return;
    if (this.#completeAt.size >= MAX_OPEN)
      this.#completeAt.delete(this.#completeAt.keys().next().value as string);
    this.#completeAt.set(key, checkedAt);
  }

  /** This org starts training `round`: observes and returns the turnaround (ms) since round − 1 was found complete, if it was. */
  trainingStarted(federationId: string, round: number): number | undefined {
    const key = `${federationId}\u0000${round - 1}`;
    const completeAt = this.#completeAt.get(key);
    if (completeAt === undefined) return undefined;
    this.#completeAt.delete(key);
    const ms = Date.now() - completeAt;
    this.metrics.roundTurnaroundSeconds.observe(ms / 1000);
    return ms;
  }
}
