import type { Context } from 'fabric-contract-api';
import { trainingFailureRecord } from '../state/data-profile';
import { KEY, pad } from '../state/keys';
import { listRecords } from './store';

/** How many participants reported that they cannot train this round (and did not submit after all). */
export async function countReportedFailures(
  ctx: Context,
  federationId: string,
  round: number,
  submitted: readonly string[],
): Promise<number> {
  const failures = await listRecords(ctx, trainingFailureRecord, KEY.trainingFailure, [
    federationId,
    pad(round),
  ]);
  return failures.filter((failure) => !submitted.includes(failure.mspId)).length;
}
