import { isFedLedgerError } from '@fedledger/core';

/** Pauses between attempts: about 15 s in all, less than the shortest useful round deadline. */
export const LAGGING_ENDORSER_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000, 8_000];

/**
 * Runs a submission for a round that THIS org's peer shows open, retrying while another org's
 * endorsing peer answers ROUND_NOT_OPEN. A submission is endorsed by a majority of orgs; a peer
 * that has not yet committed the block that opened the round (it was cut off, or its block source
 * stalled) refuses it as "not open yet", though the round is open on the ledger. Without the retry
 * this org trained for nothing and the round closed without its update. Any other error, and a
 * refusal that outlasts the delays, is the caller's.
 */
export async function retryWhileEndorserLags<T>(
  submit: () => Promise<T>,
  onRetry: (attempt: number, delayMs: number) => void,
  delaysMs: readonly number[] = LAGGING_ENDORSER_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await submit();
    } catch (error) {
      const delayMs = delaysMs.at(attempt);
      if (!(isFedLedgerError(error) && error.code === 'ROUND_NOT_OPEN') || delayMs === undefined)
        throw error;
      onRetry(attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }
}
