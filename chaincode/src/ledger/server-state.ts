import { FedLedgerError, decodeWeights, encodeWeights, type ServerState } from '@fedledger/core';
import type { Context } from 'fabric-contract-api';
import { KEY, pad } from '../state/keys';
import { getBlob, putBlob } from './blob-store';

/**
 * A strategy's optimizer state (e.g. FedAdam moments) after a round, stored privately next to
 * that round's model version: one rank-1 tensor per name, names sorted, names in the manifest.
 */
export async function putServerState(ctx: Context, federationId: string, version: number, state: ServerState): Promise<void> {
  const names = Object.keys(state).sort();
  const bytes = encodeWeights(names.map((name) => {
    const values = state[name] as Float32Array;
    return { shape: [values.length], values };
  }));
  await putBlob(ctx, KEY.serverState, [federationId, pad(version)], bytes, names);
}

/** The server state saved with `version`, or undefined when that aggregation kept none. */
export async function findServerState(ctx: Context, federationId: string, version: number): Promise<ServerState | undefined> {
  let stored: Awaited<ReturnType<typeof getBlob>>;
  try {
    stored = await getBlob(ctx, KEY.serverState, [federationId, pad(version)]);
  } catch (error) {
    if (error instanceof FedLedgerError && error.code === 'NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
  const names = stored.manifest.labels ?? [];
  const tensors = decodeWeights(stored.bytes);
  if (tensors.length !== names.length) {
    throw new FedLedgerError('INTERNAL', `server state of ${federationId} version ${version} has ${tensors.length} tensors for ${names.length} names`);
  }
  const state: ServerState = {};
  names.forEach((name, i) => {
    state[name] = (tensors[i] as { values: Float32Array }).values;
  });
  return state;
}
