import type { MspId } from '../types';

/**
 * A participant's report that it could not train a round (its data no longer loads, fails the
 * schema, …). Recorded so the round closes as soon as every participant either submitted or
 * reported, instead of waiting for its deadline, and so the consortium sees why.
 */
export interface TrainingFailure {
  federationId: string;
  round: number;
  mspId: MspId;
  reason: string;
  reportedBy: string;
  reportedAt: string;
  txId: string;
}
