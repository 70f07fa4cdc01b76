import { FedLedgerError, roundReady, type UpdateMetadata } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { RoundRecord } from '../state/round';
import type { LoadedFederation } from './federation-state';
import { countReportedFailures } from './training-failures';
import { txTimeMs } from './tx';

/**
 * QUORUM_NOT_MET unless the round can be aggregated from `updates` by core's {@link roundReady}.
 * Shared by Aggregate and, on the blob path, by AttestAggregate, so an attestation is only made
 * over a closed input set.
 */
export async function requireRoundQuorum(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  roundValue: RoundRecord,
  updates: readonly UpdateMetadata[],
): Promise<void> {
  const { record, participants } = federation;
  const tally = {
    participants: participants.length,
    submitted: updates.length,
    failed: await countReportedFailures(
      ctx,
      record.id,
      round,
      updates.map((u) => u.mspId),
    ),
    minParticipants: record.minParticipants,
    pastDeadline: txTimeMs(ctx) >= Date.parse(roundValue.deadline),
  };
  if (!roundReady(tally)) {
    throw new FedLedgerError(
      'QUORUM_NOT_MET',
      `round ${round} of ${record.id} has ${updates.length} of ${participants.length} updates; aggregation needs all of them, or at least ${record.minParticipants} after the deadline ${roundValue.deadline}`,
    );
  }
}
