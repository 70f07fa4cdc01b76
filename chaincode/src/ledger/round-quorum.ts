import { FedLedgerError, type UpdateMetadata } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import type { RoundRecord } from '../state/round';
import type { LoadedFederation } from './federation-state';
import { countReportedFailures } from './training-failures';
import { txTimeMs } from './tx';

/**
 * QUORUM_NOT_MET unless the round can be aggregated from `updates` (sorted by MSP id): every
 * participant submitted, or the rest reported they cannot train and at least `minParticipants`
 * submitted, or the deadline passed with at least `minParticipants` updates. Shared by Aggregate
 * and, on the blob path, by AttestAggregate, so an attestation is only made over a closed input set.
 */
export async function requireRoundQuorum(ctx: Context, federation: LoadedFederation, round: number, roundValue: RoundRecord, updates: readonly UpdateMetadata[]): Promise<void> {
  const { record, participants } = federation;
  // Participants that reported they cannot train this round count as done, so the round closes now
  // rather than at its deadline (still needing minParticipants updates).
  const failed = await countReportedFailures(ctx, record.id, round, updates.map((u) => u.mspId));
  const everyone = updates.length === participants.length || (updates.length + failed === participants.length && updates.length >= record.minParticipants);
  const pastDeadline = txTimeMs(ctx) >= Date.parse(roundValue.deadline);
  if (!everyone && !(pastDeadline && updates.length >= record.minParticipants)) {
    throw new FedLedgerError(
      'QUORUM_NOT_MET',
      `round ${round} of ${record.id} has ${updates.length} of ${participants.length} updates; aggregation needs all of them, or at least ${record.minParticipants} after the deadline ${roundValue.deadline}`,
    );
  }
}
