import type { ErrorCode } from './errors';

/**
 * When a round may close, and who closes it: one rule for the chaincode (which enforces it in
 * `Aggregate` and `CloseSubmissions`) and the gateways (which decide when to ask), so the two
 * cannot drift apart.
 */
export interface RoundTally {
  /** Participants of the federation. */
  participants: number;
  /** Participants whose update is on the ledger for the round. */
  submitted: number;
  /** Participants that reported they cannot train this round and did not submit. */
  failed: number;
  minParticipants: number;
  /** Whether the round's deadline has passed (the transaction time on the chaincode; the clock in a gateway). */
  pastDeadline: boolean;
}

/** At least `minParticipants` updates. */
export function quorumMet(tally: Pick<RoundTally, 'submitted' | 'minParticipants'>): boolean {
  return tally.submitted >= tally.minParticipants;
}

/**
 * Nobody is left to wait for: every participant submitted, or each one either submitted or reported
 * it cannot train and the quorum is met (a failed org counts as done, so the round closes now rather
 * than at its deadline).
 */
export function everyoneIn(tally: Omit<RoundTally, 'pastDeadline'>): boolean {
  return (
    tally.submitted >= tally.participants ||
    (tally.submitted + tally.failed >= tally.participants && quorumMet(tally))
  );
}

/** The round may close (aggregate, or fix the submitter set): everyone is in, or the deadline passed with the quorum. */
export function roundReady(tally: RoundTally): boolean {
  return everyoneIn(tally) || (tally.pastDeadline && quorumMet(tally));
}

/**
 * An org's place in the round's aggregator order: 0 aggregates at once, rank k steps in after k
 * fallback delays if the round is still open; -1 when the org is not a participant. The order is the
 * participants sorted by MSP id, rotated by round (rounds start at 1), so every gateway computes the
 * same order without talking to the others and the work is spread over the orgs (ADR 11).
 */
export function aggregatorRank(
  participants: readonly string[],
  round: number,
  mspId: string,
): number {
  const sorted = [...participants].sort();
  const me = sorted.indexOf(mspId);
  if (me < 0) return -1;
  const designated = (round - 1) % sorted.length;
  return (me - designated + sorted.length) % sorted.length;
}

/** The org that aggregates the round first (rank 0). */
export function designatedAggregator(
  participants: readonly string[],
  round: number,
): string | undefined {
  return participants.find((mspId) => aggregatorRank(participants, round, mspId) === 0);
}

/** Codes of an `Aggregate` that mean another org already closed the round: losing that race is normal. */
export const LOST_AGGREGATION_RACE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ROUND_CLOSED',
  'ROUND_NOT_OPEN',
  'CONFLICT',
  'QUORUM_NOT_MET',
]);
/** Codes of a `CloseSubmissions` that mean another org fixed the submitter set (or closed the round) first. */
export const LOST_CLOSE_RACE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ALREADY_EXISTS',
  ...LOST_AGGREGATION_RACE,
]);
