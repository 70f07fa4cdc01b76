import type { Context } from 'fabric-contract-api';
import { federationRecord } from '../state/federation';
import { KEY, key } from '../state/keys';
import { roundRecord, type RoundRecord } from '../state/round';
import { roundKey, type LoadedFederation } from './federation-state';
import { putRecord } from './store';
import { txTime, txTimeMs } from './tx';

/**
 * Marks `round` aggregated into model version `round`, opens the next round (its deadline from the
 * transaction time) unless the federation `completed`, and moves the federation record on. The
 * one place that writes the round and federation records at aggregation, for both weights paths.
 */
export async function advanceRound(
  ctx: Context,
  federation: LoadedFederation,
  round: number,
  roundValue: RoundRecord,
  completed: boolean,
): Promise<{ nextRound: number | null; deadline: string | undefined }> {
  const id = federation.record.id;
  const now = txTime(ctx);
  const nextRound = completed ? null : round + 1;
  await putRecord(ctx, roundRecord, roundKey(ctx, id, round), {
    ...roundValue,
    status: 'aggregated',
    aggregatedAt: now,
    modelVersion: round,
  });
  let deadline: string | undefined;
  if (nextRound !== null) {
    deadline = new Date(
      txTimeMs(ctx) + federation.record.roundDeadlineSeconds * 1000,
    ).toISOString();
    await putRecord(ctx, roundRecord, roundKey(ctx, id, nextRound), {
      federationId: id,
      round: nextRound,
      status: 'open',
      openedAt: now,
      deadline,
    });
  }
  await putRecord(ctx, federationRecord, key(ctx, KEY.federation, id), {
    ...federation.record,
    currentRound: nextRound ?? round,
    status: completed ? 'completed' : 'running',
    endedAt: completed ? now : undefined,
  });
  return { nextRound, deadline };
}
