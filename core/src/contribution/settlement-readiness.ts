import type { MspId } from '../msp-id';
import { majority } from '../quorum';

/** Whether a round's contributions can be settled yet, and if not, what it waits for. */
export interface SettlementReadiness {
  ready: boolean;
  /** Participants that have not recorded utilities for the round, sorted as given. */
  missing: MspId[];
  /** Recorders needed once the wait is over: a majority of the participants. */
  majorityNeeded: number;
  /** Epoch ms from which a majority of recorders suffices (aggregation + the round deadline length). */
  majorityFromMs: number;
}

/**
 * The one settlement rule (ADR 0018), shared by the chaincode's SettleContributions and the
 * gateways that decide when to call it: every participant recorded utilities, or — once the round's
 * deadline length has passed since its aggregation — a majority did, so one silent org cannot block
 * everyone's rewards.
 */
export function settlementReadiness(
  participants: readonly MspId[],
  recorders: readonly MspId[],
  aggregatedAtMs: number,
  roundDeadlineSeconds: number,
  nowMs: number,
): SettlementReadiness {
  const missing = participants.filter((msp) => !recorders.includes(msp));
  const recorded = participants.length - missing.length;
  const majorityNeeded = majority(participants.length);
  const majorityFromMs = aggregatedAtMs + roundDeadlineSeconds * 1000;
  const ready = missing.length === 0 || (nowMs >= majorityFromMs && recorded >= majorityNeeded);
  return { ready, missing, majorityNeeded, majorityFromMs };
}
