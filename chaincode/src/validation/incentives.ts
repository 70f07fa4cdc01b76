import type { IncentivesConfig } from '@fedledger/core';
import type { FieldReader } from './field-reader';

/** Largest reward pool per round: integer credits well inside the safe-integer range after many rounds. */
export const MAX_CREDITS_PER_ROUND = 1_000_000_000;

/**
 * Reads the optional `incentives` of a federation spec: `{}` turns contribution scoring on;
 * `creditsPerRound`, when given, must be a positive integer (the round's reward pool).
 */
export function readIncentives(r: FieldReader): IncentivesConfig | undefined {
  if (!r.has('incentives')) return undefined;
  const incentives = r.object('incentives');
  const creditsPerRound = incentives.optionalInteger('creditsPerRound', {
    min: 1,
    max: MAX_CREDITS_PER_ROUND,
  });
  incentives.done();
  return creditsPerRound === undefined ? {} : { creditsPerRound };
}
