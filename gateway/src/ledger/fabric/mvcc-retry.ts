import type { CommitError } from '@hyperledger/fabric-gateway';
import { isRetryableCommitError } from './fabric-error-mapper';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
};

/**
 * Delay before retry number `attempt` (1-based): exponential backoff with full jitter, so gateways
 * that collided on the same keys do not collide again in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Whether a failed attempt should be retried under the policy. */
export function shouldRetry(error: unknown, attempt: number, policy: RetryPolicy): boolean {
  return attempt < policy.maxAttempts && isRetryableCommitError(error);
}

/** Told about each conflict that is about to be retried (for metrics: conflicts are retried silently otherwise). */
export type ConflictRetryObserver = (error: CommitError) => void;

/**
 * Runs `submit`, retrying only read conflicts, MVCC or phantom (a fresh proposal re-reads the
 * state); `onRetry` hears of each conflict that is retried.
 */
export async function withMvccRetry<T>(
  submit: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  onRetry: ConflictRetryObserver = () => undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await submit();
    } catch (error) {
      if (!shouldRetry(error, attempt, policy)) throw error;
      onRetry(error as CommitError);
      await sleep(retryDelayMs(attempt, policy));
    }
  }
}
